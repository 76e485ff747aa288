"""Storage on both engines: migrations match the models, leases, sealed input."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from cryptography.exceptions import InvalidTag
from sqlalchemy import create_engine

from service.storage.sealed import load_key, seal, unseal
from service.tables import Base


def test_migrations_match_models(db_url):
    engine = create_engine(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def test_sealed_input_roundtrip_and_binding(settings):
    key = load_key(settings)
    assert load_key(settings) == key  # the development key is stable once created
    blob = seal(key, [{"text": "private words"}], "batch-1:0")
    assert b"private" not in blob
    assert unseal(key, blob, "batch-1:0") == [{"text": "private words"}]
    with pytest.raises(InvalidTag):
        unseal(key, blob, "batch-1:1")  # bound to its chunk: cannot be replayed elsewhere


def test_production_needs_real_secrets(tmp_path):
    from service.settings import Settings

    with pytest.raises(ValueError):
        Settings(environment="production", data_dir=tmp_path)
    prod = Settings(environment="production", data_dir=tmp_path, pseudonym_secret="s3cret-value")
    with pytest.raises(RuntimeError):
        load_key(prod)
