"""The chat page in a real browser: `streamlit run app.py` on 127.0.0.1 driven by Debian's
chromium through Playwright (sync API). AppTest (test_app.py) checks the page's logic; this
checks what only a browser shows: chips that jump to their source, the article dialog scrolled
to the cited sentence, the Markdown download, hostile article text staying inert, and the layout
at phone width.

Screenshots of every step go to artifacts/browser/<test>-<step>.png (git-ignored).
Needs `make browser-deps`; never `playwright install`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from qa.config import Settings
from qa.embed import SentenceTransformerEmbedder
from tests.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    article_file,
    serving,
)

sync_api = pytest.importorskip("playwright.sync_api", reason="needs `make browser-deps`")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make browser-deps)"),
]

SHOTS = REPO / "artifacts" / "browser"
WAIT_MS = 60_000  # the first page load opens the index and the model

EVACUATED = "How many residents were evacuated in Port Elara?"
EVACUATED_SENTENCE = "4,200 residents had been evacuated"
DAMAGE = "How much damage did the mayor say the flood caused?"
SCRIPT_TEXT = "<script>alert(1)</script>"
# Markdown in the title too: a link, emphasis and a remote image (port 9: nothing listens).
HOSTILE_TITLE = (
    "Harbour <script>alert('t')</script> festival [more](javascript:alert(4)) **loud** "
    "![pixel](http://127.0.0.1:9/pixel.png)"
)

# Element-level overflow: <html> hides overflow in Streamlit, so the document's scrollWidth alone
# would not see a source card that is wider than the screen.
OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  const root = document.documentElement;
  if (root.scrollWidth > width + 1) out.push(`html scrollWidth ${root.scrollWidth} > ${width}`);
  const boxes = document.querySelectorAll(
    '[data-testid="stMain"], [data-testid="stDialog"], [role="dialog"], '
    + '.nq-answer, .nq-source, .nq-article');
  for (const el of boxes) {
    const r = el.getBoundingClientRect();
    const name = el.className || el.getAttribute('data-testid') || el.tagName;
    if (el.scrollWidth > el.clientWidth + 1)
      out.push(`${name}: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    if (r.width > 0 && r.right > width + 1) out.push(`${name}: right ${r.right} > ${width}`);
  }
  return out;
}"""

# The first highlighted sentence against the dialog's scroll container and the window.
HIGHLIGHT_JS = """() => {
  const mark = document.getElementById('nq-first-hl');
  if (!mark) return null;
  let box = mark.parentElement;
  while (box && !/(auto|scroll)/.test(getComputedStyle(box).overflowY)) box = box.parentElement;
  const m = mark.getBoundingClientRect();
  const c = box ? box.getBoundingClientRect() : {top: 0, bottom: window.innerHeight};
  return {top: m.top, bottom: m.bottom, boxTop: Math.max(c.top, 0),
          boxBottom: Math.min(c.bottom, window.innerHeight),
          scrollTop: box ? box.scrollTop : 0};
}"""


def hostile_sentences() -> list[str]:
    return [
        f"The harbour festival drew {SCRIPT_TEXT} 9,000 visitors on Sunday.",
        "Organisers said [click here](javascript:alert(2)) to buy <img src=x onerror=alert(3)> "
        "tickets for the harbour festival.",
        "Festival wristbands carried the code " + "X" * 3000 + " printed in red.",
    ]


@pytest.fixture(scope="module")
def browser_index(
    tmp_path_factory: pytest.TempPathFactory,
    embedder: SentenceTransformerEmbedder,
    sample_settings: Settings,
) -> Path:
    """The bundled samples (a copy of the session's index) plus one hostile article."""
    from qa.ingest.pipeline import Ingestor
    from tests.helpers import copy_index

    root = tmp_path_factory.mktemp("browser")
    hostile = article_file(
        root / "in",
        "hostile.txt",
        HOSTILE_TITLE,
        hostile_sentences(),
        outlet="<b>Bold</b> Outlet",
    )
    index = copy_index(sample_settings.index_dir, root / "index")
    report = Ingestor(Settings(index_dir=index), embedder=embedder).ingest([str(hostile)])
    assert report.failed == []
    return index


