"""The analysts' page and the offline docs in real Chromium: trend charts with intervals and
suppressed cells marked as such, alerts, a batch upload followed to the end; no queue and no
item text; and /docs rendering from local assets only, under its Content-Security-Policy."""

from __future__ import annotations

import httpx
import pytest

from tests.ui.conftest import low_contrast, sign_in

pytestmark = pytest.mark.slow
expect = pytest.importorskip("playwright.sync_api").expect

UPLOAD = (
    "id,text,consent,unit,period\n"
    "u1,The new shift planner works well and my manager listens.,yes,acme/sales,2026-12\n"
    "u2,My supervisor shouted at me in front of everyone again.,yes,acme/sales,2026-12\n"
    "u3,Not for analysis.,no,acme/sales,2026-12\n"
)


def test_analyst_sees_charts_alerts_and_no_queue(open_page, site):
    base, seeded, _ = site
    page, _ = open_page()
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url.removeprefix(base)))
    sign_in(page, seeded["tokens"]["analyst"])
    expect(page.get_by_role("heading", name="Trends and alerts")).to_be_visible()
    charts = page.locator("figure").filter(has=page.locator("svg[role=img]"))
    expect(charts.first).to_be_visible()
    assert charts.count() >= 3
    sales = charts.filter(has_text="acme/sales:")
    expect(sales.locator("circle")).to_have_count(3)  # one rate per period
    expect(sales.locator("line.ci")).to_have_count(9)  # each with its interval and two caps
    hr = charts.filter(has_text="acme/hr:")
    expect(hr.locator("circle")).to_have_count(0)  # too small: never drawn as a value, not even zero
    expect(hr.locator("svg text", has_text="suppressed")).to_have_count(3)
    trends = httpx.get(f"{base}/v1/trends", headers={"Authorization": f"Bearer {seeded['tokens']['analyst']}"}).json()
    hr_cells = next(u for u in trends["units"] if u["unit"] == "acme/hr")["cells"]
    assert all(c["respondents"] == {"suppressed": True} for c in hr_cells)
    expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Flag queue")).to_have_count(0)
    content = page.content()
    assert seeded["canary"] not in content and "threatening" not in content
    assert not [u for u in asked if u.startswith("/v1/flags") or "/items" in u], asked
    assert low_contrast(page) == []


def test_analyst_uploads_a_batch_and_follows_it(open_page, site, tmp_path):
    _, seeded, _ = site
    page, _ = open_page(width=390, height=844)
    sign_in(page, seeded["tokens"]["analyst"])
    export = tmp_path / "export.csv"
    export.write_text(UPLOAD)
    page.get_by_label("Survey export (CSV or JSONL)").set_input_files(str(export))
    page.get_by_role("button", name="Upload").click()
    status = page.locator("#batch-status")
    expect(status).to_contain_text(": done.", timeout=240_000)
    expect(status).to_contain_text("3 of 3 rows processed (1 without consent")
    progress = page.get_by_label("Batch progress")
    assert progress.evaluate("p => p.value === p.max")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_pages_meet_contrast(open_page, site):
    _, seeded, _ = site
    page, _ = open_page()
    page.goto("/ui/")
    assert low_contrast(page) == []
    sign_in(page, seeded["tokens"]["reviewer-2"])
    assert low_contrast(page) == []
    page.get_by_role("table", name="Flag queue").get_by_role("link").first.click()
    expect(page.locator("#flag-text")).to_be_visible()
    assert low_contrast(page) == []


def test_other_roles_get_no_view(open_page, site):
    _, seeded, _ = site
    page, _ = open_page()
    sign_in(page, seeded["tokens"]["researcher"])
    expect(page.get_by_role("heading", name="Nothing to show here")).to_be_visible()


def test_docs_work_offline(open_page):
    page, _ = open_page()
    page.goto("/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    expect(page.get_by_text("/v1/batches", exact=True).first).to_be_visible()
