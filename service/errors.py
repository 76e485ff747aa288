"""Domain errors with stable codes, shared by the CLI (exit 2) and the API (JSON error body).

`ErrorCode` is the one list of every code a client or a script can see: whole-request errors,
row errors in outputs and item records, and the API's transport errors. A code not in it is a bug
(raising with it fails at once), so a code cannot be renamed or invented in one place only.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    # whole input (CLI exit 2, API 4xx)
    EMPTY_FILE = "empty_file"
    INVALID_ENCODING = "invalid_encoding"
    MISSING_COLUMNS = "missing_columns"
    DUPLICATE_COLUMNS = "duplicate_columns"
    MALFORMED_CSV = "malformed_csv"
    MALFORMED_JSON = "malformed_json"
    UPLOAD_TOO_LARGE = "upload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    UNSUPPORTED_FORMAT = "unsupported_format"
    MISSING_FILE = "missing_file"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    INVALID_INPUT = "invalid_input"
    RESUME_MISMATCH = "resume_mismatch"
    # one row (kept in the output / item list with its line)
    MISSING_ID = "missing_id"
    MISSING_TEXT = "missing_text"
    INVALID_CONSENT = "invalid_consent"
    INVALID_SOURCE = "invalid_source"
    INVALID_PERIOD = "invalid_period"
    INVALID_ROW = "invalid_row"
    MALFORMED_ROW = "malformed_row"
    ITEM_TOO_LONG = "item_too_long"
    UNIT_OUT_OF_SCOPE = "unit_out_of_scope"
    REDACTION_FAILED = "redaction_failed"
    CLASSIFICATION_FAILED = "classification_failed"
    PROCESSING_FAILED = "processing_failed"
    EVALUATION_FAILED = "evaluation_failed"
    # API requests
    MALFORMED_BODY = "malformed_body"
    JSON_TOO_DEEP = "json_too_deep"
    VALIDATION_ERROR = "validation_error"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate_limited"
    INVALID_CURSOR = "invalid_cursor"
    INVALID_IF_MATCH = "invalid_if_match"
    PRECONDITION_REQUIRED = "precondition_required"
    VERSION_MISMATCH = "version_mismatch"
    INVALID_TRANSITION = "invalid_transition"
    NOT_ASSIGNEE = "not_assignee"
    NO_CHANGE = "no_change"
    INVALID_LABELS = "invalid_labels"
    INVALID_THEME = "invalid_theme"
    INVALID_ROLE = "invalid_role"
    INVALID_ASSIGNEE = "invalid_assignee"
    REASON_REQUIRED = "reason_required"
    INVALID_GRANULARITY = "invalid_granularity"
    UNKNOWN_UNIT = "unknown_unit"
    RANGE_TOO_LARGE = "range_too_large"
    NO_DATA = "no_data"
    HTTP_ERROR = "http_error"
    INTERNAL_ERROR = "internal_error"
    ERROR = "error"


class UpstanderError(Exception):
    """An error a user can act on: a stable machine `code` and a one-line human `message`."""

    code: str = ErrorCode.ERROR
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        code: ErrorCode | str | None = None,
        http_status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.headers = headers
        self.code = ErrorCode(code or self.code)  # ValueError for a code outside the registry
        if http_status:
            self.http_status = http_status


class InputError(UpstanderError):
    """The whole upload is unusable (empty, not UTF-8, wrong header, too large)."""

    code = ErrorCode.INVALID_INPUT
    http_status = 422


class NotFound(UpstanderError):
    code = ErrorCode.NOT_FOUND
    http_status = 404
