"""Serving the page: one HTML shell at /ui/ and its static ES modules, CSS and icon.

The shell is rendered on the server only to stamp a content hash on its asset URLs; everything
the page shows comes from /v1 with the user's own token, so the page has no route of its own
that could reveal data.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from string import Template

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from service.ui import docs, security

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
router = APIRouter(include_in_schema=False)


def _assets_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(STATIC.iterdir()):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


SHELL = Template((HERE / "templates" / "index.html").read_text(encoding="utf-8")).substitute(version=_assets_hash())


@router.get("/ui")
def ui_redirect() -> RedirectResponse:
    return RedirectResponse("/ui/", status_code=307)


@router.get("/ui/")
def ui_shell() -> HTMLResponse:
    return HTMLResponse(SHELL, headers={"Cache-Control": "no-cache"})


def install(app: FastAPI) -> None:
    """Mount the page, its assets and the offline docs, with their security headers."""
    app.include_router(router)
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
    security.install(app, docs_csp=docs.install(app))
