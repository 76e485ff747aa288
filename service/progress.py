"""Progress of a long `upstander analyze` run, on stderr only (stdout stays free for pipes).

On a terminal: "loading models…" while the pipeline starts, then a bar with rate and ETA. Without
one (a scheduler's log, `nohup`, CI) a bar would print nothing useful, so a plain line with counts,
rate and ETA is written every `interval` seconds and once at the end. Never any content.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class LineProgress:
    """Periodic one-line reports for a non-interactive stderr."""

    def __init__(
        self, total: int, *, stream: TextIO | None = None, interval: float = 10.0, done: int = 0, quiet: bool = False
    ):
        self.total, self.done, self.interval, self.quiet = total, done, interval, quiet
        self.stream = stream or sys.stderr
        self.started = self.last = time.monotonic()
        self.start_done = done

    def loading(self) -> None:
        self._write("loading models…")

    def started_work(self) -> None:
        self.started = self.last = time.monotonic()
        self.start_done = self.done

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._write(self.line(now))

    def finish(self) -> None:
        self._write(self.line(time.monotonic()))

    def line(self, now: float) -> str:
        rate = (self.done - self.start_done) / max(now - self.started, 1e-9)
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        pct = 100.0 * self.done / self.total if self.total else 100.0
        eta_text = _clock(eta) if eta == eta else "?"
        return f"analyzed {self.done}/{self.total} rows ({pct:.1f}%), {rate:.1f} rows/s, ETA {eta_text}"

    def _write(self, text: str) -> None:
        if self.quiet:
            return
        print(f"upstander: {text}", file=self.stream, flush=True)

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc) -> None:
        return None


class BarProgress:
    """A rich progress bar (rate and ETA) on an interactive stderr."""

    def __init__(self, total: int, *, done: int = 0):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = Console(stderr=True)
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=self.console,
        )
        self.total, self.done, self.start_done = total, done, done
        self.started = time.monotonic()
        self.task = self.bar.add_task("analyzing", total=total, completed=done, rate="")
        self.status: Any = None

    def loading(self) -> None:
        self.status = self.console.status("loading models…")
        self.status.start()

    def started_work(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None
        self.started = time.monotonic()
        self.start_done = self.done
        self.bar.start()

    def advance(self, n: int) -> None:
        self.done += n
        rate = (self.done - self.start_done) / max(time.monotonic() - self.started, 1e-9)
        self.bar.update(self.task, advance=n, rate=f"{rate:.1f} rows/s")

    def finish(self) -> None:
        self.bar.stop()

    def __enter__(self) -> BarProgress:
        return self

    def __exit__(self, *exc) -> None:
        if self.status is not None:
            self.status.stop()
        self.bar.stop()


def progress_for(total: int, *, enabled: bool, done: int = 0, stream: TextIO | None = None):
    """A bar on a terminal, periodic lines otherwise, nothing when disabled."""
    stream = stream or sys.stderr
    if not enabled:
        return LineProgress(total, stream=stream, done=done, quiet=True)
    if stream.isatty():
        return BarProgress(total, done=done)
    return LineProgress(total, stream=stream, done=done)
