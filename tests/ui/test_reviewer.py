"""The reviewers' page in real Chromium against a real server: sign-in, the queue in the API's
order, a flag's evidence in <mark>, claim → escalate → resolve, a lost race (412) explained,
markup in a comment rendered as text, and the whole thing by keyboard and at 390 px."""

from __future__ import annotations

import httpx
import pytest

from tests.ui.conftest import ARTIFACTS, sign_in
from tests.ui.seed import XSS

pytestmark = pytest.mark.slow
expect = pytest.importorskip("playwright.sync_api").expect


def api_order(base: str, token: str, **filters) -> list[str]:
    params = {"status": ["new", "in_review", "escalated"], **filters}
    res = httpx.get(f"{base}/v1/flags", params=params, headers={"Authorization": f"Bearer {token}"})
    return [f"Flag {f['id']}" for f in res.json()["flags"]]


def open_flag(page, flag_id: int) -> None:
    page.get_by_role("table", name="Flag queue").get_by_role("link", name=f"Flag {flag_id}", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Flag {flag_id}")


def status(page):
    return page.locator("#flag-status")


def test_queue_in_api_order_with_filters(open_page, site):
    base, seeded, _ = site
    page, _ = open_page()
    sign_in(page, seeded["tokens"]["reviewer-1"])
    queue = page.get_by_role("table", name="Flag queue")
    expect(queue).to_be_visible()
    expect(queue.locator("tbody tr")).not_to_have_count(0)
    links = queue.locator("tbody tr th a").all_inner_texts()
    assert links == api_order(base, seeded["tokens"]["reviewer-1"])
    assert "urgent" in queue.locator("tbody tr").first.inner_text()
    for label in ("Status", "Severity", "Theme", "Urgent", "Overdue", "Unit"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    page.get_by_label("Unit", exact=True).fill("acme/ops")
    page.get_by_role("button", name="Apply filters").click()
    expect(queue.locator("tbody tr")).to_have_count(1)
    expect(queue.get_by_role("link")).to_have_text(f"Flag {seeded['flags']['filter']}")
    page.get_by_label("Unit", exact=True).fill("")
    page.get_by_label("Urgent", exact=True).select_option("true")
    expected = api_order(base, seeded["tokens"]["reviewer-1"], urgent="true")
    expect(queue.locator("tbody tr th a")).to_have_text(expected)
    assert len(expected) >= 1


def test_claim_escalate_resolve(open_page, site):
    _, seeded, _ = site
    flag_id = seeded["flags"]["triage"]
    page, _ = open_page()
    sign_in(page, seeded["tokens"]["reviewer-1"])
    open_flag(page, flag_id)
    text = page.locator("#flag-text")
    expect(text.locator("mark")).to_have_text("threatening me")
    for shown in ("physical violence", "critical", "violence", "test-model", "Scores", "History", "Notes"):
        expect(page.get_by_text(shown, exact=True).first).to_be_visible()
    expect(page.get_by_role("form", name="Label correction")).to_be_visible()
    expect(status(page)).to_have_text("new")
    page.get_by_role("button", name="Claim").click()
    expect(status(page)).to_have_text("in review")
    page.set_viewport_size({"width": 1000, "height": 1180})  # the README's docs/ui-flag.png comes from this
    page.screenshot(path=str(ARTIFACTS / "reviewer-flag-view.png"))
    page.set_viewport_size({"width": 1200, "height": 900})
    page.get_by_role("button", name="Escalate").click()
    expect(status(page)).to_have_text("escalated")
    page.get_by_role("button", name="Resolve").click()
    expect(status(page)).to_have_text("resolved")
    page.get_by_role("button", name="Reopen").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a reason")
    page.get_by_label("Reason (needed to dismiss or reopen)").select_option("new_information")
    page.get_by_role("button", name="Reopen").click()
    expect(status(page)).to_have_text("in review")
    page.get_by_label("Reason (needed to dismiss or reopen)").select_option("false_positive")
    page.get_by_role("button", name="Dismiss").click()
    expect(status(page)).to_have_text("dismissed")
    expect(page.locator(".history li", has_text="flag.transition")).to_have_count(5)


def test_conflicting_claim_is_explained_and_reloaded(open_page, site):
    _, seeded, _ = site
    flag_id = seeded["flags"]["race"]
    first, _ = open_page()
    second, watch = open_page()
    watch.allowed_statuses = {412}
    for page, name in ((first, "reviewer-1"), (second, "reviewer-2")):
        sign_in(page, seeded["tokens"][name])
        open_flag(page, flag_id)
    first.get_by_role("button", name="Claim").click()
    expect(status(first)).to_have_text("in review")
    expect(status(second)).to_have_text("new")  # still the state it read
    second.get_by_role("button", name="Claim").click()
    expect(second.get_by_role("alert")).to_contain_text("Someone else changed this flag")
    expect(status(second)).to_have_text("in review")  # reloaded
    expect(second.get_by_text("token #", exact=False).first).to_be_visible()
    for name in ("Claim", "Escalate", "Resolve", "Dismiss"):  # the flag is someone else's now
        expect(second.get_by_role("button", name=name)).to_be_disabled()


def test_markup_in_comments_renders_as_text(open_page, site):
    _, seeded, _ = site
    page, _ = open_page()
    sign_in(page, seeded["tokens"]["reviewer-1"])
    open_flag(page, seeded["flags"]["xss"])
    text = page.locator("#flag-text")
    expect(text).to_contain_text(XSS)
    expect(text.locator("mark").first).to_have_text(XSS)
    page.get_by_label("Note", exact=True).fill(
        '<img src="y" onerror="window.__xss = 3"><script>window.__xss = 4</script>'
    )
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".notes li")).to_contain_text("<script>window.__xss = 4</script>", timeout=120_000)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("main img, main script").count() == 0


