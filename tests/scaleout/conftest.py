"""Fixtures for the scale-out path: a real Redis (CI starts one; UPSTANDER_TEST_REDIS_URL), settings
with a broker, and the Celery app put back to its unconfigured state after each test."""

from __future__ import annotations

import os

import pytest
from pydantic import SecretStr

from tests.api.conftest import tokens  # noqa: F401  (one token per role, as in the API tests)

REDIS_URL = os.environ.get("UPSTANDER_TEST_REDIS_URL")


@pytest.fixture
def redis_url() -> str:
    """The test Redis, emptied: no message of an earlier test can reach this one's workers."""
    if not REDIS_URL:
        pytest.skip("UPSTANDER_TEST_REDIS_URL not set (.ci/run starts a redis-server and sets it)")
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    client.close()
    return REDIS_URL


@pytest.fixture
def broker_settings(settings, redis_url):
    """The shared settings fixture (SQLite and PostgreSQL), with a real broker."""
    return settings.model_copy(update={"broker_url": SecretStr(redis_url), "requeue_seconds": 1.0})


@pytest.fixture
def eager_settings(settings):
    """Tasks run in the caller (Celery's eager mode) on an in-memory broker: for task logic only."""
    from service.tasks.app import configure

    eager = settings.model_copy(update={"broker_url": SecretStr("redis://unused.invalid:1/0"), "requeue_seconds": 1.0})
    configure(eager, eager=True)
    yield eager
    configure(eager, eager=False)


@pytest.fixture
def echo_pipeline(monkeypatch):
    """A stand-in pipeline where a test is about the queue, not the models."""
    from tests.test_worker import EchoPipeline

    pipeline = EchoPipeline()
    monkeypatch.setattr("service.components.get_pipeline", lambda settings: pipeline)
    return pipeline
