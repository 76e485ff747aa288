"""`analyze` with worker processes reads its input only as fast as results come back (flat memory),
and returns results in input order."""

import multiprocessing as mp
import time

import pytest

from service.analyze import in_order


def _slow_square(x: int) -> int:
    time.sleep(0.02 * (x % 3))  # finish out of order
    return x * x


def test_results_in_input_order_with_a_bounded_read_ahead():
    read: list[int] = []
    read_when_collected: list[int] = []

    def items():
        for i in range(40):
            read.append(i)
            yield i

    with mp.get_context("spawn").Pool(2) as pool:
        out = []
        for item, result in in_order(items(), lambda x: pool.apply_async(_slow_square, (x,)), window=4):
            read_when_collected.append(len(read))
            out.append((item, result))
    assert out == [(i, i * i) for i in range(40)]
    # when the k-th result is handed out, at most `window` items have been read past it
    assert all(n <= k + 4 for k, n in enumerate(read_when_collected, start=1))
    assert max(n - k for k, n in enumerate(read_when_collected, start=1)) == 3  # the window is used


def test_a_worker_error_reaches_the_caller():
    def boom(x):
        class Failed:
            def get(self):
                raise ValueError("worker failed")

        return Failed()

    with pytest.raises(ValueError, match="worker failed"):
        list(in_order(range(3), boom, window=2))
