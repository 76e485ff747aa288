"""Admin tests reuse the API fixtures and the flag item factory."""

from tests.api.conftest import client, tokens  # noqa: F401
from tests.flags.conftest import store  # noqa: F401
