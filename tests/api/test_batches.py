"""Batches API: upload formats, idempotency, status, paged results, errors and roles."""

from __future__ import annotations

import pytest

from service.keyed import row_ref
from service.worker import run_worker
from tests.api.conftest import auth
from tests.conftest import SAMPLE

pytestmark = pytest.mark.slow
CSV = SAMPLE.read_bytes()


def upload(client, token, data=CSV, ctype="text/csv", **headers):
    return client.post("/v1/batches", content=data, headers=auth(token) | {"Content-Type": ctype} | headers)


def drain(settings, pipeline, monkeypatch):
    monkeypatch.setattr("service.components.get_pipeline", lambda s: pipeline)
    run_worker(settings, until_idle=True)


def all_items(client, token, batch_id, limit=4):
    items, cursor = [], None
    while True:
        params = {"limit": limit} | ({"cursor": cursor} if cursor else {})
        page = client.get(f"/v1/batches/{batch_id}/items", params=params, headers=auth(token)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def test_upload_process_and_page_results(client, tokens, settings, pipeline, monkeypatch):
    res = upload(client, tokens["analyst"])
    assert res.status_code == 202, res.text
    batch_id = res.json()["id"]
    status = client.get(f"/v1/batches/{batch_id}", headers=auth(tokens["analyst"])).json()
    assert status["status"] == "queued"
    assert status["counts"] | {} == {
        "total": 15,
        "processed": 1,
        "queued": 14,
        "analyzed": 0,
        "skipped_no_consent": 1,
        "failed": 0,
        "needs_review": 0,
    }
    assert status["estimated_finish_at"] is None  # no rate measured yet
    drain(settings, pipeline, monkeypatch)
    status = client.get(f"/v1/batches/{batch_id}", headers=auth(tokens["reviewer"])).json()
    assert status["status"] == "done" and status["counts"]["processed"] == 15
    assert status["counts"]["analyzed"] == 14 and status["counts"]["queued"] == 0
    items = all_items(client, tokens["reviewer"], batch_id)
    # One record per input row, in input order, as `upstander analyze` writes them; row ids are
    # kept as batch-scoped keyed refs, none of the export's own ids.
    expected = [row_ref(settings, batch_id, f"s{n:03d}") for n in range(1, 16)]
    assert [i["id"] for i in items] == expected
    assert items[2] == {"id": expected[2], "skipped": "no_consent"}  # nothing else of that row is kept
    assert all(i["model_version"] and "redacted_text" in i for n, i in enumerate(items) if n != 2)
    assert "Gary Holt" not in str(items)


def test_json_list_and_jsonl_uploads(client, tokens):
    body = [
        {"id": "j1", "text": "my lead mocks my accent", "consent": True, "unit": "A"},
        {"id": "j2", "text": "no thanks", "consent": False},
    ]
    res = client.post("/v1/batches", json=body, headers=auth(tokens["admin"]))
    assert res.status_code == 202 and res.json()["total"] == 2
    jsonl = b'{"id": "k1", "text": "fine", "consent": "yes"}\n'
    res = upload(client, tokens["analyst"], jsonl, "application/x-ndjson")
    assert res.status_code == 202 and res.json()["total"] == 1


def test_multipart_upload(client, tokens):
    res = client.post("/v1/batches", files={"file": ("export.csv", CSV, "text/csv")}, headers=auth(tokens["analyst"]))
    assert res.status_code == 202 and res.json()["total"] == 15


def test_same_upload_twice_makes_one_batch(client, tokens):
    first = upload(client, tokens["analyst"]).json()
    again = upload(client, tokens["analyst"]).json()
    assert again["id"] == first["id"] and again["duplicate"] is True
    keyed = upload(client, tokens["analyst"], CSV + b"x1,another row,yes,,,,\n", **{"Idempotency-Key": "k-1"}).json()
    replay = upload(client, tokens["analyst"], CSV + b"x1,another row,yes,,,,\n", **{"Idempotency-Key": "k-1"}).json()
    assert keyed["id"] == replay["id"] != first["id"]
    conflict = upload(client, tokens["analyst"], CSV + b"x2,other,yes,,,,\n", **{"Idempotency-Key": "k-1"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "idempotency_conflict"


@pytest.mark.parametrize(
    ("data", "ctype", "status", "code"),
    [
        (b"", "text/csv", 422, "empty_file"),
        (b"id,body\n1,x\n", "text/csv", 422, "missing_columns"),
        (b"id;ID;text;consent\n1;2;x;yes\n", "text/csv", 422, "duplicate_columns"),
        ("id,text,consent\n1,caf\u00e9,yes\n".encode("latin-1"), "text/csv", 422, "invalid_encoding"),
        (b"[not json", "application/json", 422, "malformed_json"),
        (b"[]", "application/json", 422, "empty_file"),
        (b"hello", "application/pdf", 415, "unsupported_media_type"),
    ],
)
def test_bad_uploads_get_stable_codes(client, tokens, data, ctype, status, code):
    res = upload(client, tokens["analyst"], data, ctype)
    assert res.status_code == status
    assert res.json()["code"] == code and res.json()["message"]


def test_a_semicolon_export_with_capitalised_headers_is_accepted(client, tokens):
    res = upload(client, tokens["analyst"], b"ID;Text;Consent\nq1;a comment, with a comma;Yes\nq2;two;no\n")
    assert res.status_code == 202 and res.json()["total"] == 2


def test_a_windows_export_is_read_in_the_encoding_named(client, tokens, settings, pipeline, monkeypatch):
    text = "Manager called my work \u201crubbish\u201d and docked \u20ac50"
    data = f"id,text,consent\nw1,{text},yes\n".encode("cp1252")
    refused = upload(client, tokens["analyst"], data)  # UTF-8 unless told otherwise: never guessed
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_encoding"
    res = client.post(
        "/v1/batches?encoding=cp1252", content=data, headers=auth(tokens["analyst"]) | {"Content-Type": "text/csv"}
    )
    assert res.status_code == 202, res.text
    drain(settings, pipeline, monkeypatch)
    (item,) = all_items(client, tokens["reviewer"], res.json()["id"])
    assert item["redacted_text"] == text
    bad = client.post(
        "/v1/batches?encoding=ebcdic", content=data, headers=auth(tokens["analyst"]) | {"Content-Type": "text/csv"}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_upload_over_limit(client, tokens, settings):
    client.app.state.settings = settings.model_copy(update={"max_upload_bytes": 1024})
    res = upload(client, tokens["analyst"], CSV * 2)
    assert res.status_code == 413 and res.json()["code"] == "upload_too_large"


def test_bad_rows_reported_by_line(client, tokens, settings, pipeline, monkeypatch):
    data = b'{"id": "a", "text": "he called me a moron", "consent": true}\n{oops\n{"id": "c", "consent": true}\n'
    batch_id = upload(client, tokens["analyst"], data, "application/x-ndjson").json()["id"]
    drain(settings, pipeline, monkeypatch)
    status = client.get(f"/v1/batches/{batch_id}", headers=auth(tokens["analyst"])).json()
    assert status["counts"]["failed"] == 2 and status["counts"]["processed"] == 3
    items = all_items(client, tokens["reviewer"], batch_id)
    assert [(i.get("error") or {}).get("line") for i in items] == [None, 2, 3]
    assert items[0]["themes"] and items[0]["redacted_text"] == "he called me a moron"


def test_analyze_one_item(client, tokens):
    res = client.post(
        "/v1/analyze",
        json={
            "text": "Dave Smith pushed me into the wall and said next time I'd end up in hospital",
            "consent": True,
            "source": "report",
        },
        headers=auth(tokens["reviewer"]),
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["urgent"] and body["severity"] == "critical" and "violence" in body["urgent_reasons"]
    assert "Dave" not in body["redacted_text"] and body["batch_id"]
    assert "id" not in body  # no id was sent, none is invented
    flag = client.get(f"/v1/flags/{body['flag_id']}", headers=auth(tokens["reviewer"]))
    assert flag.status_code == 200 and flag.json()["urgent"] is True
    calm = client.post(
        "/v1/analyze", json={"id": "r-7", "text": "Lovely team.", "consent": True}, headers=auth(tokens["reviewer"])
    ).json()
    assert calm["id"] == "r-7" and "flag_id" not in calm
    res = client.post("/v1/analyze", json={"text": "x" * 20_001, "consent": True}, headers=auth(tokens["reviewer"]))
    assert res.status_code == 422 and res.json()["code"] == "item_too_long" and "xxxx" not in res.text


def test_item_reads_are_audited(client, tokens, settings, pipeline, monkeypatch):
    batch_id = upload(client, tokens["analyst"]).json()["id"]
    drain(settings, pipeline, monkeypatch)
    all_items(client, tokens["reviewer"], batch_id, limit=5)
    events = client.get("/v1/audit", params={"action": "items.read"}, headers=auth(tokens["admin"])).json()
    read_ids = [i for e in events for i in e["detail"]["item_ids"]]
    assert len(read_ids) == 15 and len(set(read_ids)) == 15  # every row record read, the skipped one too
    assert all(e["object_id"] == batch_id and e["actor_role"] == "reviewer" for e in events)


def test_health(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    assert "/v1/batches" in client.get("/openapi.json").json()["paths"]
