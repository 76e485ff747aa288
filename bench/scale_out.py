"""Scale-out on Celery: items/s with one and two `upstander worker` processes, and the rate at
which PostgreSQL stores finished items (the figures behind the README's capacity plan).

Needs a Redis and a PostgreSQL (the same ones the tests use): `--redis` / `--postgres`, or
UPSTANDER_TEST_REDIS_URL / UPSTANDER_TEST_POSTGRES_URL. Each run gets a fresh database. Model
loading is excluded: the clock starts when every worker process has loaded its models.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydantic import SecretStr  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.texts import survey_texts  # noqa: E402
from service.batches.models import Batch  # noqa: E402
from service.batches.service import ingest  # noqa: E402
from service.settings import Settings  # noqa: E402
from service.storage.db import get_engine, session_scope  # noqa: E402
from service.storage.migrate import upgrade  # noqa: E402


def fresh_database(admin_url: str) -> str:
    name = f"upstander_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(admin_url: str, url: str) -> None:
    get_engine(url).dispose()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def make_batch(settings: Settings, n: int) -> str:
    rows = [{"id": f"b{i}", "text": t, "consent": True} for i, t in enumerate(survey_texts(n))]
    data = (
        "".join(json.dumps(r) + "\n" for r in rows).encode()
        + f'{{"id": "nonce", "text": "{uuid.uuid4()}", "consent": false}}\n'.encode()
    )
    with session_scope(settings.sqlalchemy_url) as session:
        batch, _ = ingest(session, data=data, fmt="jsonl", settings=settings)
        return batch.id


def wait_done(settings: Settings, batch_id: str, timeout: float) -> None:
    deadline = time.time() + timeout
    while True:
        with session_scope(settings.sqlalchemy_url) as session:
            if session.get(Batch, batch_id).status == "done":
                return
        if time.time() > deadline:
            raise SystemExit("the batch did not finish in time")
        time.sleep(0.2)


def workers_rate(settings: Settings, redis_url: str, processes: int, n: int, data_dir: Path) -> float:
    """items/s of `processes` single-process Celery workers draining one batch of n items."""
    import redis

    from service.tasks.enqueue import enqueue_batch

    redis.Redis.from_url(redis_url).flushdb()
    env = os.environ | {
        "UPSTANDER_DATA_DIR": str(data_dir),
        "UPSTANDER_DATABASE_URL": settings.sqlalchemy_url,
        "UPSTANDER_BROKER_URL": redis_url,
        "UPSTANDER_CHUNK_SIZE": str(settings.chunk_size),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
    }
    logs = [data_dir / f"worker-{processes}-{i}.log" for i in range(processes)]
    procs = []
    for log in logs:
        with log.open("w") as out:
            cmd = [sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"]
            procs.append(subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT))
    try:
        while not all("pipeline loaded" in log.read_text() for log in logs):
            if any(p.poll() is not None for p in procs):
                raise SystemExit("a worker exited: " + " ".join(log.read_text()[-2000:] for log in logs))
            time.sleep(0.5)
        batch_id = make_batch(settings, n)
        started = time.perf_counter()
        enqueue_batch(settings, batch_id)
        wait_done(settings, batch_id, timeout=3600)
        return n / (time.perf_counter() - started)
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=120)


class StoreOnly:
    """A pipeline that returns at once: what is left is unsealing and PostgreSQL's writes."""

    model_version = "bench"

    def process(self, rows):
        from service.pipeline.runner import Outcome

        record = {"redacted_text": "<redacted>", "themes": [], "scores": {}, "severity": "none", "urgent": False}
        return [Outcome(r, record | {"id": r.id, "model_version": "bench"}, "done") for r in rows]


def store_rate(settings: Settings, n: int, writers: int) -> float:
    """Finished items stored per second by `writers` concurrent chunk writers (no models)."""
    from service.worker import claim_chunk, process_chunk

    batch_id = make_batch(settings, n)
    pipeline = StoreOnly()

    def drain(name: str) -> None:
        while (chunk_id := claim_chunk(settings, name)) is not None:
            process_chunk(settings, chunk_id, name, pipeline=pipeline)

    started = time.perf_counter()
    threads = [threading.Thread(target=drain, args=(f"bench-{i}",)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait_done(settings, batch_id, timeout=60)
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1536, help="items per batch for the worker runs")
    parser.add_argument("--store-n", type=int, default=8192, help="items for the store-rate runs")
    parser.add_argument("--chunk-size", type=int, default=64)
    parser.add_argument("--redis", default=os.environ.get("UPSTANDER_TEST_REDIS_URL"))
    parser.add_argument("--postgres", default=os.environ.get("UPSTANDER_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not (args.redis and args.postgres):
        raise SystemExit("need --redis and --postgres (or UPSTANDER_TEST_REDIS_URL / UPSTANDER_TEST_POSTGRES_URL)")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        for processes in (1, 2):
            url = fresh_database(args.postgres)
            settings = Settings(
                environment="test",
                data_dir=data_dir,
                database_url=url,
                broker_url=SecretStr(args.redis),
                chunk_size=args.chunk_size,
            )
            try:
                figures[f"workers_{processes}_items_per_s"] = workers_rate(
                    settings, args.redis, processes, args.n, data_dir
                )
            finally:
                drop_database(args.postgres, url)
            print(
                f"{processes} worker process(es): {figures[f'workers_{processes}_items_per_s']:.1f} items/s", flush=True
            )
        for writers in (1, 4):
            url = fresh_database(args.postgres)
            settings = Settings(environment="test", data_dir=data_dir, database_url=url, chunk_size=args.chunk_size)
            try:
                figures[f"postgres_store_{writers}_writers_items_per_s"] = store_rate(settings, args.store_n, writers)
            finally:
                drop_database(args.postgres, url)
            print(
                f"PostgreSQL stores {figures[f'postgres_store_{writers}_writers_items_per_s']:.0f} finished items/s with {writers} writer(s)",
                flush=True,
            )
    ratio = figures["workers_2_items_per_s"] / figures["workers_1_items_per_s"]
    print(f"two workers / one worker: {ratio:.2f}x on {os.cpu_count()} cores")
    print(json.dumps(figures | {"ratio_2_to_1": round(ratio, 2), "cores": os.cpu_count() or 0}))


if __name__ == "__main__":
    main()
