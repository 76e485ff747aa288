"""Domain errors with stable codes, shared by the CLI (exit 2) and the API (JSON error body)."""

from __future__ import annotations


class UpstanderError(Exception):
    """An error a user can act on: a stable machine `code` and a one-line human `message`."""

    code = "error"
    http_status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        http_status: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.headers = headers
        if code:
            self.code = code
        if http_status:
            self.http_status = http_status


class InputError(UpstanderError):
    """The whole upload is unusable (empty, not UTF-8, wrong header, too large)."""

    code = "invalid_input"
    http_status = 422


class NotFound(UpstanderError):
    code = "not_found"
    http_status = 404
