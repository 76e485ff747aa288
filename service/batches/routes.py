"""Routes of the batches domain: upload, status, results."""

from __future__ import annotations

import base64
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from service.audit.models import record as audit
from service.batches import service
from service.batches.schemas import (
    BatchAccepted,
    BatchCounts,
    BatchPublic,
    ItemPage,
)
from service.errors import InputError, NotFound, UpstanderError
from service.http.deps import Principal, SessionDep, SettingsDep, TaskQueueDep, require_role
from service.http.errors import responses
from service.ids import in_db_range
from service.inputs import Encoding
from service.storage.sealed import load_key

router = APIRouter(prefix="/v1", tags=["batches"])
Uploader = Annotated[Principal, Depends(require_role("analyst", "admin"))]
StatusReader = Annotated[Principal, Depends(require_role("analyst", "reviewer", "admin"))]
TextReader = Annotated[Principal, Depends(require_role("reviewer"))]
_FORMATS = {
    "text/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
}


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputError(f"upload is {declared} bytes, limit {limit}", code="upload_too_large", http_status=413)
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > limit:
            raise InputError(f"upload exceeds the limit of {limit} bytes", code="upload_too_large", http_status=413)
    return bytes(body)


async def _upload(request: Request, limit: int, encoding: Encoding) -> tuple[bytes, str | None, str | None, Encoding]:
    """(data, filename, format, encoding) from multipart, a raw CSV/JSONL body, or a JSON list of
    items; a JSON list is re-written here as UTF-8 JSONL, whatever encoding was named."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        form = await request.form(max_part_size=limit)
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InputError("multipart upload needs a 'file' field", code="missing_file")
        data = await upload.read()
        if len(data) > limit:
            raise InputError(f"upload exceeds the limit of {limit} bytes", code="upload_too_large", http_status=413)
        return data, upload.filename, None, encoding
    body = await _read_body(request, limit)
    if ctype == "application/json":
        try:
            parsed = json.loads(body or b"null")
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            raise InputError("body is not valid JSON (or is nested too deeply)", code="malformed_json") from None
        items = parsed.get("items") if isinstance(parsed, dict) else parsed
        if not isinstance(items, list) or not items:
            raise InputError(
                'JSON body must be a non-empty list of items (or {"items": [...]})',
                code="empty_file" if items == [] else "malformed_json",
            )
        return service.items_to_jsonl(items), None, "jsonl", "utf-8"
    if ctype in _FORMATS:
        return body, None, _FORMATS[ctype], encoding
    raise UpstanderError(
        "send multipart/form-data, text/csv, application/x-ndjson or application/json",
        code="unsupported_media_type",
        http_status=415,
    )


def _public(batch, session=None) -> BatchPublic:
    rate, eta = service.progress(session, batch) if session is not None else (None, None)
    counts = BatchCounts(
        total=batch.total,
        processed=batch.processed,
        queued=batch.total - batch.processed,
        analyzed=batch.processed - batch.skipped_no_consent - batch.failed - batch.needs_review,
        skipped_no_consent=batch.skipped_no_consent,
        failed=batch.failed,
        needs_review=batch.needs_review,
    )
    return BatchPublic(
        id=batch.id,
        status=batch.status,
        format=batch.format,
        counts=counts,
        chunks_total=batch.chunks_total,
        chunks_done=batch.chunks_done,
        model_version=batch.model_version,
        created_at=batch.created_at,
        started_at=batch.started_at,
        finished_at=batch.finished_at,
        rows_per_second=rate,
        estimated_finish_at=eta,
    )


_ROW = {
    "type": "object",
    "required": ["id", "text", "consent"],
    "properties": {
        "id": {"type": "string", "maxLength": 200},
        "text": {"type": "string"},
        "consent": {"type": ["boolean", "string", "integer"]},
        "unit": {"type": "string", "maxLength": 200},
        "period": {"type": "string", "maxLength": 200},
        "submitted_at": {"type": "string"},
        "source": {"type": "string", "enum": ["survey", "report"]},
    },
}
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        },
        "text/csv": {
            "schema": {"type": "string", "description": "CSV with a header: id,text,consent[,unit,period,source]"}
        },
        "application/x-ndjson": {
            "schema": {"type": "string", "description": "one JSON object per line, as in the CSV"}
        },
        "application/json": {"schema": {"type": "array", "minItems": 1, "items": _ROW}},
    },
}


@router.post(
    "/batches",
    status_code=202,
    response_model=BatchAccepted,
    openapi_extra={"requestBody": UPLOAD_BODY},
    responses=responses(409, 413, 415),
    summary="Upload a CSV/JSONL export or a JSON list of items for analysis",
)
async def create_batch(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: Uploader,
    queue: TaskQueueDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
    encoding: Annotated[
        Encoding, Query(description="the file's encoding (never guessed); a JSON body is always UTF-8")
    ] = "utf-8",
) -> JSONResponse:
    data, filename, fmt, encoding = await _upload(request, settings.max_upload_bytes, encoding)
    batch, created = await run_in_threadpool(
        service.ingest,
        session,
        data=data,
        filename=filename,
        fmt=fmt,
        idempotency_key=idempotency_key,
        settings=settings,
        key=load_key(settings),
        created_by=principal.token_id,
        units=principal.units,
        encoding=encoding,
    )
    if created:
        audit(
            session,
            action="batch.create",
            object_type="batch",
            object_id=batch.id,
            actor_token_id=principal.token_id,
            actor_role=principal.role,
            request_id=principal.request_id,
            detail={"rows": batch.total},
        )
        session.commit()
        if queue is not None:  # production: Celery workers analyse, one task per chunk
            await run_in_threadpool(queue.enqueue_batch, settings, batch.id)
    body = BatchAccepted(
        id=batch.id,
        status=batch.status,
        duplicate=not created,
        total=batch.total,
        links={"self": f"/v1/batches/{batch.id}", "items": f"/v1/batches/{batch.id}/items"},
    )
    return JSONResponse(body.model_dump(), status_code=202, headers={"Location": f"/v1/batches/{batch.id}"})


@router.get("/batches/{batch_id}", response_model=BatchPublic, responses=responses(404))
def read_batch(batch_id: str, session: SessionDep, principal: StatusReader) -> BatchPublic:
    """A unit-scoped token sees only the batches it uploaded; another's batch is 404, not 403."""
    batch = service.get_batch(session, batch_id=batch_id)
    if batch is None or (principal.units and batch.created_by != principal.token_id):
        raise NotFound("no such batch")
    return _public(batch, session)


