"""`upstander worker` when a broker is set: a Celery worker, optionally with beat.

The worker runs `concurrency` prefork processes; each loads the pipeline once when it starts
(`worker_process_init`, see app.py) and splits the machine's cores with its siblings. Beat
(housekeeping) must run exactly once per deployment: `--beat` embeds it in one worker,
`--beat-only` runs it alone (compose's `beat` service).
"""

from __future__ import annotations

import os
import socket

from service.settings import Settings
from service.tasks import QUEUE
from service.tasks.app import configure


def _schedule_file(settings: Settings) -> str:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return str(settings.data_dir / "celerybeat-schedule")


def run_worker(settings: Settings, *, concurrency: int, beat: bool) -> int:
    """Run until stopped (SIGTERM: warm shutdown, unfinished tasks go back to the queue)."""
    threads = max(1, (os.cpu_count() or 1) // concurrency)
    app = configure(settings, threads=threads)
    worker = app.Worker(
        hostname=f"upstander-{os.getpid()}@{socket.gethostname()}",
        concurrency=concurrency,
        pool_cls="prefork",
        queues=[QUEUE],
        beat=beat,
        schedule_filename=_schedule_file(settings),
        loglevel=settings.log_level,
        optimization="fair",
        without_gossip=True,
        without_mingle=True,
    )
    worker.start()
    return int(worker.exitcode or 0)


def run_beat(settings: Settings) -> None:
    """Only the scheduler: sends housekeeping tasks on time, processes nothing, loads no model."""
    app = configure(settings)
    app.Beat(schedule=_schedule_file(settings), loglevel=settings.log_level).run()
