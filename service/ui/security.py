"""Response headers for the pages: a strict Content-Security-Policy, so even a value that slipped
past escaping could not run, plus the usual anti-sniffing and anti-framing headers."""

from __future__ import annotations

from fastapi import FastAPI, Request

# No inline script, no eval, no third-party origin; Trusted Types make innerHTML with a string throw.
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'; trusted-types 'none'"
)
COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def install(app: FastAPI, *, docs_csp: str) -> None:
    """Add the headers to /ui and /docs responses (the JSON API keeps its own)."""

    @app.middleware("http")
    async def page_headers(request: Request, call_next):
        response = await call_next(request)
        path = request.url.path
        if path == "/ui" or path.startswith("/ui/"):
            response.headers["Content-Security-Policy"] = UI_CSP
        elif path.startswith("/docs"):
            response.headers["Content-Security-Policy"] = docs_csp
        else:
            return response
        for name, value in COMMON.items():
            response.headers.setdefault(name, value)
        if path.startswith(("/ui/static/", "/docs/static/")):
            response.headers["Cache-Control"] = "no-cache"  # revalidate (ETag) so an upgrade shows at once
        return response
