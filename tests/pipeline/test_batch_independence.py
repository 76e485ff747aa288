"""An item's result never depends on its batchmates: same items, two orders, two chunk sizes."""

import copy

import pytest

from service.inputs import iter_rows
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow


def _records(pipeline, rows, chunk):
    out = {}
    for start in range(0, len(rows), chunk):
        for outcome in pipeline.process(copy.deepcopy(rows[start : start + chunk])):
            out[outcome.record["id"]] = outcome.record
    return out


def test_same_items_in_two_orders_and_chunk_sizes_give_identical_records(pipeline):
    with SAMPLE.open("rb") as f:
        rows = list(iter_rows(f, "csv", 20_000))
    forward = _records(pipeline, rows, chunk=4)
    backward = _records(pipeline, rows[::-1], chunk=16)
    assert forward == backward
    assert sum("redacted_text" in r for r in forward.values()) >= 10
