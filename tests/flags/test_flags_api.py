"""The reviewers' queue over the API, on SQLite and PostgreSQL: what gets flagged, queue order,
filters and paging, the state machine, optimistic concurrency, labels and unit scoping."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import auth

URGENT = {"severity": "critical", "themes": ["physical_violence"], "urgent": True, "reasons": ["violence"]}


def queue(client, token, **params):
    res = client.get("/v1/flags", headers=auth(token), params=params)
    assert res.status_code == 200, res.text
    return res.json()


def test_what_is_flagged_and_queue_order(client, tokens, store):
    store(
        [
            {"severity": "none"},
            {"severity": "low", "themes": ["verbal_abuse"]},
            {"severity": "moderate", "themes": ["exclusion"]},  # not flagged
            {"severity": "high", "age_minutes": 30},  # r3
            {**URGENT, "age_minutes": 5},  # r4
            {"severity": "high", "age_minutes": 60},  # r5 (older high)
            {**URGENT, "age_minutes": 50},  # r6 (older urgent)
            {"severity": "moderate", "status": "needs_review", "themes": []},  # r7
        ]
    )
    flags = queue(client, tokens["reviewer"])["flags"]
    assert [f["reason"] for f in flags] == ["urgent", "urgent", "needs_review", "high_severity", "high_severity"]
    assert flags[0]["created_at"] < flags[1]["created_at"]  # oldest urgent first
    assert flags[3]["created_at"] < flags[4]["created_at"]
    assert "redacted_text" not in str(flags)  # the queue listing carries no text


def test_filters_and_cursor_paging(client, tokens, store):
    batch = store([{"severity": "high", "age_minutes": i} for i in range(7)] + [URGENT])
    other = store([{"severity": "high", "themes": ["discrimination"], "unit": "acme/hr"}])
    seen, cursor = [], None
    while True:
        page = queue(client, tokens["reviewer"], limit=3, **({"cursor": cursor} if cursor else {}))
        seen += [f["id"] for f in page["flags"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 9
    assert seen == [f["id"] for f in queue(client, tokens["reviewer"], limit=100)["flags"]]
    assert len(queue(client, tokens["reviewer"], batch_id=batch)["flags"]) == 8
    assert [f["batch_id"] for f in queue(client, tokens["reviewer"], theme="discrimination")["flags"]] == [other]
    assert len(queue(client, tokens["reviewer"], urgent="true")["flags"]) == 1
    assert len(queue(client, tokens["reviewer"], severity="critical")["flags"]) == 1
    assert len(queue(client, tokens["reviewer"], unit="acme/hr")["flags"]) == 1
    assert queue(client, tokens["reviewer"], assignee="me")["flags"] == []
    bad = client.get("/v1/flags", headers=auth(tokens["reviewer"]), params={"cursor": "not-a-cursor"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_cursor"
    bad = client.get("/v1/flags", headers=auth(tokens["reviewer"]), params={"theme": "rudeness"})
    assert bad.status_code == 422 and bad.json()["code"]


def patch(client, token, flag_id, etag, **body):
    return client.patch(f"/v1/flags/{flag_id}", headers=auth(token) | {"If-Match": etag}, json=body)


def test_state_machine_through_the_api(client, tokens, store):
    store([URGENT])
    reviewer = tokens["reviewer"]
    flag_id = queue(client, reviewer)["flags"][0]["id"]
    res = client.get(f"/v1/flags/{flag_id}", headers=auth(reviewer))
    etag = res.headers["ETag"]
    assert res.json()["item"]["urgent_reasons"] == ["violence"] and res.json()["status"] == "new"

    assert patch(client, reviewer, flag_id, etag, status="resolved").json()["code"] == "invalid_transition"
    res = patch(client, reviewer, flag_id, etag, status="in_review")  # claim
    assert res.status_code == 200 and res.json()["assignee_token_id"] is not None
    etag = res.headers["ETag"]
    res = patch(client, reviewer, flag_id, etag, status="dismissed")
    assert res.status_code == 422 and res.json()["code"] == "reason_required"
    res = patch(client, reviewer, flag_id, etag, status="escalated")
    assert res.status_code == 200 and res.json()["status"] == "escalated"
    etag = res.headers["ETag"]
    res = patch(client, reviewer, flag_id, etag, status="resolved")
    assert res.status_code == 200 and res.json()["status"] == "resolved"
    etag = res.headers["ETag"]
    assert patch(client, reviewer, flag_id, etag, status="in_review").json()["code"] == "reason_required"
    res = patch(client, reviewer, flag_id, etag, status="in_review", reason="new_information")  # reopen
    assert res.status_code == 200
    res = patch(client, reviewer, flag_id, res.headers["ETag"], status="dismissed", reason="false_positive")
    assert res.status_code == 200
    detail = client.get(f"/v1/flags/{flag_id}", headers=auth(reviewer)).json()
    assert detail["dismiss_reason"] == "false_positive" and detail["closed_at"]
    moves = [
        (h["detail"].get("from"), h["detail"].get("to")) for h in detail["history"] if h["action"] == "flag.transition"
    ]
    assert moves == [
        ("new", "in_review"),
        ("in_review", "escalated"),
        ("escalated", "resolved"),
        ("resolved", "in_review"),
        ("in_review", "dismissed"),
    ]


def test_only_the_assignee_closes_and_assignment_rules(client, tokens, store, scoped_reviewers):
    store([{"severity": "high"}])
    sales_id, sales = scoped_reviewers["sales"]
    sales2_id, sales2 = scoped_reviewers["sales2"]
    hr_id, _ = scoped_reviewers["hr"]
    flag_id = queue(client, sales)["flags"][0]["id"]
    etag = client.get(f"/v1/flags/{flag_id}", headers=auth(sales)).headers["ETag"]
    res = patch(client, sales, flag_id, etag, assignee_token_id=hr_id)  # hr cannot see acme/sales
    assert res.status_code == 422 and res.json()["code"] == "invalid_assignee"
    res = patch(client, sales, flag_id, etag, assignee_token_id=sales2_id)
    assert res.status_code == 200 and res.json() | {} and res.json()["status"] == "in_review"
    res = patch(client, sales, flag_id, res.headers["ETag"], status="resolved")
    assert res.status_code == 409 and res.json()["code"] == "not_assignee"
    assert [f["id"] for f in queue(client, sales2, assignee="me")["flags"]] == [flag_id]


def test_stale_etag_and_missing_precondition(client, tokens, store):
    store([URGENT])
    reviewer = tokens["reviewer"]
    flag_id = queue(client, reviewer)["flags"][0]["id"]
    res = client.patch(f"/v1/flags/{flag_id}", headers=auth(reviewer), json={"status": "in_review"})
    assert res.status_code == 428 and res.json()["code"] == "precondition_required"
    res = patch(client, reviewer, flag_id, '"7"', status="in_review")
    assert res.status_code == 412 and res.json()["code"] == "version_mismatch"
    res = client.patch(f"/v1/flags/{flag_id}", headers=auth(reviewer), json={"status": "in_review", "version": 1})
    assert res.status_code == 200 and res.json()["version"] == 2


def test_two_reviewers_race_one_wins(settings, store, scoped_reviewers):
    """Two clients read the same ETag and claim at once: exactly one succeeds, the other gets 412."""
    from service.api.main import create_app

    store([URGENT])
    (_, first), (_, second) = scoped_reviewers["sales"], scoped_reviewers["sales2"]
    app = create_app(settings)
    with TestClient(app) as a, TestClient(app) as b:
        flag_id = queue(a, first)["flags"][0]["id"]
        etag = a.get(f"/v1/flags/{flag_id}", headers=auth(first)).headers["ETag"]
        assert b.get(f"/v1/flags/{flag_id}", headers=auth(second)).headers["ETag"] == etag
        barrier, results = threading.Barrier(2), {}

        def claim(name, http, token):
            barrier.wait()
            results[name] = patch(http, token, flag_id, etag, status="in_review")

        threads = [
            threading.Thread(target=claim, args=("a", a, first)),
            threading.Thread(target=claim, args=("b", b, second)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status_code for r in results.values())
        assert codes == [200, 412], {k: r.text for k, r in results.items()}
        winner = next(r for r in results.values() if r.status_code == 200).json()
        final = a.get(f"/v1/flags/{flag_id}", headers=auth(first)).json()
        assert final["assignee_token_id"] == winner["assignee_token_id"] and final["version"] == 2
        claims = [h for h in final["history"] if h["action"] == "flag.transition"]
        assert len(claims) == 1  # the loser wrote nothing, not even an audit event


def test_other_units_flags_are_404(client, store, scoped_reviewers):
    store([{"severity": "high", "unit": "acme/sales/emea"}])
    hr_store = store([{"severity": "high", "unit": "acme/hr"}])
    _, sales = scoped_reviewers["sales"]
    _, hr = scoped_reviewers["hr"]
    sales_flags = queue(client, sales)["flags"]
    assert [f["unit"] for f in sales_flags] == ["acme/sales/emea"]  # the subtree, not acme/hr
    hr_flag = queue(client, hr, batch_id=hr_store)["flags"][0]["id"]
    for method, path, body in (
        ("GET", f"/v1/flags/{hr_flag}", None),
        ("PATCH", f"/v1/flags/{hr_flag}", {"status": "in_review", "version": 1}),
        ("POST", f"/v1/flags/{hr_flag}/labels", {"themes": [], "severity": "none"}),
        ("GET", "/v1/flags/999999", None),
    ):
        res = client.request(method, path, headers=auth(sales), json=body)
        assert res.status_code == 404 and res.json()["code"] == "not_found", (method, path)
    items = client.get(f"/v1/batches/{hr_store}/items", headers=auth(sales)).json()["items"]
    assert items == []  # item reads are scoped the same way


@pytest.mark.parametrize(
    "body, code",
    [
        ({"themes": [], "severity": "none"}, 201),
        ({"themes": ["verbal_abuse"], "severity": "moderate"}, 201),
        ({"themes": ["physical_violence"], "severity": "critical", "urgent_reasons": ["violence"]}, 201),
        ({"themes": ["verbal_abuse"], "severity": "none"}, 422),
        ({"themes": [], "severity": "low"}, 201),  # mild incivility that no theme fits (taxonomy: low)
        ({"themes": [], "severity": "moderate"}, 422),
        ({"themes": ["physical_violence"], "severity": "critical"}, 422),
        ({"themes": ["discrimination"], "severity": "moderate"}, 422),
        ({"themes": ["bullying"], "severity": "high"}, 422),
        ({"themes": ["verbal_abuse"], "severity": "low", "extra": 1}, 422),
    ],
)
def test_label_corrections_follow_the_taxonomy(client, tokens, store, body, code):
    store([{"severity": "high"}])
    flag_id = queue(client, tokens["reviewer"])["flags"][0]["id"]
    res = client.post(f"/v1/flags/{flag_id}/labels", headers=auth(tokens["reviewer"]), json=body)
    assert res.status_code == code, res.text
    if code == 201:
        assert res.json()["severity"] == body["severity"] and res.json()["model_version"] == "test-model"
