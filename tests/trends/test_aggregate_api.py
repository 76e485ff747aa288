"""Aggregation in SQL and in Python agree, and GET /v1/trends serves it safely on both engines."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
import pytest

from service.labels import SEVERITIES, THEMES
from service.storage.db import session_scope
from service.trends import aggregate
from service.trends.aggregate import MEASURES, file_atoms, stored_atoms
from tests.api.conftest import auth
from tests.trends.conftest import CANARY_PSEUDONYM, CANARY_TEXT, Row, store

UNITS = ["acme/sales/emea", "acme/sales/apac", "acme/ops", "acme/ops/north", None]


def random_rows(seed: int, n: int) -> list[Row]:
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        status = rnd.choices(["done", "needs_review", "error"], [0.85, 0.1, 0.05])[0]
        dated = rnd.random() < 0.6
        rows.append(
            Row(
                unit=rnd.choice(UNITS),
                period=None if dated else rnd.choice(["2026-Q1", "2026-Q2"]),
                submitted=date(2026, 1, 5) + timedelta(days=rnd.randrange(80)) if dated else None,
                themes=[t for t in THEMES if rnd.random() < 0.2],
                severity=rnd.choice(SEVERITIES),
                status=status,
            )
        )
    return rows


def brute_force(rows: list[Row]) -> dict[tuple, list[int]]:
    """Respondents per (unit, period) counted item by item, the slow obvious way."""
    out: dict[tuple, list[int]] = {}
    for row in rows:
        if row.status == "error":
            continue
        period = row.period or row.submitted.strftime("%Y-%m")
        acc = out.setdefault((row.unit, period), [0] * len(MEASURES))
        acc[0] += 1
        if row.status == "done":
            for t in row.themes:
                acc[1 + THEMES.index(t)] += 1
            acc[MEASURES.index(row.severity)] += 1
        else:
            acc[-1] += 1
    return out


def by_unit_period(table) -> dict[tuple, list[int]]:
    out: dict[tuple, list[int]] = {}
    for atom in table:
        acc = out.setdefault((atom.unit, atom.period), [0] * len(MEASURES))
        for i, v in enumerate(atom.counts):
            acc[i] += v
    return out


def records_of(rows: list[Row]) -> list[dict]:
    """The same items as `upstander analyze` output lines."""
    out = []
    for i, row in enumerate(rows):
        record = {"id": f"r{i}", "unit": row.unit, "redacted_text": "x"}
        if row.status == "error":
            record = {"id": f"r{i}", "error": {"code": "item_too_long", "message": "line 2: too long"}}
        elif row.status == "needs_review":
            record |= {"themes": [], "severity": None, "needs_review": True, "error": {"code": "classification_failed"}}
        else:
            record |= {"themes": row.themes, "severity": row.severity}
        if row.status != "error":
            record["period"] = row.period or row.submitted.strftime("%Y-%m")
        out.append(record)
    return out + [{"id": "skip", "skipped": "no_consent"}]


def test_sql_file_and_brute_force_agree(settings):
    rows = random_rows(7, 300)
    store(settings.sqlalchemy_url, rows)
    with session_scope(settings.sqlalchemy_url) as session:
        table = stored_atoms(session)
        plain = aggregate._stored_plain(session, None)
    expected = brute_force(rows)
    assert by_unit_period(table) == expected
    assert by_unit_period(plain) == expected
    assert by_unit_period(file_atoms(records_of(rows))) == expected
    assert np.all(table.counts[:, 0] == table.counts[:, aggregate.SEVERITY_SLICE].sum(axis=1))


def test_batch_filter_counts_one_batch(settings):
    first = store(settings.sqlalchemy_url, random_rows(1, 40))
    store(settings.sqlalchemy_url, random_rows(2, 60))
    with session_scope(settings.sqlalchemy_url) as session:
        only = stored_atoms(session, batch_id=first)
    assert int(only.counts[:, 0].sum()) == sum(r.status != "error" for r in random_rows(1, 40))


def small_org(url: str) -> None:
    rows = [Row("acme/sales/emea", "2026-Q1", themes=["humiliation"], persons=[CANARY_PSEUDONYM]) for _ in range(12)]
    rows += [Row("acme/sales/apac", "2026-Q1") for _ in range(3)]  # too small: suppressed, and so is emea
    rows += [Row("acme/ops", "2026-Q1", themes=["exclusion"]) for _ in range(20)]
    rows += [Row("acme/ops", "2026-Q1", status="error")]
    store(url, rows)


def test_trends_suppresses_and_never_leaks_text_or_pseudonyms(client, tokens, settings):
    small_org(settings.sqlalchemy_url)
    overview = client.get("/v1/trends", headers=auth(tokens["analyst"])).json()
    assert {u["unit"] for u in overview["units"]} == {"*", "acme", "acme/sales", "acme/ops"}  # depth 2 by default
    res = client.get("/v1/trends", params={"depth": 5}, headers=auth(tokens["analyst"]))
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["granularity"] == "wave" and body["periods"] == ["2026-Q1"]
    cells = {u["unit"]: u["cells"][0] for u in body["units"]}
    assert cells["acme"]["respondents"] == {"count": 35}  # the error row is not a respondent
    assert cells["acme/sales/apac"]["respondents"] == {"suppressed": True}
    assert cells["acme/sales/emea"]["respondents"] == {"suppressed": True}  # complementary
    assert cells["acme/sales"]["respondents"] == {"count": 15}
    assert cells["acme/sales"]["themes"]["humiliation"]["count"] == 12
    assert cells["acme/ops"]["themes"]["exclusion"] == pytest.approx(
        {"count": 20, "rate": 1.0, "ci_low": 0.83887, "ci_high": 1.0}, abs=1e-4
    )
    assert CANARY_TEXT not in res.text and CANARY_PSEUDONYM not in res.text
    alerts = client.get("/v1/alerts", headers=auth(tokens["admin"]))
    assert alerts.status_code == 200 and CANARY_PSEUDONYM not in alerts.text and CANARY_TEXT not in alerts.text


def test_roles_scopes_and_errors(client, tokens, settings):
    from service.tokens.service import create_token

    small_org(settings.sqlalchemy_url)
    with session_scope(settings.sqlalchemy_url) as session:
        scoped = create_token(session, name="sales-hr", role="analyst", units=["acme/sales"])[1]
    for path in ("/v1/trends", "/v1/alerts"):
        assert client.get(path).status_code == 401
        for role, status in (("analyst", 200), ("admin", 200), ("reviewer", 403), ("researcher", 403)):
            assert client.get(path, headers=auth(tokens[role])).status_code == status, (path, role)
    body = client.get("/v1/trends", headers=auth(scoped)).json()
    assert {u["unit"] for u in body["units"]} == {"acme/sales", "acme/sales/emea", "acme/sales/apac"}
    for unit in ("acme/ops", "acme", "*", "nowhere"):
        res = client.get("/v1/trends", params={"unit": unit}, headers=auth(scoped))
        assert res.status_code == 404 and res.json()["code"] == "unknown_unit"
    depth = client.get("/v1/trends", params={"unit": "acme", "depth": 1}, headers=auth(tokens["analyst"])).json()
    assert {u["unit"] for u in depth["units"]} == {"acme", "acme/sales", "acme/ops"}
    one = client.get("/v1/trends", params={"theme": "exclusion"}, headers=auth(tokens["analyst"])).json()
    assert set(one["units"][0]["cells"][0]["themes"]) == {"exclusion"}
    for params, code in (
        ({"theme": "gossip"}, "invalid_theme"),
        ({"granularity": "year"}, "validation_error"),
        ({"granularity": "month", "from": "2026-13"}, "invalid_period"),
        ({"from": "2026-Q2", "to": "2026-Q1"}, "invalid_period"),
        ({"depth": -1}, "validation_error"),
    ):
        res = client.get("/v1/trends", params=params, headers=auth(tokens["analyst"]))
        assert res.status_code == 422 and res.json()["code"] == code, (params, res.text)


def test_weeks_months_and_changes(client, tokens, settings):
    monday = date(2026, 2, 2)
    rows = []
    for week in range(4):
        for i in range(20):
            rows.append(
                Row(
                    "acme/a",
                    submitted=monday + timedelta(days=7 * week + i % 5),
                    themes=["humiliation"] if i < 2 + 4 * week else [],
                )
            )
    store(settings.sqlalchemy_url, rows)
    weekly = client.get("/v1/trends", params={"granularity": "week"}, headers=auth(tokens["analyst"])).json()
    assert weekly["periods"] == ["2026-W06", "2026-W07", "2026-W08", "2026-W09"]
    cells = next(u for u in weekly["units"] if u["unit"] == "acme/a")["cells"]
    assert [c["themes"]["humiliation"]["count"] for c in cells] == [2, 6, 10, 14]
    assert "change" not in cells[0]["themes"]["humiliation"]
    rise = cells[2]["themes"]["humiliation"]["change"]
    assert rise["previous_period"] == "2026-W07" and rise["difference"] == pytest.approx(0.2)
    monthly = client.get("/v1/trends", params={"granularity": "month"}, headers=auth(tokens["analyst"])).json()
    assert monthly["periods"] == ["2026-02"]
    assert next(u for u in monthly["units"] if u["unit"] == "acme/a")["cells"][0]["respondents"] == {"count": 80}


def test_hotspots_count_only_above_thresholds(client, tokens, settings):
    rows = [Row("acme/a", "2026-Q1", persons=["p-lead"] if i < 6 else ["p-other"] if i < 9 else []) for i in range(14)]
    rows += [Row("acme/b", "2026-Q1", persons=["p-x"]) for _ in range(6)]  # 6 naming, but acme/b has 6 < 10
    store(settings.sqlalchemy_url, rows)
    body = client.get("/v1/alerts", headers=auth(tokens["analyst"])).json()
    assert body["hotspots"]["units"] == [{"unit": "acme/a", "items": 6}]
    assert "p-lead" not in str(body) and body["hotspots"]["window"] == ["2026-Q1", "2026-Q1"]
