"""`upstander analyze`: stream a file through the pipeline to JSONL, in input order, flat memory.

With several workers, chunks go to worker processes that each load the pipeline once; results
come back in input order (`imap`) and at most a few chunks per worker are in flight, so memory
stays flat whatever the file size.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from service.inputs import InputRow, iter_rows
from service.settings import Settings

_WORKER_PIPELINE = None


def _init_worker(settings: Settings) -> None:
    global _WORKER_PIPELINE
    from service.components import get_pipeline

    _WORKER_PIPELINE = get_pipeline(settings)


def _process_in_worker(rows: list[InputRow]):
    assert _WORKER_PIPELINE is not None, "worker initializer did not run"
    return _WORKER_PIPELINE.process(rows)


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _outcomes(chunks: Iterator[list[InputRow]], pipeline, settings: Settings, workers: int):
    if workers <= 1:
        for chunk in chunks:
            yield len(chunk), pipeline.process(chunk)
        return
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings,)) as pool:
        sizes: list[int] = []

        def tracked():
            for chunk in chunks:
                sizes.append(len(chunk))
                yield chunk

        for i, outcomes in enumerate(pool.imap(_process_in_worker, tracked(), chunksize=1)):
            yield sizes[i], outcomes


def analyze_file(
    input: Path,
    output: Path,
    *,
    fmt: str,
    pipeline,
    settings: Settings,
    chunk_size: int = 256,
    workers: int = 1,
    on_progress: Callable[[int], None] = lambda n: None,
) -> dict:
    """Write one output line per input row; returns counts (never content)."""
    counts = {"rows": 0, "analyzed": 0, "skipped_no_consent": 0, "errors": 0, "needs_review": 0, "urgent": 0}
    names = {"done": "analyzed", "skipped": "skipped_no_consent", "error": "errors"}
    output.parent.mkdir(parents=True, exist_ok=True)
    with input.open("rb") as src, output.open("w", encoding="utf-8") as dst:
        chunks = _chunks(iter_rows(src, fmt, settings.max_item_chars), chunk_size)
        for size, outcomes in _outcomes(chunks, pipeline, settings, workers):
            for outcome in outcomes:
                dst.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
                counts["rows"] += 1
                counts[names.get(outcome.status, outcome.status)] += 1
                counts["urgent"] += bool(outcome.record.get("urgent"))
            on_progress(size)
    return counts