def test_wrong_token_shows_the_api_message(open_page):
    page, watch = open_page()
    watch.allowed_statuses = {401}
    page.goto("/ui/")
    page.get_by_label("API token").fill("upst_not-a-real-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("invalid, expired or revoked token")
    assert page.evaluate("() => sessionStorage.length") == 0


def tab_to(page, text: str, limit: int = 60, key: str = "Tab") -> None:
    """Press Tab (or `key`) until the focused element reads `text` (its id or its text)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if text in page.evaluate("() => [document.activeElement.id, document.activeElement.textContent]"):
            return
    raise AssertionError(f"{text!r} is not reachable with Tab")


def test_keyboard_only_sign_in_and_triage(open_page, site):
    _, seeded, _ = site
    page, _ = open_page()
    page.goto("/ui/")
    tab_to(page, "token", limit=5)
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"
    page.keyboard.type(seeded["tokens"]["reviewer-1"])
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Sign in"
    page.keyboard.press("Enter")
    expect(page.get_by_role("table", name="Flag queue")).to_be_visible()
    assert page.evaluate("() => sessionStorage.getItem('upstander.token')") == seeded["tokens"]["reviewer-1"]
    target = f"Flag {seeded['flags']['keyboard']}"
    tab_to(page, target)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(target)
    tab_to(page, "Claim")
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("in review")
    tab_to(page, "Sign out", key="Shift+Tab")  # focus is on the heading again after the reload
    page.keyboard.press("Enter")
    expect(page.get_by_label("API token")).to_be_visible()
    assert page.evaluate("() => sessionStorage.length") == 0


def test_usable_at_390_px(open_page, site):
    _, seeded, _ = site
    page, _ = open_page(width=390, height=844)
    sign_in(page, seeded["tokens"]["reviewer-2"])
    expect(page.get_by_role("table", name="Flag queue")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.get_by_role("table", name="Flag queue").get_by_role("link").first.click()
    expect(page.locator("#flag-text")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
