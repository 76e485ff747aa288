"""Dependency aliases: routes never open sessions or parse tokens themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from service import components
from service.errors import UpstanderError
from service.http.ratelimit import AuthFailureGuard
from service.settings import Settings
from service.storage.db import get_sessionmaker
from service.tokens.service import authenticate

if TYPE_CHECKING:  # the runner imports the models' code; routes get the pipeline only when they need it
    from service.pipeline.runner import Pipeline


def get_app_settings(request: Request) -> Settings:
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_db(settings: SettingsDep) -> Iterator[Session]:
    session = get_sessionmaker(settings.sqlalchemy_url)()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_db)]


@dataclass(frozen=True)
class Principal:
    token_id: int
    name: str
    role: str
    units: tuple[str, ...]
    request_id: str


# Declares the bearer scheme in the OpenAPI schema (so /docs can authenticate); we raise our own 401.
bearer = HTTPBearer(auto_error=False, description="an API token from `upstander admin create-token`")


def get_principal(
    request: Request, session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    guard: AuthFailureGuard = request.app.state.auth_guard
    client = request.client.host if request.client else "unknown"
    guard.check(client)
    if credentials is None or not credentials.credentials.strip():
        raise UpstanderError("missing bearer token", code="unauthenticated", http_status=401)
    row = authenticate(session, token=credentials.credentials.strip())
    if row is None:
        guard.failed(client)
        raise UpstanderError("invalid, expired or revoked token", code="unauthenticated", http_status=401)
    return Principal(row.id, row.name, row.role, tuple(row.units or ()), request.state.request_id)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_role(*roles: str):
    """A dependency that admits only the given roles."""

    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise UpstanderError(f"role {principal.role!r} may not do this", code="forbidden", http_status=403)
        return principal

    return check


def get_pipeline_loader(settings: SettingsDep) -> Callable[[], Pipeline]:
    """The process-wide pipeline, loaded on first call: a request that turns out not to need it
    (an evaluation sent to the queue) never loads the models. Tests override this dependency."""
    return lambda: components.get_pipeline(settings)


PipelineLoader = Annotated[Callable[[], "Pipeline"], Depends(get_pipeline_loader)]


class TaskQueue(Protocol):
    """Where routes hand work to the production workers (service/tasks/enqueue.py)."""

    def enqueue_batch(self, settings: Settings, batch_id: str) -> int: ...

    def enqueue_evaluation(self, settings: Settings, job_id: str) -> None: ...


def get_task_queue(request: Request) -> TaskQueue | None:
    """The broker's queue, or None for the embedded default (the in-process worker polls the database)."""
    return request.app.state.task_queue


TaskQueueDep = Annotated[TaskQueue | None, Depends(get_task_queue)]
