"""The FastAPI application: routers per domain, request ids, health, and the in-process worker
(or, with a broker, the re-enqueue safety net of service/tasks/enqueue.py)."""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import asynccontextmanager
from urllib.parse import unquote_plus

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from service import __version__
from service.admin.me import router as me_router
from service.admin.routes import batches_router as erase_router
from service.admin.routes import router as admin_router
from service.analyze_one import router as analyze_one_router
from service.audit.routes import router as audit_router
from service.batches.routes import router as batches_router
from service.evaluations.routes import router as evaluations_router
from service.flags.routes import router as flags_router
from service.http import errors
from service.http.deps import TaskQueue
from service.http.ratelimit import AuthFailureGuard
from service.settings import Settings, get_settings
from service.storage.db import get_engine
from service.trends.routes import router as trends_router
from service.ui import routes as ui
from service.worker import run_housekeeping, run_worker

log = logging.getLogger("upstander.api")
access_log = logging.getLogger("upstander.access")


def _task_queue(settings: Settings) -> TaskQueue | None:
    """With a broker, routes enqueue through service/tasks/enqueue.py; without one the in-process
    worker polls the database. Imported only when a broker is set: the default never loads Celery."""
    if not settings.broker_url:
        return None
    from service.tasks import enqueue

    return enqueue


def _nul_in_url(request: Request) -> JSONResponse | None:
    """A NUL character in the path or a query value is refused before any route sees it: it means
    nothing in an id, a unit or a period, and PostgreSQL text cannot hold one (it was a 500 there).
    The answer names the part (path or query), never a key or a value the caller sent."""
    parts = (("path", request.scope["path"]), ("query", unquote_plus(request.url.query)))
    where = [part for part, value in parts if "\x00" in value]
    if not where:
        return None
    fields = [{"loc": [part], "type": "nul_character"} for part in where]
    body = errors.error_body("validation_error", "a NUL character in the path or the query", request, fields=fields)
    return JSONResponse(body, status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        stop = threading.Event()
        threads = []
        if settings.broker_url:  # Celery workers process; here only the safety-net re-enqueue runs
            from service.tasks.enqueue import run_requeue  # Celery is loaded only when a broker is set

            threads = [
                threading.Thread(target=run_requeue, args=(settings, stop), name="upstander-requeue", daemon=True)
            ]
            threads[0].start()
        elif settings.worker_enabled:
            threads = [
                threading.Thread(target=run_worker, args=(settings, stop), name="upstander-worker", daemon=True),
                threading.Thread(
                    target=run_housekeeping, args=(settings, stop), name="upstander-housekeeping", daemon=True
                ),
            ]
            for thread in threads:
                thread.start()
        yield
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    app = FastAPI(
        title="Upstander API",
        version=__version__,
        lifespan=lifespan,
        description="Consent-gated, PII-redacted early warning of workplace bullying.",
        docs_url=None,  # served offline by service.ui.docs, from locally installed assets
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.task_queue = _task_queue(settings)
    app.state.auth_guard = AuthFailureGuard(settings.auth_failures_per_minute)
    errors.install(app)

    @app.middleware("http")
    async def request_id_and_access_log(request: Request, call_next):
        # The id is always ours: a client-chosen one could carry personal data into the append-only
        # audit table, or impersonate another request's trail. Clients correlate with the one we return.
        rid = uuid.uuid4().hex
        request.state.request_id = rid
        response = _nul_in_url(request) or await call_next(request)
        response.headers["X-Request-ID"] = rid
        # The access log names the route template, never the path values or the query string.
        route = request.scope.get("route")
        access_log.info("%s %s %s %s", request.method, getattr(route, "path", "(no route)"), response.status_code, rid)
        return response

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        try:
            with get_engine(settings.sqlalchemy_url).connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception:
            return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
        model = settings.models_dir / settings.model_name / "manifest.json"
        if not model.exists():
            return JSONResponse({"status": "unavailable", "model": "missing"}, status_code=503)
        return JSONResponse({"status": "ready"})

    for router in (
        batches_router,
        analyze_one_router,
        erase_router,
        flags_router,
        evaluations_router,
        admin_router,
        me_router,
        audit_router,
        trends_router,
    ):
        app.include_router(router, responses=errors.COMMON)
    ui.install(app)  # the web page at /ui/ and the offline /docs: clients of /v1 like any other
    return app
