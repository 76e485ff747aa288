"""Against a real uvicorn server on loopback: upload → poll → results → flags and a reviewer's
note, then the privacy invariant: canary PII (in comments and in the note) and the text of rows
that must never be kept appear nowhere: not in the database, the server's logs, the data
folder's files, or any API response."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text

from service.storage.db import session_scope
from service.tokens.service import create_token
from tests.api.conftest import TEXT_KEYS, unaudited_text_reads
from tests.conftest import SAMPLE
from tests.servers import server_env, upstander_server

pytestmark = pytest.mark.slow

CANARY_PII = [
    "Zebulon Quackenbush",
    "Quackenbush",
    "zeb.quack@canary-mail.org",
    "07700 900987",
    "EMP-99173",
    "99173",
    "@zebq_canary",
    "27 Larkspur Avenue",
]
NEVER_KEPT = ["UNCONSENTED-OKAPI-CANARY", "OVERSIZED-NARWHAL-CANARY"]


def contains(hay: str, canary: str) -> bool:
    """Case-blind search; a canary of digits only counts as a whole number, since the same digits
    turn up by chance inside timestamps and scores ("03:26:43.991732")."""
    if canary.isdigit():
        return re.search(rf"(?<!\d){canary}(?!\d)", hay) is not None
    return canary.lower() in hay.lower()


def test_a_digit_canary_is_found_as_a_number_and_not_inside_one():
    assert contains("badge 99173.", "99173") and contains("EMP99173x", "99173")
    assert not contains('"finished_at":"2026-12-06T03:26:43.991732Z"', "99173")
    assert contains("Zeb QUACKENBUSH", "Quackenbush")


def canary_rows() -> list[dict]:
    return [
        {
            "id": "p1",
            "text": "Zebulon Quackenbush screamed at me in the stockroom and told me I was worthless.",
            "consent": "yes",
            "unit": "Canary Unit",
            "period": "2026-11",
        },
        {
            "id": "p2",
            "text": "If you need me, email zeb.quack@canary-mail.org or ring 07700 900987. My badge is "
            "EMP-99173 and Quackenbush keeps following me home to 27 Larkspur Avenue.",
            "consent": True,
            "source": "report",
        },
        {"id": "p3", "text": "@zebq_canary keeps posting about my weight in the team chat", "consent": 1},
        {"id": "p4", "text": "UNCONSENTED-OKAPI-CANARY Zebulon Quackenbush is awful", "consent": "no"},
        {"id": "p5", "text": "OVERSIZED-NARWHAL-CANARY " + "blah " * 5000, "consent": "yes"},
    ]


@pytest.fixture
def server(settings, tmp_path):
    log_path = tmp_path / "server.log"
    env = server_env(settings, UPSTANDER_CHUNK_SIZE="4", UPSTANDER_LOG_LEVEL="DEBUG")
    with upstander_server(env, log_path) as (base, _):
        yield base, log_path


def scan_database(url: str) -> str:
    """Every value of every table, as text (plus the raw SQLite files)."""
    engine = create_engine(url)
    dump = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                dump.append(" ".join(str(v) for v in row))
    engine.dispose()
    if url.startswith("sqlite"):
        db = Path(url.split("///", 1)[1])
        for f in db.parent.glob(db.name + "*"):
            dump.append(f.read_bytes().decode("latin-1"))
    return "\n".join(dump)


def test_upload_poll_results_and_nothing_leaks(server, settings):
    base, log_path = server
    with session_scope(settings.sqlalchemy_url) as session:
        analyst = create_token(session, name="analyst", role="analyst")[1]
        reviewer = create_token(session, name="reviewer", role="reviewer")[1]
        admin = create_token(session, name="admin", role="admin")[1]
    responses: list[str] = []
    text_reads: list[str] = []
    with httpx.Client(base_url=base, timeout=60) as http:

        def call(method, path, token, **kw):
            res = http.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kw)
            responses.append(res.text)
            if res.is_success and path.startswith("/v1/") and any(k.decode() in res.text for k in TEXT_KEYS):
                text_reads.append(res.headers["x-request-id"])
            return res

        body = "".join(json.dumps(r) + "\n" for r in canary_rows()).encode()
        res = call("POST", "/v1/batches", analyst, content=body)
        assert res.status_code == 415  # no content type: refused, nothing kept
        res = http.post(
            "/v1/batches",
            content=body,
            headers={"Authorization": f"Bearer {analyst}", "Content-Type": "application/x-ndjson"},
        )
        responses.append(res.text)
        assert res.status_code == 202, res.text
        canary_id = res.json()["id"]
        sample = http.post(
            "/v1/batches",
            files={"file": ("survey.csv", SAMPLE.read_bytes(), "text/csv")},
            headers={"Authorization": f"Bearer {analyst}"},
        )
        responses.append(sample.text)
        sample_id = sample.json()["id"]
        for batch_id in (canary_id, sample_id):
            for _ in range(600):
                status = call("GET", f"/v1/batches/{batch_id}", analyst).json()
                if status["status"] == "done":
                    break
                time.sleep(0.2)
            assert status["status"] == "done", status
        assert call("GET", f"/v1/batches/{canary_id}", analyst).json()["counts"] == {
            "total": 5,
            "processed": 5,
            "queued": 0,
            "analyzed": 3,
            "skipped_no_consent": 1,
            "failed": 1,
            "needs_review": 0,
        }
        items = call("GET", f"/v1/batches/{canary_id}/items", reviewer).json()["items"]
        ids = [i["id"] for i in items]  # batch-scoped refs, never the export's own row ids
        assert len(set(ids)) == 5 and all(i.startswith("r") and i not in {f"p{n}" for n in range(1, 6)} for i in ids)
        assert items[3] == {"id": ids[3], "skipped": "no_consent"}
        assert items[4]["error"]["code"] == "item_too_long"
        assert "<PERSON_1>" in items[0]["redacted_text"] and items[0]["themes"]
        assert items[1]["urgent"] and "stalking" in items[1]["urgent_reasons"]
        sample_items = call("GET", f"/v1/batches/{sample_id}/items", reviewer, params={"limit": 1000}).json()["items"]
        assert len(sample_items) == 15 and sum("severity" in i for i in sample_items) == 14
        flags = call("GET", "/v1/flags", reviewer).json()["flags"]
        stalking = next(f for f in flags if f["urgent"] and "stalking" in f["urgent_reasons"])
        assert flags[0]["urgent"]  # urgent first
        note = call(
            "POST",
            f"/v1/flags/{stalking['id']}/notes",
            reviewer,
            json={"body": "Spoke to Zebulon Quackenbush's manager; call back on 07700 900987."},
        )
        assert note.status_code == 201 and "<PERSON_1>" in note.json()["redacted_body"]
        detail = call("GET", f"/v1/flags/{stalking['id']}", reviewer).json()
        assert detail["item"]["redacted_text"] and detail["notes"][0]["id"] == note.json()["id"]
        call("GET", "/v1/audit", admin)
        call("GET", "/openapi.json", admin)
    assert len(text_reads) >= 4 and not unaudited_text_reads(settings.sqlalchemy_url, text_reads)
    haystacks = {
        "database": scan_database(settings.sqlalchemy_url),
        "logs": log_path.read_text(),
        "api": "\n".join(responses),
        "data files": "\n".join(
            p.read_bytes().decode("latin-1") for p in Path(settings.data_dir).rglob("*") if p.is_file()
        ),
    }
    assert "GET /v1/batches" in haystacks["logs"]  # the log really was captured
    for where, hay in haystacks.items():
        for canary in CANARY_PII + NEVER_KEPT:
            assert not contains(hay, canary), f"{canary!r} found in {where}"
