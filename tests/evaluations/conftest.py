"""Reuse the API fixtures."""

from tests.api.conftest import client, tokens  # noqa: F401
