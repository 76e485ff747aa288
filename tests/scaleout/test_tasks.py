"""The Celery tasks in-process (eager, no models): at-least-once delivery, exactly-once storage.

A broker may deliver a chunk's task twice, or hand it to a second worker while the first still
runs; the claim and the one-transaction finish must store the chunk's items once whatever happens.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlalchemy import func, select, update

from service.batches.models import Batch, Chunk, Item
from service.settings import Settings
from service.storage.db import session_scope, utcnow
from service.storage.lease import task_lease_seconds
from service.tasks.app import celery_app, configure
from service.tasks.enqueue import enqueue_batch, requeue_stale
from service.tasks.jobs import process_chunk_task
from service.worker import claim_chunk_id
from tests.test_worker import make_batch


def stored(settings, batch_id) -> tuple[str, int, int]:
    with session_scope(settings.sqlalchemy_url) as s:
        items = s.scalar(select(func.count()).select_from(Item).where(Item.batch_id == batch_id))
        distinct = s.scalar(select(func.count(func.distinct(Item.row_index))).where(Item.batch_id == batch_id))
        return s.get(Batch, batch_id).status, items, distinct


def chunk_ids(settings, batch_id) -> list[int]:
    with session_scope(settings.sqlalchemy_url) as s:
        return list(s.scalars(select(Chunk.id).where(Chunk.batch_id == batch_id).order_by(Chunk.id)))


def test_the_app_is_configured_not_to_lose_a_killed_workers_task(settings):
    app = configure(settings.model_copy(update={"broker_url": SecretStr("redis://127.0.0.1:1/3")}))
    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost and conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == settings.broker_visibility_timeout_seconds == 60
    assert conf.broker_transport_options["unacked_restore_throttle"] == 1
    assert set(conf.beat_schedule) == {"deliver-webhooks", "mark-overdue", "apply-retention"}
    assert conf.task_ignore_result and conf.task_serializer == "json"
    # a chunk's lease runs out before the broker hands a dead worker's task to someone else
    assert task_lease_seconds(settings) <= settings.broker_visibility_timeout_seconds / 2
    configure(settings)


def test_upload_enqueues_one_task_per_chunk_and_duplicates_store_nothing(eager_settings, echo_pipeline):
    batch_id = make_batch(eager_settings, n=20)
    ids = chunk_ids(eager_settings, batch_id)
    assert enqueue_batch(eager_settings, batch_id) == len(ids) == 3
    assert stored(eager_settings, batch_id) == ("done", 20, 20)
    for chunk_id in ids:  # the broker delivers every task again: nothing is stored twice
        assert process_chunk_task.apply(args=[chunk_id]).get() is False
    assert stored(eager_settings, batch_id) == ("done", 20, 20)
    assert enqueue_batch(eager_settings, batch_id) == 0  # nothing pending is left to send


def test_a_task_steps_aside_while_another_worker_holds_the_chunk(eager_settings, echo_pipeline):
    batch_id = make_batch(eager_settings, n=8)
    (chunk_id,) = chunk_ids(eager_settings, batch_id)
    assert claim_chunk_id(eager_settings, chunk_id, "other-worker", 30)
    assert process_chunk_task.apply(args=[chunk_id]).get() is False  # a live lease: not ours
    assert stored(eager_settings, batch_id)[1] == 0
    with session_scope(eager_settings.sqlalchemy_url) as s:  # the other worker died: its lease runs out
        s.execute(update(Chunk).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
    assert process_chunk_task.apply(args=[chunk_id]).get() is True
    assert stored(eager_settings, batch_id) == ("done", 8, 8)


def test_safety_net_requeues_lost_and_orphaned_chunks(eager_settings, echo_pipeline):
    batch_id = make_batch(eager_settings, n=16)
    first, second = chunk_ids(eager_settings, batch_id)
    assert requeue_stale(eager_settings) == {"chunks": 0, "evaluations": 0}  # too young to be lost
    claim_chunk_id(eager_settings, first, "dead-worker", 30)
    with session_scope(eager_settings.sqlalchemy_url) as s:
        s.execute(update(Chunk).where(Chunk.id == first).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        s.execute(update(Chunk).where(Chunk.id == second).values(updated_at=utcnow() - timedelta(seconds=60)))
    assert requeue_stale(eager_settings) == {"chunks": 2, "evaluations": 0}
    assert stored(eager_settings, batch_id) == ("done", 16, 16)
    with session_scope(eager_settings.sqlalchemy_url) as s:
        assert s.get(Chunk, first).attempts == 2  # the dead worker's try, then the redo


def test_a_failing_chunk_is_left_for_the_safety_net_not_dropped(eager_settings, monkeypatch):
    from tests.test_worker import ExplodingPipeline

    monkeypatch.setattr("service.components.get_pipeline", lambda settings: ExplodingPipeline())
    batch_id = make_batch(eager_settings, n=8)
    (chunk_id,) = chunk_ids(eager_settings, batch_id)
    assert process_chunk_task.apply(args=[chunk_id]).get() is False
    with session_scope(eager_settings.sqlalchemy_url) as s:
        chunk = s.get(Chunk, chunk_id)
        assert chunk.status == "claimed" and chunk.sealed_input is not None


def test_models_load_once_per_worker_process_not_per_task(eager_settings, monkeypatch):
    """`worker_process_init` loads the pipeline; every task after it reuses that one."""
    from service.tasks.app import load_models_once
    from tests.test_worker import EchoPipeline

    loads: list[str] = []

    @functools.lru_cache(maxsize=2)
    def counting_loader(models_dir: str, model_name: str, secret: str, *options: bool):  # bfloat16, explain
        loads.append(model_name)
        return EchoPipeline()

    monkeypatch.setattr("service.components._pipeline", counting_loader)
    load_models_once()
    assert loads == [eager_settings.model_name]
    batch_id = make_batch(eager_settings, n=24)
    assert enqueue_batch(eager_settings, batch_id) == 3
    assert stored(eager_settings, batch_id) == ("done", 24, 24)
    assert len(loads) == 1 and celery_app.conf.worker_proc_alive_timeout >= 300


def test_without_a_broker_the_worker_command_is_unchanged_and_refuses_celery_flags(tmp_path):
    env = os.environ | {"UPSTANDER_DATA_DIR": str(tmp_path)}
    env.pop("UPSTANDER_BROKER_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "worker", "--beat"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2 and "UPSTANDER_BROKER_URL" in result.stderr


def test_the_broker_must_be_redis(tmp_path):
    with pytest.raises(ValueError):
        Settings(data_dir=tmp_path, broker_url="amqp://guest@localhost//")
    assert not Settings(data_dir=tmp_path, broker_url="").broker_url  # empty: the embedded default
