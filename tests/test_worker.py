"""The unit of work: chunk claims with leases, and failures that never drop an item."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.batches.models import Batch, Chunk, Item
from service.batches.service import ingest
from service.inputs import InputRow
from service.pipeline.runner import Outcome
from service.storage.db import session_scope
from service.worker import claim_chunk, process_chunk, run_worker


class ExplodingPipeline:
    """Stands in for the real pipeline: this test is about the worker, not the models."""

    model_version = "fake"

    def process(self, rows: list[InputRow]) -> list[Outcome]:
        raise RuntimeError("boom")


class EchoPipeline:
    model_version = "fake"

    def process(self, rows):
        return [
            Outcome(
                r,
                {
                    "id": r.id,
                    "redacted_text": "<redacted>",
                    "themes": [],
                    "scores": {},
                    "severity": "none",
                    "urgent": False,
                    "urgent_reasons": [],
                    "evidence": [],
                    "model_version": "fake",
                },
                "done",
            )
            for r in rows
        ]


def make_batch(settings, n=20):
    data = "".join(json.dumps({"id": f"r{i}", "text": f"text {i}", "consent": True}) + "\n" for i in range(n)).encode()
    with session_scope(settings.sqlalchemy_url) as session:
        batch, _ = ingest(session, data=data, fmt="jsonl", settings=settings)
        return batch.id


def test_two_workers_never_hold_the_same_chunk(settings):
    make_batch(settings)
    a, b = claim_chunk(settings, "worker-a"), claim_chunk(settings, "worker-b")
    assert a is not None and b is not None and a != b
    assert process_chunk(settings, a, "worker-b", pipeline=EchoPipeline()) is False  # not b's claim


def test_chunk_failing_repeatedly_goes_to_review_not_the_bin(settings):
    batch_id = make_batch(settings, n=8)
    settings = settings.model_copy(update={"chunk_lease_seconds": 0})
    for attempt in range(3):  # a crashing stage: the chunk stays claimed and is retried
        chunk_id = claim_chunk(settings, f"w{attempt}")
        with pytest.raises(RuntimeError):
            process_chunk(settings, chunk_id, f"w{attempt}", pipeline=ExplodingPipeline())
    chunk_id = claim_chunk(settings, "w-last")  # fourth attempt: handed to reviewers
    assert chunk_id is not None
    assert process_chunk(settings, chunk_id, "w-last", pipeline=ExplodingPipeline())
    with session_scope(settings.sqlalchemy_url) as session:
        items = session.scalars(select(Item).where(Item.batch_id == batch_id)).all()
        batch = session.get(Batch, batch_id)
        chunk = session.get(Chunk, chunk_id)
        assert len(items) == 8 and {i.status for i in items} == {"needs_review"}
        assert all(i.redacted_text is None for i in items)
        assert batch.status == "done" and batch.needs_review == 8 and chunk.sealed_input is None


def test_run_worker_drains_everything(settings, monkeypatch):
    batch_id = make_batch(settings, n=30)
    monkeypatch.setattr("service.components.get_pipeline", lambda s: EchoPipeline())
    assert run_worker(settings, until_idle=True) == 4  # 30 rows in chunks of 8
    with session_scope(settings.sqlalchemy_url) as session:
        batch = session.get(Batch, batch_id)
        assert (batch.status, batch.processed, batch.chunks_done) == ("done", 30, 4)
        rows = session.scalars(select(Item.row_index).where(Item.batch_id == batch_id).order_by(Item.row_index)).all()
        assert rows == list(range(30))
