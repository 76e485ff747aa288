"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL when CI provides one),
settings pointing at it, and the real pipeline loaded once per test session."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.settings import REPO_ROOT, Settings

POSTGRES_URL = os.environ.get("UPSTANDER_TEST_POSTGRES_URL")
SAMPLE = REPO_ROOT / "service" / "samples" / "survey_export.csv"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _fresh_postgres() -> str:
    assert POSTGRES_URL
    name = f"upstander_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def _drop_postgres(url: str) -> None:
    from service.storage.db import get_engine

    get_engine(url).dispose()
    name = make_url(url).database
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request, tmp_path) -> str:
    """A migrated, empty database: every storage and API test runs on both engines."""
    from service.storage.migrate import upgrade

    if request.param == "postgres":
        if not POSTGRES_URL:
            pytest.skip("UPSTANDER_TEST_POSTGRES_URL not set (CI sets it)")
        url = _fresh_postgres()
        request.addfinalizer(lambda: _drop_postgres(url))
    else:
        url = f"sqlite:///{tmp_path / 'data' / 'upstander.db'}"
    upgrade(url)
    return url


@pytest.fixture
def settings(db_url, tmp_path) -> Settings:
    return Settings(
        environment="test", data_dir=tmp_path / "data", database_url=db_url, worker_enabled=False, chunk_size=8
    )


@pytest.fixture(scope="session")
def pipeline():
    """The real pipeline: Presidio + spaCy and the shipped classifier, loaded once."""
    from service.components import get_pipeline

    return get_pipeline(Settings(environment="test"))


# Fixtures that load the real models (Presidio + spaCy, the shipped classifier): a test that uses
# one is slow whatever its module says, so `make test-fast` leaves it out.
REAL_MODEL_FIXTURES = frozenset({"pipeline", "redactor"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if REAL_MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