@pytest.fixture(scope="module")
def app_url(browser_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, stopped by PID at the end."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    with serving(browser_index, log) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Shots:
    """Numbered screenshots named after the test: artifacts/browser/<test>-<step>.png."""

    def __init__(self, test_name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.prefix = test_name

    def __call__(self, page: Any, step: str, **kwargs: Any) -> None:
        path = SHOTS / f"{self.prefix}-{step}.png"
        page.screenshot(path=str(path), **kwargs)


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)


@pytest.fixture
def open_page(browser: Any, app_url: str) -> Iterator[Any]:
    """A factory for pages of the app, each in its own context (a fresh Streamlit session)."""
    contexts: list[Any] = []

    def make(width: int = 1280, height: int = 900, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(app_url)
        page.locator('[data-testid="stChatInputTextArea"]').wait_for(state="visible")
        return page

    yield make
    for context in contexts:
        context.close()


def ask(page: Any, question: str, turn: int) -> None:
    """Type a question, press Enter, and wait for that turn's answer and its first source."""
    box = page.locator('[data-testid="stChatInputTextArea"]')
    box.fill(question)
    box.press("Enter")
    page.locator(f"#nq-src-{turn}-1").wait_for(state="visible")
    sync_api.expect(page.locator(".nq-answer")).to_have_count(turn)


def overflow(page: Any) -> list[str]:
    return list(page.evaluate(OVERFLOW_JS))


def test_chip_jumps_to_source_and_article_opens_at_the_sentence(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    ask(page, EVACUATED, turn=1)
    answer = page.locator(".nq-answer").first
    sync_api.expect(answer.locator("a.nq-chip").first).to_be_visible()
    assert "4,200" in answer.inner_text()
    shot(page, "1-answer")

    answer.locator("a.nq-chip").first.click()
    page.wait_for_url("**#nq-src-1-1")
    source = page.locator("#nq-src-1-1")
    sync_api.expect(source).to_be_in_viewport()
    sync_api.expect(source.locator("mark.nq-hl")).to_contain_text(EVACUATED_SENTENCE)
    shot(page, "2-chip-clicked")

    # A short window, so the cited sentence starts below the dialog's fold and only the page's
    # scroll-into-view script can bring it up.
    page.set_viewport_size({"width": 1280, "height": 360})
    page.locator(".st-key-open-1-1 button").click()
    dialog = page.get_by_role("dialog")
    article = dialog.locator(".nq-article")
    sync_api.expect(article).to_be_visible()
    mark = article.locator("mark#nq-first-hl")
    sync_api.expect(mark).to_contain_text(EVACUATED_SENTENCE)
    sync_api.expect(mark).to_be_in_viewport(ratio=1)
    deadline = time.monotonic() + 10
    while True:
        where = page.evaluate(HIGHLIGHT_JS)
        inside = where and where["boxTop"] <= where["top"] and where["bottom"] <= where["boxBottom"]
        if inside or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert inside, f"highlight not inside the dialog's visible area: {where}"
    assert mark.is_visible()
    shot(page, "3-article-dialog")


def download_export(page: Any, name: str) -> str:
    export = page.locator('[data-testid="stSidebar"] [data-testid="stDownloadButton"] button')
    sync_api.expect(export).to_be_enabled()
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "newsqa-conversation.md"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    (SHOTS / f"{name}.md").write_text(text, encoding="utf-8")
    return text


def test_export_downloads_markdown_with_footnotes(
    open_page: Any, shot: Shots, request: pytest.FixtureRequest
) -> None:
    page = open_page(accept_downloads=True)
    ask(page, EVACUATED, turn=1)
    shot(page, "1-before-export")
    # Right after the answer: the export already holds it (it once lagged a turn behind).
    text = download_export(page, f"{request.node.name}-1")
    assert "[^1.1]:" in text
    assert EVACUATED_SENTENCE in text
    assert EVACUATED in text
    assert "[^1.1]" in text.split("[^1.1]:")[0], "the answer text should carry the marker"

    ask(page, DAMAGE, turn=2)
    shot(page, "2-second-turn")
    text = download_export(page, f"{request.node.name}-2")
    assert EVACUATED in text and DAMAGE in text
    assert "## Q2." in text and "[^1.1]:" in text and "[^2.1]:" in text


def test_hostile_article_text_stays_inert_and_wraps(open_page: Any, shot: Shots) -> None:
    page = open_page()
    alerts: list[str] = []

    def on_dialog(dialog: Any) -> None:
        alerts.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    ask(page, "How many visitors came to the harbour festival?", turn=1)
    shot(page, "1-visitors")
    ask(page, "What did organisers say about tickets for the harbour festival?", turn=2)
    shot(page, "2-tickets")

    html = page.locator(".nq-answer, .nq-source")
    assert html.count() >= 4
    assert page.query_selector_all(".nq-answer script, .nq-source script") == []
    assert page.query_selector_all(".nq-answer img, .nq-source img") == []
    assert page.query_selector_all(".nq-source b") == []
    sync_api.expect(page.get_by_text(SCRIPT_TEXT).first).to_be_visible()
    sync_api.expect(page.get_by_text("<img src=x onerror=alert(3)>").first).to_be_visible()
    assert page.query_selector_all('a[href^="javascript:"]') == []
    assert overflow(page) == []

    # The hostile article itself, in the dialog: same checks, and the 3,000-character code wraps.
    card = page.locator(".nq-source", has_text="9,000 visitors").first
    key = card.get_attribute("id")
    assert key is not None
    page.locator(f".st-key-open-{key.removeprefix('nq-src-')} button").click()
    article = page.get_by_role("dialog").locator(".nq-article")
    sync_api.expect(article).to_contain_text(SCRIPT_TEXT)
    sync_api.expect(article).to_contain_text("X" * 3000)
    page.wait_for_timeout(500)  # the dialog's scroll script has run
    shot(page, "3-article-dialog")
    assert page.query_selector_all(".nq-article script, .nq-article img") == []
    assert page.query_selector_all('a[href^="javascript:"]') == []
    assert overflow(page) == []
    assert alerts == []


def test_article_dialog_shows_the_title_as_plain_text(open_page: Any) -> None:
    page = open_page()
    ask(page, "How many visitors came to the harbour festival?", turn=1)
    card = page.locator(".nq-source", has_text="9,000 visitors").first
    sync_api.expect(card.locator(".nq-title")).to_contain_text(HOSTILE_TITLE)  # escaped here
    key = (card.get_attribute("id") or "").removeprefix("nq-src-")
    page.locator(f".st-key-open-{key} button").click()
    dialog = page.get_by_role("dialog")
    sync_api.expect(dialog.locator(".nq-article")).to_be_visible()
    heading = dialog.locator("h1, h2, h3").filter(has_text="Harbour").first
    assert heading.locator("a, img, strong").count() == 0, heading.inner_html()
    sync_api.expect(heading).to_contain_text(HOSTILE_TITLE)


def test_phone_width_has_no_horizontal_scroll(open_page: Any, shot: Shots) -> None:
    page = open_page(width=390, height=844, is_mobile=True, has_touch=True)
    ask(page, EVACUATED, turn=1)
    chip = page.locator(".nq-answer a.nq-chip").first
    chip.scroll_into_view_if_needed()
    sync_api.expect(chip).to_be_visible()
    sync_api.expect(chip).to_be_in_viewport()
    shot(page, "1-answer")
    source = page.locator("#nq-src-1-1")
    source.scroll_into_view_if_needed()
    sync_api.expect(source.locator("mark.nq-hl")).to_be_in_viewport()
    shot(page, "2-source")
    assert overflow(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
