"""Hostile input gets a 4xx with a stable code, never a 500 (deep JSON, 64-bit overflow, bad cursors)."""

from __future__ import annotations

import base64
import io
import json

import pytest

from service.inputs import iter_rows
from tests.api.conftest import auth

HUGE = str(2**63)  # one past the largest signed 64-bit integer (SQLite overflowed)
PG_HUGE = str(2**31)  # one past PostgreSQL's INTEGER


def test_deeply_nested_bodies_are_400(client, tokens):
    deep_item = json.dumps({"text": "x"})[:-1] + ', "x": ' + "[" * 1500 + "]" * 1500 + "}"
    for body in ("[" * 100_000, deep_item):
        res = client.post(
            "/v1/analyze", content=body, headers=auth(tokens["reviewer"]) | {"Content-Type": "application/json"}
        )
        assert res.status_code == 400, res.text
        assert res.json()["code"] == "malformed_body"


def test_deep_jsonl_line_is_a_row_error():
    data = (
        '{"id": "a", "text": "hello", "consent": true}\n'
        '{"id": "b", "text": "x", "consent": true, "extra": ' + "[" * 1500 + "]" * 1500 + "}\n"
    ).encode()
    rows = list(iter_rows(io.BytesIO(data), "jsonl", 1000))
    assert rows[0].error is None
    assert rows[1].error is not None and rows[1].error.code == "malformed_json"


def test_deep_jsonl_upload_is_accepted_with_a_row_error(client, tokens):
    data = ('{"id": "b", "text": "x", "consent": true, "extra": ' + "[" * 100_000 + "}\n").encode()
    res = client.post(
        "/v1/batches", content=data, headers=auth(tokens["analyst"]) | {"Content-Type": "application/x-ndjson"}
    )
    assert res.status_code == 202, res.text
    assert client.get(res.headers["Location"], headers=auth(tokens["analyst"])).json()["counts"]["failed"] == 1


@pytest.mark.parametrize(
    ("method", "path", "role", "body"),
    [
        ("GET", f"/v1/flags/{HUGE}", "reviewer", None),
        ("GET", f"/v1/flags/{PG_HUGE}", "reviewer", None),
        ("PATCH", f"/v1/flags/{HUGE}", "reviewer", {"status": "in_review", "version": 1}),
        ("POST", f"/v1/flags/{HUGE}/notes", "reviewer", {"body": "checked"}),
        ("POST", f"/v1/flags/{HUGE}/labels", "reviewer", {"themes": [], "severity": "none", "urgent_reasons": []}),
        ("DELETE", f"/v1/admin/tokens/{HUGE}", "admin", None),
        ("GET", f"/v1/audit?after_id={HUGE}", "admin", None),
        ("GET", f"/v1/audit?after_id={PG_HUGE}", "admin", None),
        ("PATCH", "/v1/flags/1", "reviewer", {"status": "in_review", "version": 2**63}),
        ("PATCH", "/v1/flags/1", "reviewer", {"assignee_token_id": 2**63, "version": 1}),
    ],
)
def test_integers_beyond_the_columns_are_4xx(client, tokens, method, path, role, body):
    res = client.request(method, path, json=body, headers=auth(tokens[role]))
    assert res.status_code == 422, res.text
    assert res.json()["code"] == "validation_error"


def _b64(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


@pytest.mark.parametrize("cursor", [_b64(HUGE), _b64("-5"), _b64("x"), "%%%"])
def test_bad_item_cursors_are_400(client, tokens, store, cursor):
    batch_id = store([{"severity": "high"}])
    res = client.get(f"/v1/batches/{batch_id}/items", params={"cursor": cursor}, headers=auth(tokens["reviewer"]))
    assert res.status_code == 400 and res.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "cursor",
    [
        _b64(json.dumps([1, 4, "2026-01-01T00:00:00+00:00", 2**63])),
        _b64(json.dumps([1, 2**64, "2026-01-01", 1])),
        _b64(json.dumps({"a": 1})),
        _b64(json.dumps(5)),
        "not-base64!",
    ],
)
def test_bad_flag_cursors_are_400(client, tokens, store, cursor):
    store([{"severity": "high"}])
    res = client.get("/v1/flags", params={"cursor": cursor}, headers=auth(tokens["reviewer"]))
    assert res.status_code == 400 and res.json()["code"] == "invalid_cursor"


def test_if_match_beyond_the_column_is_400(client, tokens, store):
    store([{"severity": "high"}])
    res = client.patch(
        "/v1/flags/1", json={"status": "in_review"}, headers=auth(tokens["reviewer"]) | {"If-Match": f'"{HUGE}"'}
    )
    assert res.status_code == 400 and res.json()["code"] == "invalid_if_match"


def test_wrong_method_is_405_with_allow(client, tokens):
    res = client.put("/v1/flags", headers=auth(tokens["reviewer"]))
    assert res.status_code == 405 and res.json()["code"] == "method_not_allowed"
    assert "GET" in res.headers["Allow"]


def test_nul_characters_are_dropped_at_input(client, tokens, settings):
    """PostgreSQL text cannot hold NUL: it used to turn /v1/analyze into a 500 on that engine."""
    from service.inputs import build_row

    row = build_row(2, {"id": "a\x00b", "text": "he sh\x00outed", "consent": "yes", "unit": "ac\x00me"}, 1000)
    assert (row.id, row.text, row.unit) == ("ab", "he shouted", "acme")
    data = (
        json.dumps({"id": "x\x00", "text": "my manager\x00 is fine", "consent": True, "unit": "a\x00"}).encode() + b"\n"
    )
    res = client.post(
        "/v1/batches", content=data, headers=auth(tokens["analyst"]) | {"Content-Type": "application/x-ndjson"}
    )
    assert res.status_code == 202, res.text


def test_token_names_with_control_characters_are_422(client, tokens):
    for name in ("\x00", "ops\x00team", "line\nbreak"):
        res = client.post("/v1/admin/tokens", json={"name": name, "role": "admin"}, headers=auth(tokens["admin"]))
        assert res.status_code == 422 and "code" in res.json()


@pytest.mark.parametrize(
    ("path", "role", "part"),
    [
        ("/v1/flags?batch_id=%00", "reviewer", "query"),  # schemathesis found it: a 500 on PostgreSQL
        ("/v1/flags?unit=acme%00north&limit=5", "reviewer", "query"),
        ("/v1/trends?period=2026-10%00", "analyst", "query"),
        ("/v1/audit?object_id=%00", "admin", "query"),
        ("/v1/batches/abc%00def", "analyst", "path"),
    ],
)
def test_a_nul_in_the_url_is_a_422_that_names_no_value(client, tokens, path, role, part):
    res = client.get(path, headers=auth(tokens[role]))
    assert res.status_code == 422, res.text
    body = res.json()
    assert body["code"] == "validation_error"
    assert body["fields"] == [{"loc": [part], "type": "nul_character"}]
    # The request id is random hex and may spell "abc" by chance: look at everything else.
    rest = json.dumps({key: value for key, value in body.items() if key != "request_id"})
    assert "acme" not in rest and "abc" not in rest and "north" not in rest
