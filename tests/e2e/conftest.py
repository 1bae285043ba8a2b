"""Real-browser journeys: Playwright drives Debian's Chromium against a live server.

Every page a journey lands on goes through ``Browser.look``: a full-page screenshot under
``var/e2e/`` and an axe-core audit that fails the test on any serious or critical
violation. A page reached but never looked at fails the test too, as does a request to any
host but the live server, or a Content-Security-Policy violation reported by the browser.
"""

import functools
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connections
from playwright.sync_api import Page, sync_playwright

from bloom.accounts.models import User
from tests.conftest import ROOT, World, build_world

CHROMIUM = os.environ.get("BLOOM_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "e2e"
PASSWORD = "a long e2e passphrase"
BLOCKING_IMPACTS = {"serious", "critical"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# A small phone held upright: touch, and the page laid out for its width (the meta viewport).
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in item.nodeid:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def e2e_tools():
    """Check the browser and axe-core are installed."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: install Debian's chromium package (`.ci/run` does).")
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (it runs `npm ci`).")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def chromium(e2e_tools, e2e_world, ticking_clock, monkeypatch):
    """Chromium for one test, started after the test's data is in place.

    Playwright's synchronous API runs an event loop in this thread. Once it runs, Django
    takes the thread for async code and hands the test a separate database connection, so
    the data is set up first; the ORM calls the test makes afterwards are ordinary blocking
    calls, which DJANGO_ALLOW_ASYNC_UNSAFE lets through.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        connections.close_all()  # the test's own connection, opened while the loop ran


@pytest.fixture(scope="session")
def password_hash() -> str:
    """PASSWORD hashed once (Argon2 takes a tenth of a second a time); every persona gets it."""
    return make_password(PASSWORD)


@pytest.fixture
def e2e_world(transactional_db, django_db_serialized_rollback, password_hash) -> World:
    """The usual personas, committed so the live server and the worker see them, with passwords.

    The roles come from data migrations; the serialized rollback puts them back after the
    flush that ends every transactional test.
    """
    world = build_world()
    people = world.everyone().values()
    User.objects.filter(pk__in=[user.pk for user in people]).update(password=password_hash)
    for user in people:
        user.password = password_hash
    return world


@functools.cache
def axe_source() -> str:
    return AXE.read_text()


HOLD_FOCUS = """() => {
  const held = document.activeElement;
  window.__bloomHeld = held && held !== document.body ? [held, scrollX, scrollY] : null;
  if (window.__bloomHeld) held.blur();
}"""
GIVE_FOCUS_BACK = """() => {
  if (!window.__bloomHeld) return;
  const [held, x, y] = window.__bloomHeld;
  window.__bloomHeld = null;
  if (held.isConnected) held.focus({preventScroll: true});
  window.scrollTo(x, y);
}"""


SETTLED = """() =>
  !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling') &&
  document.getAnimations().every(a => a.playState !== 'running')"""


@dataclass
class Browser:
    """One person's browser window, which records and checks every page it reaches."""

    page: Page
    base_url: str
    folder: Path
    landed: list[str] = field(default_factory=list)
    looked_at: set[str] = field(default_factory=set)
    foreign_requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    shots: int = 0

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, label: str):
        response = self.page.goto(self.url(path))
        self.look(label)
        return response

    def sign_in(self, user: User, password: str = PASSWORD) -> None:
        self.goto("/accounts/login/", "sign-in")
        self.page.get_by_label("Email").fill(user.email)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        self.look("home")

    def look(self, label: str) -> None:
        """Screenshot the page as it is now and audit it with axe-core."""
        self.page.wait_for_load_state()
        self.shots += 1
        # A full-page screenshot resizes the window for a moment. Chromium then keeps a focused
        # field in view, late: at the next mouse press, so the page jumps between a click's press
        # and its release and the click lands on whatever came under the pointer. So no field
        # holds the focus while the picture is taken; it gets it back, unscrolled, after.
        self.page.evaluate(HOLD_FOCUS)
        self.settle()  # leaving a field may have sent an htmx request (a search, a duplicate check)
        # JPEG: a full page encodes in half the time of a PNG, and reads as well to a person.
        self.page.screenshot(
            path=self.folder / f"{self.shots:02d}-{label}.jpg", full_page=True, type="jpeg", quality=80
        )
        self.page.evaluate(GIVE_FOCUS_BACK)
        self.looked_at.add(self.page.url)
        violations = self.axe()
        assert violations == [], f"axe-core on {self.page.url} ({label}):\n" + "\n".join(violations)

    def settle(self) -> None:
        """Wait until no htmx request is under way and no transition or animation runs: mid-way,
        a button's background is neither its colour nor the next, and its contrast is whatever it
        is then. (Polled from here: wait_for_function builds its predicate with eval, which the
        page's CSP refuses.)"""
        for _ in range(250):
            if self.page.evaluate(SETTLED):
                return
            self.page.wait_for_timeout(20)
        pytest.fail(f"{self.page.url}: still busy after five seconds (an htmx request or an animation)")

    def axe(self) -> list[str]:
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol, so the page's CSP stays as strict as in use.
            self.page.evaluate(axe_source())
        self.settle()
        result = self.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        # Each element with axe-core's own account of what fails (the colours and the ratio, say).
        return [
            f"  {v['impact']}: {v['id']} ({v['help']}) at {n['target']}: {' '.join(n['failureSummary'].split())}"
            for v in result["violations"]
            if v["impact"] in BLOCKING_IMPACTS
            for n in v["nodes"][:5]
        ]

    def assert_clean(self) -> None:
        unseen = [url for url in dict.fromkeys(self.landed) if url not in self.looked_at]
        assert unseen == [], f"pages reached without a screenshot and axe check: {unseen}"
        assert self.foreign_requests == [], f"requests to other hosts: {self.foreign_requests}"
        assert self.csp_violations == [], f"Content-Security-Policy violations: {self.csp_violations}"


@pytest.fixture
def open_browser(chromium, live_server, request) -> Iterator:
    """``open_browser("specialist")`` gives a fresh, separate browser window for one person;
    ``open_browser("outreach", phone=True)`` one on a small touch phone (360 by 740 CSS px)."""
    test_folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    contexts, windows = [], []
    host = urlsplit(live_server.url).netloc

    def open_one(name: str, *, phone: bool = False) -> Browser:
        screen = PHONE if phone else DESKTOP
        # Reduced motion: colours settle at once, so axe-core never measures a button
        # half-way through the hover transition the pointer left on it after a click.
        context = chromium.new_context(locale="en-US", accept_downloads=True, reduced_motion="reduce", **screen)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        folder = test_folder / name
        folder.mkdir(parents=True, exist_ok=True)
        window = Browser(page=page, base_url=live_server.url, folder=folder)
        windows.append(window)

        def on_request(req):
            if urlsplit(req.url).scheme in {"http", "https"} and urlsplit(req.url).netloc != host:
                window.foreign_requests.append(req.url)

        def on_console(message):
            if "Content Security Policy" in message.text:
                window.csp_violations.append(message.text)

        def on_navigated(frame):
            if frame == page.main_frame and not frame.url.startswith("about:"):
                window.landed.append(frame.url)

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("framenavigated", on_navigated)
        return window

    yield open_one
    for context in contexts:
        context.close()
    for window in windows:
        window.assert_clean()
    (test_folder / "pages.json").write_text(
        json.dumps({w.folder.name: list(dict.fromkeys(w.landed)) for w in windows}, indent=2)
    )
