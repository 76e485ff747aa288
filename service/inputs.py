"""Reading survey exports (CSV or JSONL) as a stream of rows, with file- and row-level errors.

A file-level problem (empty, not UTF-8, missing columns, broken CSV quoting) is found by a
preflight pass before any work starts, so a batch is either refused whole or accepted whole.
A row-level problem (bad JSON line, missing id, text too long) marks that row only.

CSV exports come from spreadsheets and survey tools: the contract's column names are matched
without regard to case or surrounding spaces ("ID", " Text "), and a file whose header only splits
into them on a semicolon or a tab (spreadsheets in many locales write those) is read with that
delimiter. Other columns keep their names exactly.

Files are UTF-8 unless the caller names another encoding of `ENCODINGS`: spreadsheets on Windows
save "CSV" as cp1252 and "Unicode text" as UTF-16. The encoding is never guessed: a wrong guess
garbles names and the redaction that must find them, so an undecodable file is refused whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, get_args

from service.errors import InputError
from service.labels import SOURCES
from service.pipeline.consent import ConsentValueError, parse_consent
from service.pipeline.rows import InputRow, RowError
from service.units import normalise

REQUIRED_COLUMNS = ("id", "text", "consent")
RESERVED = {"id", "text", "consent", "unit", "period", "submitted_at", "source"}
DELIMITERS = (",", ";", "\t")
MAX_ID_CHARS = 200
MAX_FIELD_CHARS = 200
csv.field_size_limit(16 * 1024 * 1024)
Encoding = Literal["utf-8", "cp1252", "latin-1", "utf-16"]
ENCODINGS: tuple[str, ...] = get_args(Encoding)
# The codec each is read with: a UTF-8 or UTF-16 byte-order mark is dropped, not read as text.
_CODECS = {"utf-8": "utf-8-sig", "utf-16": "utf-16"}


def detect_format(name: str | None, head: str) -> str:
    """Choose csv or jsonl from the file name, else from the first non-blank character of the
    decoded head (whatever the file's encoding)."""
    lowered = (name or "").lower()
    if lowered.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if lowered.endswith(".csv"):
        return "csv"
    return "jsonl" if head.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


def _codec(encoding: str) -> str:
    if encoding not in ENCODINGS:
        # The caller's value is not quoted back: whatever was sent there stays out of errors and logs.
        raise InputError(f"unknown encoding; use {', '.join(ENCODINGS)}", code="invalid_encoding")
    return _CODECS.get(encoding, encoding)


def _check_encoding(stream: BinaryIO, encoding: str = "utf-8") -> int:
    """Decode the whole stream once; return its size. Raises InputError on bad bytes."""
    decoder = codecs.getincrementaldecoder(_codec(encoding))()
    others = ", ".join(e for e in ENCODINGS if e != encoding)
    offset = 0
    while block := stream.read(1 << 20):
        try:
            decoder.decode(block)
        except UnicodeError as exc:  # UTF-16 without a byte-order mark is a plain UnicodeError
            where = f"bad byte at offset {offset + exc.start}" if isinstance(exc, UnicodeDecodeError) else "no BOM"
            raise InputError(
                f"file is not {encoding} ({where}); re-save it as UTF-8 or name its encoding ({others})",
                code="invalid_encoding",
            ) from None
        offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeError:
        raise InputError(f"file ends in the middle of a {encoding} character", code="invalid_encoding") from None
    return offset


def _text_stream(stream: BinaryIO, encoding: str = "utf-8") -> io.TextIOWrapper:
    return io.TextIOWrapper(stream, encoding=_codec(encoding), newline="")


def _without_nul(text: str) -> str:
    """NUL characters mean nothing in a comment, and PostgreSQL text cannot hold them."""
    return text.replace("\x00", "")


def _clean_field(value: Any) -> str | None:
    if value is None:
        return None
    text = _without_nul(str(value)).strip()
    return text[:MAX_FIELD_CHARS] or None


def _periods_of(row: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(period, week, month): the given period (a survey wave) wins; else the month of submitted_at.

    Only the week and month of a submission are kept, never its exact time.
    """
    stamp = row.get("submitted_at")
    week = month = None
    if stamp not in (None, ""):
        try:
            when = datetime.fromisoformat(str(stamp).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("submitted_at is not an ISO date") from None
        year, number, _ = when.isocalendar()
        week, month = f"{year}-W{number:02d}", when.strftime("%Y-%m")
    period = _clean_field(row["period"]) if row.get("period") not in (None, "") else month
    return period, week, month


def build_row(line: int, raw: dict[str, Any], max_item_chars: int, *, require_id: bool = True) -> InputRow:
    """Validate one parsed record into an InputRow (errors never quote the text). A file row
    needs an id (its output line must be traceable); one item sent to `/v1/analyze` need not."""
    row = InputRow(line=line, extra={k: v for k, v in raw.items() if k not in RESERVED and k})
    raw_id = raw.get("id")
    if raw_id is None or str(raw_id).strip() == "":
        if require_id:
            row.error = RowError("missing_id", f"line {line}: id is missing")
            return row
    else:
        row.id = _without_nul(str(raw_id)).strip()[:MAX_ID_CHARS]
    try:
        row.consent = parse_consent(raw.get("consent"))
    except ConsentValueError as exc:
        row.error = RowError("invalid_consent", f"line {line}: {exc}")
        return row
    if not row.consent:
        return row  # the gate: nothing else of this row is read
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        row.error = RowError("missing_text", f"line {line}: text is missing or empty")
        return row
    if len(text) > max_item_chars:
        row.error = RowError("item_too_long", f"line {line}: text has {len(text)} characters, limit {max_item_chars}")
        return row
    source = _clean_field(raw.get("source"))
    if source is not None and source.lower() not in SOURCES:
        row.error = RowError("invalid_source", f"line {line}: source must be survey or report")
        return row
    try:
        row.period, row.week, row.month = _periods_of(raw)
    except ValueError as exc:
        row.error = RowError("invalid_period", f"line {line}: {exc}")
        return row
    row.text = _without_nul(text)
    row.unit = normalise(_clean_field(raw.get("unit")) or "") or None
    row.source = source.lower() if source else None
    return row


def _column_names(fields: list[str]) -> list[str]:
    """Header fields stripped; the contract's names in lower case whatever case they came in."""
    names = [f.strip() for f in fields]
    return [n.casefold() if n.casefold() in RESERVED else n for n in names]


def _csv_header(first_line: str) -> tuple[str, list[str]]:
    """(delimiter, column names): a comma, unless only a semicolon or a tab splits the header into
    the required columns. A header no delimiter can parse is malformed."""
    parsed, problem = {}, None
    for delimiter in DELIMITERS:
        try:
            parsed[delimiter] = _column_names(next(csv.reader([first_line], delimiter=delimiter, strict=True), []))
        except csv.Error as exc:
            problem = problem or exc
            continue
        if all(c in parsed[delimiter] for c in REQUIRED_COLUMNS):
            return delimiter, parsed[delimiter]
    if "," not in parsed:
        raise InputError(f"malformed CSV header: {problem}", code="malformed_csv")
    return ",", parsed[","]


def _iter_csv(stream: BinaryIO, max_item_chars: int, encoding: str) -> Iterator[InputRow]:
    text = _text_stream(stream, encoding)
    delimiter, header = _csv_header(text.readline())
    if not header:
        raise InputError("the file is empty", code="empty_file")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)}", code="missing_columns")
    twice = sorted({c for c in header if c in RESERVED and header.count(c) > 1})
    if twice:
        raise InputError(f"column(s) given more than once: {', '.join(twice)}", code="duplicate_columns")
    reader = csv.DictReader(text, fieldnames=header, delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 2  # the header was line 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(f"malformed CSV near line {line}: {exc}", code="malformed_csv") from None
        if None in raw or any(v is None for v in raw.values()):
            yield InputRow(line=line, error=RowError("malformed_row", f"line {line}: wrong number of fields"))
            continue
        yield build_row(line, raw, max_item_chars)


def _iter_jsonl(stream: BinaryIO, max_item_chars: int, encoding: str) -> Iterator[InputRow]:
    for line, raw_line in enumerate(_text_stream(stream, encoding), start=1):
        if not raw_line.strip():
            continue
        try:
            raw = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            yield InputRow(line=line, error=RowError("malformed_json", f"line {line}: invalid JSON ({exc.msg})"))
            continue
        except RecursionError:
            yield InputRow(line=line, error=RowError("malformed_json", f"line {line}: JSON nested too deeply"))
            continue
        if not isinstance(raw, dict):
            yield InputRow(line=line, error=RowError("malformed_json", f"line {line}: not a JSON object"))
            continue
        yield build_row(line, raw, max_item_chars)


def iter_rows(stream: BinaryIO, fmt: str, max_item_chars: int, encoding: str = "utf-8") -> Iterator[InputRow]:
    """Stream validated rows from a binary file positioned at its start."""
    if fmt == "csv":
        return _iter_csv(stream, max_item_chars, encoding)
    if fmt == "jsonl":
        return _iter_jsonl(stream, max_item_chars, encoding)
    raise InputError(f"unknown format {fmt!r}; use csv or jsonl", code="unsupported_format")


@dataclass
class Preflight:
    fmt: str
    size: int
    rows: int
    bad_rows: int
    encoding: str = "utf-8"


def preflight(
    open_stream: Callable[[], BinaryIO],
    *,
    name: str | None,
    size: int,
    max_item_chars: int,
    max_bytes: int | None = None,
    fmt: str | None = None,
    encoding: str = "utf-8",
) -> Preflight:
    """Check the whole input before any work: size, encoding, structure. Raises InputError."""
    if size == 0:
        raise InputError("the file is empty", code="empty_file")
    if max_bytes is not None and size > max_bytes:
        raise InputError(f"upload is {size} bytes, limit {max_bytes}", code="upload_too_large", http_status=413)
    with open_stream() as stream:
        head = stream.read(4096)
        stream.seek(0)
        _check_encoding(stream, encoding)
        fmt = fmt or detect_format(name, head.decode(_codec(encoding), errors="ignore"))
        stream.seek(0)
        rows = bad = 0
        for row in iter_rows(stream, fmt, max_item_chars, encoding):
            rows += 1
            bad += row.error is not None
    if rows == 0:
        raise InputError("the file has no data rows", code="empty_file")
    return Preflight(fmt=fmt, size=size, rows=rows, bad_rows=bad, encoding=encoding)


def preflight_path(path: Path, *, max_item_chars: int, fmt: str | None = None, encoding: str = "utf-8") -> Preflight:
    if not path.is_file():
        raise InputError(f"no such file: {path}", code="not_found")
    return preflight(
        lambda: path.open("rb"),
        name=path.name,
        size=path.stat().st_size,
        max_item_chars=max_item_chars,
        fmt=fmt,
        encoding=encoding,
    )
