"""Sign-in in a real browser: Streamlit's OpenID Connect login (`st.login`, Authlib) against
`oidc-provider-mock` on loopback, and an authenticating proxy's user header. Each reader keeps
conversations of their own; the identity is Streamlit's HttpOnly cookie, not one set from
JavaScript. Screenshots go to artifacts/browser/signin-*.png.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import httpx
import pytest

from qa.config import Settings
from tests import test_browser as base
from tests.helpers import (
    CHROMIUM,
    copy_index,
    free_port,
    serving,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="needs `make browser-deps`")
oidc_provider_mock = pytest.importorskip("oidc_provider_mock", reason="needs the test extras")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make browser-deps)"),
]

SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
WAIT_MS = 60_000
QUESTION = "How many residents were evacuated in Port Elara?"
CHAT = '[data-testid="stChatInputTextArea"]'
# test_browser.py's browser, found by pytest under this name.
browser = base.browser
ALICE = "alice@example.org"
USERS = {ALICE: "Alice Reader", "bob@example.org": "Bob Other"}


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The OpenID provider, with the two readers' names and e-mail addresses."""
    with oidc_provider_mock.run_server_in_thread() as server:
        url = f"http://localhost:{server.server_port}"
        for sub, name in USERS.items():
            response = httpx.put(f"{url}/users/{quote(sub)}", json={"email": sub, "name": name})
            assert response.status_code == 204
        yield url


