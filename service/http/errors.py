"""Every error leaves the API as JSON {"code", "message"} with a stable code, never with content."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import ErrorCode, UpstanderError

log = logging.getLogger("upstander.api")
_HTTP_CODES = {
    400: "malformed_body",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "upload_too_large",
    415: "unsupported_media_type",
}


class ErrorBody(BaseModel):
    """Every error response: a stable machine `code`, a human `message`, never any input value."""

    code: str
    message: str
    request_id: str | None = None
    fields: list[dict] | None = None


_DESCRIPTIONS = {
    400: "malformed request (body, cursor, If-Match)",
    401: "missing, invalid or expired token",
    403: "the token's role may not do this",
    404: "no such object, or outside the token's units",
    405: "method not allowed (see the Allow header)",
    409: "conflict with the object's state",
    412: "stale version: re-read and retry",
    413: "upload too large",
    415: "unsupported media type",
    422: "request does not match the schema or the label contract",
    428: "If-Match (or version) required",
    429: "too many failed sign-ins from this address (see Retry-After)",
}


def responses(*codes: int) -> dict:
    """OpenAPI `responses` for the given status codes, all with the ErrorBody shape."""
    return {code: {"description": _DESCRIPTIONS[code], "model": ErrorBody} for code in codes}


# What every authenticated route can answer besides its success.
COMMON = responses(400, 401, 403, 422, 429)


def error_body(code: str, message: str, request: Request, **extra) -> dict:
    return {
        "code": ErrorCode(code),
        "message": message,
        "request_id": getattr(request.state, "request_id", None),
    } | extra


def install(app: FastAPI) -> None:
    @app.exception_handler(UpstanderError)
    async def _domain(request: Request, exc: UpstanderError) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, request), status_code=exc.http_status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Report where and what, never the offending input value (it may be raw text).
        fields = [{"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type")} for e in exc.errors()]
        return JSONResponse(
            error_body("validation_error", "request does not match the schema", request, fields=fields), status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        # Keep the exception's headers: `Allow` on 405 is part of HTTP's contract.
        return JSONResponse(
            error_body(code, str(exc.detail), request),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        # json.loads recurses per nesting level; a hostile body ([[[[...) must not become a 500.
        return JSONResponse(error_body("json_too_deep", "the JSON body is nested too deeply", request), status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The route template, never the path a caller sent (its values could point to a person).
        route = getattr(request.scope.get("route"), "path", "(no route)")
        log.error("unhandled %s on %s %s", type(exc).__name__, request.method, route)
        return JSONResponse(error_body("internal_error", "internal error", request), status_code=500)
