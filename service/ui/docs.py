"""/docs that works offline: FastAPI's Swagger UI page pointed at the assets of an installed
package (fastapi-offline) instead of a CDN.

Why that package: swagger-ui-bundle ships Swagger UI 4, which cannot render the OpenAPI 3.1
schema FastAPI writes; fastapi-offline ships Swagger UI 5 as plain files and needs nothing but
FastAPI. (No /redoc: ReDoc fetches its logo from its vendor's CDN.) FastAPI's page starts Swagger
UI with an inline script, so the policy below admits exactly that script by its SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
PREFIX = "/docs/static"
_INLINE = re.compile(r"<script>(.*?)</script>", re.S)


def _hashes(*pages: bytes) -> str:
    digests = set()
    for page in pages:
        for body in _INLINE.findall(page.decode()):
            digests.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return " ".join(sorted(digests))


def install(app: FastAPI) -> str:
    """Serve the docs pages and their assets; returns the Content-Security-Policy they need."""
    title = f"{app.title} - docs"
    swagger = bytes(
        get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=title,
            swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{PREFIX}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        ).body
    )
    redirect = bytes(get_swagger_ui_oauth2_redirect_html().body)
    app.mount(PREFIX, StaticFiles(directory=ASSETS), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def swagger_page() -> HTMLResponse:
        return HTMLResponse(swagger)

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def swagger_redirect() -> HTMLResponse:
        return HTMLResponse(redirect)

    return (
        f"default-src 'self'; script-src 'self' {_hashes(swagger, redirect)}; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