@pytest.fixture(scope="module")
def signin_url(
    provider: str, sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The page with sign-in configured the way a deployment does: an [auth] section."""
    root = tmp_path_factory.mktemp("signin")
    index = copy_index(sample_settings.index_dir, root / "index")
    port = free_port()
    config = root / "secrets.toml"
    config.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "newsqa"\n'
        'client_secret = "newsqa-test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with serving(index, root / "streamlit.log", port=port,
                 options=("--secrets.files", str(config)),
                 env_extra={"NEWSQA_EDITORS": "alice@example.org"}) as url:  # fmt: skip
        yield url


def shot(page: Any, step: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"signin-{step}.png"))


def opened(browser: Any, url: str, **options: Any) -> tuple[Any, Any]:
    """A new browser (context, with `options`) and its page at `url`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(url)
    return context, page


def signed_in(browser: Any, url: str, sub: str) -> tuple[Any, Any]:
    """A new browser (context) that signs in as `sub` through the provider's form."""
    context, page = opened(browser, url)
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.locator(CHAT).wait_for(state="visible")
    return context, page


def ask(page: Any, question: str) -> None:
    box = page.locator(CHAT)
    box.fill(question)
    box.press("Enter")
    page.locator("#nq-src-1-1").wait_for(state="visible")


def conversation_id(page: Any) -> str:
    return parse_qs(urlparse(page.url).query)["c"][0]


def test_a_visitor_must_sign_in_and_each_reader_keeps_their_own_conversations(
    browser: Any, signin_url: str
) -> None:
    context, page = opened(browser, signin_url)
    sync_api.expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # Nothing of the collection before signing in: no chat box, no sidebar statistics.
    assert page.locator(CHAT).count() == 0
    assert "every answer quotes the article sentences" in page.inner_text("body")
    shot(page, "1-signed-out")
    context.close()

    alice, page = signed_in(browser, signin_url, "alice@example.org")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sync_api.expect(sidebar).to_contain_text("Signed in as Alice Reader")
    # An editor (NEWSQA_EDITORS) adds articles; how to configure the server is not hers.
    sync_api.expect(sidebar.get_by_text("Add articles").first).to_be_visible()
    assert "NEWSQA_LLM_BASE_URL" not in sidebar.inner_text()
    identity = {c["name"]: c for c in alice.cookies()}
    assert identity["_streamlit_user"]["httpOnly"] is True
    assert "newsqa_reader" not in identity  # no identity set from JavaScript
    ask(page, QUESTION)
    mine = conversation_id(page)
    shot(page, "2-alice-answered")

    bob, other = signed_in(browser, signin_url, "bob@example.org")
    other.goto(f"{signin_url}/?c={mine}")
    other.locator(CHAT).wait_for(state="visible")
    bobs = other.locator('[data-testid="stSidebar"]')
    sync_api.expect(bobs).to_contain_text("Bob Other")
    assert "Add articles" not in bobs.inner_text()  # a reader asks; editors add
    # Alice's conversation is hers: Bob's browser gets a new, empty one of his own.
    assert other.locator(".nq-answer").count() == 0
    deadline = time.monotonic() + 10
    while conversation_id(other) == mine and time.monotonic() < deadline:
        time.sleep(0.2)
    assert conversation_id(other) != mine
    shot(other, "3-bob-cannot-open-alices")
    bob.close()

    page.goto(f"{signin_url}/?c={mine}")
    sync_api.expect(page.locator(".nq-answer")).to_have_count(1)
    # The editor removes the first cited article from the page: asked again, the answer no
    # longer cites it.
    source = page.locator("#nq-src-1-1")
    # Title, outlet and date: a wire copy of the same story from another outlet stays.
    removed = source.inner_text().splitlines()[0].removeprefix("[1] ")
    page.locator(".st-key-open-1-1 button").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Remove from the collection").click()
    dialog.get_by_role("button", name="Remove", exact=True).click()
    sync_api.expect(page.get_by_role("dialog")).to_have_count(0)
    shot(page, "4-removed")
    page.get_by_role("button", name="New conversation").click()
    sync_api.expect(page.locator(".nq-answer")).to_have_count(0)
    ask(page, QUESTION)
    sync_api.expect(page.locator(".nq-answer")).to_have_count(1)
    cited = page.locator(".nq-source").all_inner_texts()
    assert cited and not any(removed in text for text in cited), (removed, cited)
    page.get_by_role("button", name="Sign out").click()
    # The provider ends its session too (OpenID Connect RP-initiated logout), then sends the
    # browser back to the page, signed out.
    page.get_by_role("button", name="End session").click()
    sync_api.expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert "_streamlit_user" not in {c["name"] for c in alice.cookies()}
    shot(page, "5-signed-out-again")
    alice.close()


@pytest.fixture(scope="module")
def proxy_url(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("proxy")
    index = copy_index(sample_settings.index_dir, root / "index")
    env = {"NEWSQA_TRUSTED_USER_HEADER": "X-Forwarded-Email"}
    with serving(index, root / "streamlit.log", env_extra=env) as url:
        yield url


def test_behind_a_proxy_the_reader_is_the_user_its_header_names(
    browser: Any, proxy_url: str
) -> None:
    nobody, page = opened(browser, proxy_url)
    sync_api.expect(page.locator('[data-testid="stAlert"]')).to_contain_text(
        "did not say who you are"
    )
    assert page.locator(CHAT).count() == 0
    nobody.close()

    alice, page = opened(browser, proxy_url, extra_http_headers={"X-Forwarded-Email": ALICE})
    ask(page, QUESTION)
    mine = conversation_id(page)
    bob, other = opened(browser, f"{proxy_url}/?c={mine}",
                        extra_http_headers={"X-Forwarded-Email": "bob@example.org"})  # fmt: skip
    other.locator(CHAT).wait_for(state="visible")
    assert other.locator(".nq-answer").count() == 0
    page.goto(f"{proxy_url}/?c={mine}")
    sync_api.expect(page.locator(".nq-answer")).to_have_count(1)
    alice.close()
    bob.close()


@pytest.fixture(scope="module")
def desk_url(sample_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Behind the proxy, with the Port Elara stories in a collection only Alice reads."""
    import json

    from qa.store import Store

    root = tmp_path_factory.mktemp("desk")
    index = copy_index(sample_settings.index_dir, root / "index")
    store = Store.open(index / "newsqa.sqlite3")
    elara = {a for a, _, _ in store.lexical_search("Port Elara", limit=200)}
    store.add_to_collection("metro", elara)
    store.take_out_of_collection("news", sorted(elara))  # in metro alone
    store.close()
    env = {
        "NEWSQA_TRUSTED_USER_HEADER": "X-Forwarded-Email",
        "NEWSQA_COLLECTIONS": json.dumps({"metro": {"readers": [ALICE]}}),
    }
    with serving(index, root / "streamlit.log", env_extra=env) as url:
        yield url


def test_a_collection_closed_to_a_reader_is_never_cited_to_them(
    browser: Any, desk_url: str
) -> None:
    bob, page = opened(browser, desk_url,
                       extra_http_headers={"X-Forwarded-Email": "bob@example.org"})  # fmt: skip
    page.locator(CHAT).fill(QUESTION)
    page.locator(CHAT).press("Enter")
    answer = page.locator(".nq-answer")
    answer.wait_for(state="visible")
    # Bob reads only the default collection: nothing of the Port Elara stories reaches him.
    assert "4,200" not in page.locator("main").inner_text()
    assert page.get_by_text("Collections", exact=True).count() == 0  # one open to him: no picker
    # The sidebar counts what he may read: the 26 sample articles less the Port Elara ones.
    counted = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    assert 0 < int(counted) < 26
    shot(page, "6-collection-closed")
    bob.close()

    alice, page = opened(browser, desk_url, extra_http_headers={"X-Forwarded-Email": ALICE})
    page.locator(CHAT).wait_for(state="visible")
    page.get_by_text("Collections", exact=True).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0  # first run included
    ask(page, QUESTION)
    assert "4,200" in page.locator(".nq-answer").first.inner_text()
    sync_api.expect(page.get_by_text("Collections", exact=True)).to_be_visible()
    shot(page, "7-collection-open")
    alice.close()