def _decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return -1
    try:
        row_index = int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:
        row_index = -1
    if not in_db_range(row_index):
        raise UpstanderError("cursor is not valid", code="invalid_cursor") from None
    return row_index


@router.get(
    "/batches/{batch_id}/items", response_model=ItemPage, response_model_exclude_unset=True, responses=responses(404)
)
def read_items(
    batch_id: str,
    session: SessionDep,
    principal: TextReader,
    cursor: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ItemPage:
    if service.get_batch(session, batch_id=batch_id) is None:
        raise NotFound("no such batch")
    items = service.list_items(
        session, batch_id=batch_id, after=_decode_cursor(cursor), limit=limit, units=principal.units
    )
    audit(
        session,
        action="items.read",
        object_type="batch",
        object_id=batch_id,
        actor_token_id=principal.token_id,
        actor_role=principal.role,
        request_id=principal.request_id,
        detail={"item_ids": [i.id for i in items]},
    )
    session.commit()
    next_cursor = None
    if len(items) == limit:
        next_cursor = base64.urlsafe_b64encode(str(items[-1].row_index).encode()).decode()
    # Validated on the way out; only the fields a record has are sent (exclude_unset: no null
    # padding, the exact shape of architecture.md), and the page always says next_cursor.
    return ItemPage.model_validate({"items": [service.item_record(i) for i in items], "next_cursor": next_cursor})
