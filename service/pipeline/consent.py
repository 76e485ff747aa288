"""Consent gate: the first stage. A row without opt-in is counted and its text never read."""

from __future__ import annotations

_YES = {"true", "yes", "y", "1", "t"}
_NO = {"false", "no", "n", "0", "f", ""}


class ConsentValueError(ValueError):
    """The consent cell holds something that is neither yes nor no."""


def parse_consent(value: object) -> bool:
    """Read true/false, yes/no, 1/0 (any case); blank or missing means no consent."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    # Never quote the cell: a mistyped column can hold a name or other personal data.
    raise ConsentValueError("consent must be true/false, yes/no or 1/0")
