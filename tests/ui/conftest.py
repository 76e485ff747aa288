"""Page fixtures: a real `upstander serve` on a seeded SQLite database, and Debian's Chromium
driven by Playwright (never a downloaded browser). Each page records console errors, failed
requests and requests to other origins; a test fails if any appear that it did not expect."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from service.settings import REPO_ROOT, Settings
from service.storage.migrate import upgrade
from tests.servers import server_env, upstander_server
from tests.ui.seed import seed

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "ui"


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """(base url, seeded ids and tokens, log path) of one server shared by the page tests."""
    data = tmp_path_factory.mktemp("ui") / "data"
    settings = Settings(environment="test", data_dir=data, database_url=f"sqlite:///{data / 'upstander.db'}")
    upgrade(settings.sqlalchemy_url)
    seeded = seed(settings)
    log_path = data.parent / "server.log"
    with upstander_server(server_env(settings, UPSTANDER_CHUNK_SIZE="8"), log_path) as (base, _):
        yield base, seeded, log_path


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


class Watch:
    """What a page did wrong: console errors, page errors, and requests leaving the server's origin."""

    def __init__(self, base: str):
        self.base = base
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.allowed_statuses: set[int] = set()

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("request", lambda r: r.url.startswith((self.base, "data:", "blob:")) or self.foreign.append(r.url))

    def unexpected(self) -> list[str]:
        """Console errors, less Chromium's note for an API error the test provoked on purpose."""
        out = []
        for text in self.errors:
            status = re.search(r"status of (\d{3})", text)
            if not (status and int(status.group(1)) in self.allowed_statuses):
                out.append(text)
        return out


@pytest.fixture
def open_page(browser, site, request):
    """open_page(width=1200) -> (page, watch); checks at teardown that nothing went wrong."""
    base = site[0]
    made = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _open(width: int = 1200, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height}, base_url=base)
        page = context.new_page()
        watch = Watch(base)
        watch.attach(page)
        made.append((context, page, watch))
        return page, watch

    yield _open
    for index, (context, page, watch) in enumerate(made):
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{index}.png"), full_page=True)
        context.close()
        assert not watch.unexpected(), watch.errors
        assert not watch.foreign, f"requests to other origins: {watch.foreign}"


def sign_in(page, token: str) -> None:
    page.goto("/ui/")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#who").get_by_text("Signed in as").wait_for()


# WCAG 2.x contrast of every visible text against its nearest opaque background (4.5:1, or 3:1 for
# large text); disabled controls are exempt by the standard.
CONTRAST_JS = """() => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const bad = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") || el.disabled) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    const fg = lum(parse(style.color).slice(0, 3));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


def low_contrast(page) -> list[str]:
    return page.evaluate(CONTRAST_JS)
