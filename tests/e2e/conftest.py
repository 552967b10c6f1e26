"""Browser journeys in real headless Chromium (Debian's package), driven by Playwright."""

import os
import shutil

import pytest

from klaster.conftest import PASSWORD

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
    make there (personas, database flushes) are synchronous and safe. Browser tests only,
    for the whole of their session, since the flushes come after each test's own teardown."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise RuntimeError(
            "Browser tests need Chromium: install the Debian package 'chromium' "
            "or set CHROMIUM_PATH (scripts/test.sh installs it when run as root)."
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _watch_the_policy(page, blocked: list[str]) -> None:
    """Every journey also proves the pages need nothing the Content-Security-Policy forbids."""
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="pl-PL", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    _watch_the_policy(page, blocked)
    yield page
    context.close()
    assert blocked == [], "the Content-Security-Policy blocked: " + "; ".join(blocked)


@pytest.fixture
def signed_in_page(browser, live_server):
    """`signed_in_page(username, width=1200)`: a page of that person's own browser (own
    cookies), signed in; journeys with several people open one each."""
    contexts, blocked = [], []

    def open_for(username: str, width: int = 1200):
        context = browser.new_context(locale="pl-PL", viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20000)
        _watch_the_policy(page, blocked)
        sign_in(page, live_server, username)
        return page

    yield open_for
    for context in contexts:
        context.close()
    assert blocked == [], "the Content-Security-Policy blocked: " + "; ".join(blocked)
