"""A worker process killed mid-batch, then restarted: every item processed exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from service.batches.models import Batch, Chunk, Item
from service.batches.service import ingest
from service.storage.db import get_sessionmaker, session_scope

pytestmark = pytest.mark.slow
PHRASES = [
    "my supervisor shouted at me again today",
    "the canteen food has improved a lot",
    "she keeps leaving me out of the team lunch on purpose",
    "rota changes are announced too late",
    "he calls me useless in front of customers",
    "great support from my manager this month",
]


def worker(settings, *args):
    env = os.environ | {
        "UPSTANDER_DATA_DIR": str(settings.data_dir),
        "UPSTANDER_DATABASE_URL": settings.sqlalchemy_url,
        "UPSTANDER_CHUNK_LEASE_SECONDS": "5",
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def counts(settings, batch_id):
    with session_scope(settings.sqlalchemy_url) as s:
        batch = s.get(Batch, batch_id)
        items = s.scalar(select(func.count()).select_from(Item).where(Item.batch_id == batch_id))
        distinct = s.scalar(select(func.count(func.distinct(Item.row_index))).where(Item.batch_id == batch_id))
        sealed = s.scalar(select(func.count()).select_from(Chunk).where(Chunk.sealed_input.is_not(None)))
        return batch.status, batch.chunks_done, batch.processed, items, distinct, sealed


def test_killed_worker_resumes_without_loss_or_duplicates(settings):
    rows = [{"id": f"r{i}", "text": f"{PHRASES[i % len(PHRASES)]} ({i})", "consent": i % 10 != 0} for i in range(480)]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    with session_scope(settings.sqlalchemy_url) as session:
        batch, created = ingest(session, data=data, filename="x.jsonl", fmt="jsonl", settings=settings)
        batch_id, chunks_total = batch.id, batch.chunks_total
    consented = sum(r["consent"] for r in rows)
    assert created and chunks_total == consented // settings.chunk_size

    first = worker(settings)
    deadline = time.time() + 300
    while counts(settings, batch_id)[1] < 3:
        assert first.poll() is None, first.stderr.read()
        assert time.time() < deadline
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    status, done_at_kill, *_ = counts(settings, batch_id)
    assert status == "running" and 3 <= done_at_kill < chunks_total

    second = worker(settings, "--until-idle")
    deadline = time.time() + 300
    while counts(settings, batch_id)[0] != "done":
        if second.poll() is not None and counts(settings, batch_id)[0] != "done":
            second = worker(settings, "--until-idle")  # exited before the dead worker's lease expired
        assert time.time() < deadline
        time.sleep(0.5)
    second.wait(timeout=120)
    status, chunks_done, processed, items, distinct, sealed = counts(settings, batch_id)
    assert (status, chunks_done, processed) == ("done", chunks_total, len(rows))
    assert items == distinct == len(rows)  # every row once: analysed, or kept as a skipped record
    assert sealed == 0  # no pending input survives processing


def test_same_content_is_one_batch(settings):
    data = b'{"id": "a", "text": "hello", "consent": true}\n'
    with session_scope(settings.sqlalchemy_url) as session:
        first, created = ingest(session, data=data, fmt="jsonl", settings=settings)
        again, created_again = ingest(session, data=data, fmt="jsonl", idempotency_key="other-key", settings=settings)
    assert created and not created_again and again.id == first.id


def test_ingest_leaves_the_commit_to_the_caller(settings):
    """The route commits a new batch together with its audit event, so ingest itself only flushes:
    a caller that rolls back keeps nothing."""
    data = b'{"id": "a", "text": "hello", "consent": true}\n'
    session = get_sessionmaker(settings.sqlalchemy_url)()
    try:
        batch, created = ingest(session, data=data, fmt="jsonl", settings=settings)
        batch_id = batch.id
        session.rollback()
    finally:
        session.close()
    assert created
    with session_scope(settings.sqlalchemy_url) as session:
        assert session.get(Batch, batch_id) is None
