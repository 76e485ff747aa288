"""Unit scopes: one canonical form, one test, the same answer from every query (issue: BOLA by case)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from service.batches.models import Item
from service.inputs import build_row
from service.storage.db import session_scope
from service.tokens.service import create_token
from service.units import covers, normalise
from tests.api.conftest import auth


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("ACME/SALES/apac", "acme/sales/apac"),
        (" Acme / Sales/ ", "acme/sales"),
        ("acme//hr", "acme/hr"),
    ],
)
def test_units_are_canonical_at_input(raw, canonical):
    assert normalise(raw) == canonical
    row = build_row(2, {"id": "x", "text": "t", "consent": "yes", "unit": raw}, 1000)
    assert row.unit == canonical


@pytest.mark.parametrize(
    ("scope", "unit", "inside"),
    [
        ("acme/sales", "acme/sales", True),
        ("ACME/Sales", "acme/sales/apac", True),
        ("acme/sales", "acme/salesforce", False),
        ("acme/sales", "ACME/SALES/apac", False),
        ("acme/sales", "acme", False),
        ("acme/sales", None, False),
    ],
)
def test_covers_compares_the_stored_unit_exactly(scope, unit, inside):
    assert covers(scope, unit) is inside


def _flag_ids_listed(client, token) -> set[int]:
    return {f["id"] for f in client.get("/v1/flags", headers=auth(token)).json()["flags"]}


def test_list_and_read_agree_whatever_the_case(client, store, scoped_reviewers):
    """A non-canonical stored unit (written before units were folded) is outside the scope everywhere."""
    store([{"unit": "acme/sales/apac"}, {"unit": "ACME/SALES/apac"}, {"unit": "acme/salesforce"}])
    _, sales = scoped_reviewers["sales"]
    listed = _flag_ids_listed(client, sales)
    assert len(listed) == 1
    read_status = {fid: client.get(f"/v1/flags/{fid}", headers=auth(sales)).status_code for fid in range(1, 4)}
    assert {fid for fid, status in read_status.items() if status == 200} == listed
    items_page = client.get("/v1/batches/" + _batch_of(client, sales, listed) + "/items", headers=auth(sales)).json()
    assert [i["unit"] for i in items_page["items"]] == ["acme/sales/apac"]


def _batch_of(client, token, flag_ids) -> str:
    return client.get(f"/v1/flags/{next(iter(flag_ids))}", headers=auth(token)).json()["batch_id"]


def test_token_scopes_are_stored_canonical(settings):
    with session_scope(settings.sqlalchemy_url) as session:
        row, _ = create_token(session, name="x", role="reviewer", units=[" ACME/Sales ", "acme/sales", "Acme/HR"])
        assert row.units == ["acme/hr", "acme/sales"]


def _jsonl(rows) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def test_scoped_analyst_uploads_only_its_units_and_reads_only_its_batches(client, settings):
    with session_scope(settings.sqlalchemy_url) as session:
        _, sales = create_token(session, name="a-sales", role="analyst", units=["acme/sales"])
        _, hr = create_token(session, name="a-hr", role="analyst", units=["acme/hr"])
    rows = [
        {"id": "1", "text": "fine", "consent": "yes", "unit": "ACME/Sales/emea"},
        {"id": "2", "text": "fine", "consent": "yes", "unit": "acme/hr"},
        {"id": "3", "text": "fine", "consent": "yes"},
    ]
    res = client.post(
        "/v1/batches", content=_jsonl(rows), headers=auth(sales) | {"Content-Type": "application/x-ndjson"}
    )
    assert res.status_code == 202, res.text
    batch_id = res.json()["id"]
    status = client.get(f"/v1/batches/{batch_id}", headers=auth(sales))
    assert status.status_code == 200 and status.json()["counts"]["failed"] == 2
    with session_scope(settings.sqlalchemy_url) as session:
        codes = sorted(session.scalars(select(Item.error_code).where(Item.batch_id == batch_id)))
    assert codes == ["unit_out_of_scope", "unit_out_of_scope"]
    assert client.get(f"/v1/batches/{batch_id}", headers=auth(hr)).status_code == 404
