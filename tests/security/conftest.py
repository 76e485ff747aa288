"""Security regression fixtures: the API and flag fixtures, shared."""

from tests.api.conftest import client, tokens  # noqa: F401
from tests.flags.conftest import scoped_reviewers, store  # noqa: F401
