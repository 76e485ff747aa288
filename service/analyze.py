"""`upstander analyze`: stream a file through the pipeline to JSONL, in input order, flat memory.

With several workers, chunks go to worker processes that each load the pipeline once (all at the
same time) and use an equal share of the cores, so two processes do not fight over four torch
threads on two cores; results come back in input order and at most two chunks per worker are
in flight (`in_order`), so memory stays flat whatever the file size. Output is one line per input
row, in order, so an interrupted run resumes from the number of complete lines already written.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from service.errors import UpstanderError
from service.inputs import InputRow, iter_rows
from service.settings import Settings

_WORKER_PIPELINE = None
# glibc gives each thread its own heap arena and keeps freed memory in it: with texts of every
# length, a worker's resident memory crept up by ~100 MiB per 1,000 rows. Two arenas and an eager
# trim kept it flat in the same run (bench/pipeline.py --memory; README).
WORKER_MALLOC = {"MALLOC_ARENA_MAX": "2", "MALLOC_TRIM_THRESHOLD_": "131072"}


class ResumeMismatch(UpstanderError):
    def __init__(self, message: str):
        super().__init__(message, code="resume_mismatch")


def threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _init_worker(settings: Settings, threads: int) -> None:
    global _WORKER_PIPELINE
    import torch

    torch.set_num_threads(threads)
    from service.components import get_pipeline

    _WORKER_PIPELINE = get_pipeline(settings)


def _ready(_: int) -> int:
    """A trivial task: answered only by a worker whose initializer (model loading) has finished."""
    time.sleep(0.05)
    return os.getpid()


def _process_in_worker(rows: list[InputRow]):
    assert _WORKER_PIPELINE is not None, "worker initializer did not run"
    return _WORKER_PIPELINE.process(rows)


def _chunks(rows: Iterable[InputRow], size: int) -> Iterator[list[InputRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _outcomes(chunks: Iterator[list[InputRow]], pipeline, settings: Settings, workers: int, on_ready):
    if workers <= 1:
        on_ready()
        for chunk in chunks:
            yield len(chunk), pipeline.process(chunk)
        return
    for name, value in WORKER_MALLOC.items():
        os.environ.setdefault(name, value)  # read by glibc when each spawned worker starts
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(settings, threads_per_worker(workers))) as pool:
        ready: set[int] = set()
        deadline = time.monotonic() + 600
        while len(ready) < workers and time.monotonic() < deadline:  # all load at once; rows start when all are up
            ready |= set(pool.map(_ready, range(2 * workers), chunksize=1))
        on_ready()
        submit = lambda chunk: pool.apply_async(_process_in_worker, (chunk,))  # noqa: E731
        for chunk, outcomes in in_order(chunks, submit, 2 * workers):
            yield len(chunk), outcomes


def in_order(items: Iterable, submit: Callable, window: int) -> Iterator[tuple]:
    """(item, result) in input order, with at most `window` items submitted and not yet collected.

    `Pool.imap` would read its whole input ahead into the task queue (a million-row file held in
    memory); this reads the next item only when one comes back, so memory stays flat.
    """
    pending: deque = deque()
    for item in items:
        pending.append((item, submit(item)))
        if len(pending) >= window:
            done, handle = pending.popleft()
            yield done, handle.get()
    while pending:
        done, handle = pending.popleft()
        yield done, handle.get()


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
    on_ready: Callable[[], None] = lambda: None,
    resume: bool = False,
    encoding: str = "utf-8",
) -> dict:
    """Write one output line per input row; returns counts (never content).

    With `resume`, rows that already have a complete output line are not processed again (a torn
    last line is cut off first), after checking that those lines belong to this input.
    """
    counts = {"rows": 0, "analyzed": 0, "skipped_no_consent": 0, "errors": 0, "needs_review": 0, "urgent": 0}
    names = {"done": "analyzed", "skipped": "skipped_no_consent", "error": "errors"}
    output.parent.mkdir(parents=True, exist_ok=True)
    done_ids = _finished_ids(output) if resume and output.exists() else []
    counts["resumed_rows"] = len(done_ids)
    with input.open("rb") as src, output.open("a" if done_ids else "w", encoding="utf-8") as dst:
        rows = iter_rows(src, fmt, settings.max_item_chars, encoding)
        _skip_finished(rows, done_ids)
        on_progress(len(done_ids))
        chunks = _chunks(rows, chunk_size)
        for size, outcomes in _outcomes(chunks, pipeline, settings, workers, on_ready):
            for outcome in outcomes:
                dst.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
                counts["rows"] += 1
                counts[names.get(outcome.status, outcome.status)] += 1
                counts["urgent"] += bool(outcome.record.get("urgent"))
            on_progress(size)
    return counts


def _finished_ids(output: Path) -> list[str | None]:
    """Ids of the complete lines of an earlier run's output; a torn last line is cut off."""
    with output.open("rb+") as f:
        data = f.read()
        keep = data.rfind(b"\n") + 1
        if keep < len(data):
            f.truncate(keep)
    ids = []
    for raw in data[:keep].splitlines():
        try:
            ids.append(json.loads(raw).get("id"))
        except (ValueError, AttributeError):
            raise ResumeMismatch("the output file is not an earlier analyze output; cannot resume") from None
    return ids


def _skip_finished(rows: Iterator[InputRow], done_ids: list[str | None]) -> None:
    """Advance past rows already written, refusing an output that belongs to another input."""
    for position, expected in enumerate(done_ids, start=1):
        row = next(rows, None)
        if row is None or row.id != expected:
            raise ResumeMismatch(f"output line {position} does not match the input; cannot resume")
