"""`upstander analyze`: stream a file through the pipeline to JSONL, in input order, flat memory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from service.inputs import InputRow, iter_rows
from service.settings import Settings


def analyze_file(
    input: Path, output: Path, *, fmt: str, pipeline, settings: Settings, chunk_size: int = 256,
    on_progress: Callable[[int], None] = lambda n: None,
) -> dict:
    """Write one output line per input row; returns counts (never content)."""
    counts = {"rows": 0, "analyzed": 0, "skipped_no_consent": 0, "errors": 0, "needs_review": 0, "urgent": 0}
    output.parent.mkdir(parents=True, exist_ok=True)
    with input.open("rb") as src, output.open("w", encoding="utf-8") as dst:
        chunk: list[InputRow] = []

        def flush() -> None:
            for outcome in pipeline.process(chunk):
                dst.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
                counts["rows"] += 1
                key = {"done": "analyzed", "skipped": "skipped_no_consent", "error": "errors"}.get(outcome.status, outcome.status)
                counts[key] += 1
                counts["urgent"] += bool(outcome.record.get("urgent"))
            on_progress(len(chunk))
            chunk.clear()

        for row in iter_rows(src, fmt, settings.max_item_chars):
            chunk.append(row)
            if len(chunk) >= chunk_size:
                flush()
        if chunk:
            flush()
    return counts
