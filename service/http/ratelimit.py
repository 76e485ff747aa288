"""Failed-authentication rate limit per client address, so tokens cannot be guessed at speed.

Built on `limits` (the library behind slowapi): a moving window of failures per address. Only
failures count, so a busy but honest client is never slowed; once over the limit, every request
from that address gets 429 with Retry-After until the window has room again.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from service.errors import UpstanderError


class AuthFailureGuard:
    def __init__(self, failures_per_minute: int):
        self._item = RateLimitItemPerMinute(failures_per_minute)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, client: str) -> None:
        """Raise 429 when this address has used up its failures for the window."""
        if self._limiter.test(self._item, "auth-failure", client):
            return
        reset_at, _ = self._limiter.get_window_stats(self._item, "auth-failure", client)
        retry = max(1, math.ceil(reset_at - time.time()))
        raise UpstanderError(
            "too many failed sign-ins from this address; try again later",
            code="rate_limited",
            http_status=429,
            headers={"Retry-After": str(retry)},
        )

    def failed(self, client: str) -> None:
        self._limiter.hit(self._item, "auth-failure", client)
