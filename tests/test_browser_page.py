"""The rest of the chat page in a real browser (issue 15): what test_app.py checks with AppTest,
seen here the way a reader sees it in Debian's chromium through Playwright.

The server, browser and page fixtures are test_browser.py's, imported: this module gets its own
module-scoped streamlit server over its own copy of the index. Screenshots go to
artifacts/browser/<test>-<step>.png. Regenerate needs a model and is covered with a scripted
server in test_app.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests import test_browser as base
from tests.helpers import article_file, copy_index, serving
from tests.test_browser import (
    CHROMIUM,
    DAMAGE,
    EVACUATED,
    EVACUATED_SENTENCE,
    WAIT_MS,
    Shots,
    ask,
    download_export,
    sync_api,
)

# test_browser.py's fixtures, found by pytest under these names (assigned rather than imported,
# so the test functions' parameters do not read as redefinitions of unused imports).
browser_index = base.browser_index
app_url = base.app_url
browser = base.browser
open_page = base.open_page
shot = base.shot

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,  # a real browser (issue 15)
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (make browser-deps)"),
]

expect = sync_api.expect
CHAT_BOX = '[data-testid="stChatInputTextArea"]'
SIDEBAR = '[data-testid="stSidebar"]'
MARS = "What is the capital of Mars?"
OUTLET = "Harbour Daily"


@pytest.fixture(autouse=True)
def _patient_expect() -> Iterator[None]:
    """`expect` waits 5 s by default: too short for an ingestion or a cold model on 2 busy CPUs."""
    sync_api.expect.set_options(timeout=30_000)
    yield
    sync_api.expect.set_options(timeout=5_000)


def params(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def send(page: Any, question: str, turn: int) -> Any:
    """Ask without waiting for a source (an abstention has none); returns that turn's answer."""
    box = page.locator(CHAT_BOX)
    box.fill(question)
    box.press("Enter")
    expect(page.locator(".nq-answer")).to_have_count(turn)
    return page.locator(".nq-answer").nth(turn - 1)


def view_option(page: Any, name: str) -> Any:
    return page.locator(".st-key-view").get_by_role("radio", name=name)


def choose_view(page: Any, name: str) -> None:
    page.locator(".st-key-view label", has_text=name).click()
    expect(view_option(page, name)).to_be_checked()


def open_expander(page: Any, title: str, nth: int = 0) -> Any:
    expander = page.locator('[data-testid="stExpander"]', has_text=title).nth(nth)
    if expander.locator("details").get_attribute("open") is None:
        expander.locator("summary").click()
    expect(expander.locator('[data-testid="stExpanderDetails"]')).to_be_visible()
    return expander


def settle(page: Any) -> None:
    """Wait for the script run that the last action started to finish."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning"
    )


def type_in(page: Any, key: str, text: str) -> None:
    """Fill a text input and commit it (Enter, a rerun), as a reader does before a button."""
    field = page.locator(f".st-key-{key} input")
    field.fill(text)
    field.press("Enter")
    settle(page)
    expect(field).to_have_value(text)


def articles_metric(page: Any) -> int:
    metric = page.locator(SIDEBAR).locator('[data-testid="stMetric"]', has_text="Articles")
    return int(metric.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


# -- 1. the Briefing view ----------------------------------------------------------------------


def test_a_question_typed_in_the_briefing_view_is_answered_in_the_chat(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    choose_view(page, "Briefing")
    expect(page.get_by_role("button", name="Brief me")).to_be_visible()
    assert params(page).get("view") == "Briefing"
    # The chat box stays offered there (app.py draws it before choosing the view) ...
    expect(page.locator(CHAT_BOX)).to_be_enabled()
    shot(page, "1-briefing")

    # ... and what is typed in it is answered, in the chat, not dropped.
    ask(page, EVACUATED, turn=1)
    expect(view_option(page, "Chat")).to_be_checked()
    expect(page.get_by_role("button", name="Brief me")).to_have_count(0)
    expect(page.locator('[data-testid="stChatMessage"]').first).to_contain_text(EVACUATED)
    expect(page.locator(".nq-answer")).to_contain_text("4,200")
    assert "view" not in params(page)
    shot(page, "2-answered-in-chat")


# -- 2. no model, no model mode ----------------------------------------------------------------


def test_without_a_model_no_model_mode_is_offered_and_the_page_says_how_to_add_one(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Offline answers.")).to_be_visible()
    expect(sidebar.get_by_text("NEWSQA_LLM_BASE_URL")).to_be_visible()
    expect(sidebar.get_by_role("radio", name="Language model")).to_have_count(0)
    expect(sidebar.get_by_role("radiogroup", name="Answer mode")).to_have_count(0)
    shot(page, "1-sidebar", clip=sidebar.bounding_box())


# -- 3. feedback survives a reload -------------------------------------------------------------


def test_sent_feedback_is_shown_again_after_a_reload(open_page: Any, shot: Shots) -> None:
    page = open_page()
    ask(page, EVACUATED, turn=1)
    feedback = open_expander(page, "Feedback")
    feedback.get_by_role("radio", name="Thumbs down").click()
    send_button = page.locator(".st-key-send-1 button")
    expect(send_button).to_be_enabled()
    settle(page)
    # The thumb's rerun leaves the expander open: the comment box is still there to type in.
    expect(page.locator(".st-key-comment-1 input")).to_be_visible()
    type_in(page, "comment-1", "wrong street count")
    send_button.click()
    expect(page.get_by_text("Feedback saved")).to_be_visible()
    shot(page, "1-sent")

    page.reload()
    expect(page.locator(".nq-answer")).to_have_count(1)
    feedback = open_expander(page, "Feedback")
    expect(page.locator(".st-key-comment-1 input")).to_have_value("wrong street count")
    expect(feedback.get_by_role("radio", name="Thumbs down")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(feedback.get_by_role("radio", name="Thumbs up")).to_have_attribute(
        "aria-checked", "false"
    )
    shot(page, "2-after-reload")


# -- 4. uploading an article -------------------------------------------------------------------


@pytest.fixture
def upload_url(browser_index: Path, tmp_path: Path) -> Iterator[str]:
    """A second server, over a copy: an added article would change what the other tests see."""
    index = copy_index(browser_index, tmp_path / "index")
    with serving(index, tmp_path / "streamlit.log") as url:
        yield url


def test_an_uploaded_article_is_counted_at_once_and_answers(
    browser: Any, upload_url: str, tmp_path: Path, shot: Shots
) -> None:
    ferry = article_file(
        tmp_path / "in",
        "ferry.txt",
        "Ferry strike ends after nine days",
        [
            "The Port Elara ferry strike ended on Friday after nine days.",
            "Crews voted 212 to 40 to accept a pay rise of 6 percent.",
            "Services to Gull Island resume on Saturday morning.",
        ],
        outlet="Ferry Gazette",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(upload_url)
        expect(page.locator(CHAT_BOX)).to_be_visible()
        before = articles_metric(page)
        adder = open_expander(page, "Add articles")
        adder.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ferry))
        expect(adder.get_by_text("ferry.txt")).to_be_visible()
        shot(page, "1-chosen")
        adder.get_by_role("button", name="Add articles").click()
        done = page.locator(SIDEBAR).locator('[data-testid="stAlert"]', has_text="ferry.txt:")
        expect(done).to_be_visible()
        # Counted in the same redraw that reports the addition, not one step later.
        assert articles_metric(page) == before + 1
        shot(page, "2-added")

        answer = send(page, "How did crews vote on the ferry pay rise?", turn=1)
        expect(answer).to_contain_text("212 to 40")
        expect(page.locator("#nq-src-1-1")).to_contain_text("Ferry Gazette")
        shot(page, "3-asked")
    finally:
        context.close()


def test_an_addition_shows_its_stages_and_the_page_answers_meanwhile(
    browser: Any, upload_url: str, tmp_path: Path, shot: Shots
) -> None:
    # Long enough that reading, embedding and annotating take seconds on two busy cores.
    lines = [
        f"Dredging log {n}: the dredger Marlin cleared {n * 3} tonnes of silt from berth "
        f"{n % 40} of the Port Elara harbour on its shift number {n}."
        for n in range(1500)
    ]
    survey = article_file(tmp_path / "in", "survey.txt", "Harbour dredging log", lines,
                          outlet="Survey Desk")  # fmt: skip
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(upload_url)
        expect(page.locator(CHAT_BOX)).to_be_visible()
        before = articles_metric(page)
        adder = open_expander(page, "Add articles")
        adder.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(survey))
        expect(adder.get_by_text("survey.txt")).to_be_visible()
        adder.get_by_role("button", name="Add articles").click()
        stage = page.locator(SIDEBAR).get_by_text(re.compile(
            r"Adding: survey\.txt: (reading and cleaning|embedding [\d,]+ of [\d,]+ sentences|"
            r"reading names and figures \([\d,]+ sentences\))"))  # fmt: skip
        expect(stage).to_be_visible()
        shot(page, "1-stage")
        # The page is not held while the file is read: a question is answered meanwhile.
        answer = send(page, EVACUATED, turn=1)
        expect(answer).to_contain_text("4,200")
        shot(page, "2-answered-meanwhile")
        done = page.locator(SIDEBAR).locator('[data-testid="stAlert"]', has_text="survey.txt:")
        expect(done).to_be_visible(timeout=180_000)
        expect(stage).to_have_count(0)
        shot(page, "3-added")
        assert articles_metric(page) == before + 1, page.locator(SIDEBAR).inner_text()
        shot(page, "3-added")
    finally:
        context.close()


# -- 5. how sure an answer is ------------------------------------------------------------------


def test_each_answer_says_how_sure_it_is_and_an_abstention_names_the_whole_index(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    sure = send(page, "How many residents were evacuated in Port Elara?", turn=1)
    expect(sure.locator(".nq-confidence")).to_have_text(
        re.compile(r"^Answer( \(confidence \d+%\))?$")
    )
    expect(sure.locator(".nq-confidence.nq-conf-answer")).to_have_count(1)
    expect(page.get_by_text("Sources", exact=True)).to_have_count(1)

    evidence = send(page, "What will the Northern Link cost?", turn=2)
    expect(evidence.locator(".nq-confidence")).to_contain_text(
        "Not sure: these passages may answer it"
    )
    expect(evidence.locator(".nq-conf-evidence")).to_have_count(1)
    expect(page.get_by_text("Closest passages", exact=True)).to_have_count(1)
    shot(page, "1-answer-and-evidence")

    none = send(page, MARS, turn=3)
    expect(none.locator(".nq-confidence.nq-conf-none")).to_have_text("The articles don't say")
    expect(none).to_contain_text(f"The indexed articles don't say: {MARS}")
    assert "selected articles" not in none.inner_text()
    expect(page.get_by_text("Related reading", exact=True)).to_be_visible()
    shot(page, "2-abstention")


# -- 6. filters --------------------------------------------------------------------------------


def test_filters_show_on_the_answer_survive_a_reload_and_reach_the_export(
    open_page: Any, shot: Shots, request: pytest.FixtureRequest
) -> None:
    page = open_page(accept_downloads=True)
    outlets = page.locator(".st-key-outlets")
    outlets.locator("input").click()
    outlets.locator("input").fill(OUTLET)
    page.get_by_role("option", name=OUTLET, exact=True).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"[?&]outlets=Harbour(\+|%20)Daily"))

    answer = send(page, DAMAGE, turn=1)
    expect(answer.locator(".nq-filters")).to_have_text(f"Asked under filters: outlets {OUTLET}")
    sources = page.locator(".nq-source .nq-meta")
    assert sources.count() >= 1
    assert all(OUTLET in text for text in sources.all_inner_texts())
    shot(page, "1-filtered-answer")

    choose_view(page, "Briefing")
    expect(page).to_have_url(re.compile(r"[?&]view=Briefing"))
    page.reload()
    expect(view_option(page, "Briefing")).to_be_checked()
    expect(page.get_by_role("button", name="Brief me")).to_be_visible()
    expect(outlets.get_by_text(OUTLET)).to_be_visible()  # the chosen outlet's tag
    assert params(page)["outlets"] == OUTLET and params(page)["view"] == "Briefing"
    shot(page, "2-reloaded")

    choose_view(page, "Chat")
    expect(page.locator(".nq-filters")).to_have_text(f"Asked under filters: outlets {OUTLET}")
    text = download_export(page, request.node.name)
    assert f"_Asked under filters: outlets {OUTLET}_" in text
    assert DAMAGE in text


# -- 7. the first view -------------------------------------------------------------------------


def test_the_first_view_shows_the_stories_and_an_example_is_answered_in_one_click(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    expect(page.get_by_role("heading", name="In this collection")).to_be_visible()
    settle(page)
    stories = page.get_by_text(re.compile(r"^\d+ article\(s\) · .+ · \d{4}-\d{2}-\d{2}"))
    expect(stories.first).to_be_visible()
    assert stories.count() >= 3
    assert any("Harbour Daily" in s for s in stories.all_inner_texts())
    examples = page.locator('[class*="st-key-example-"] button')
    expect(examples.nth(4)).to_be_visible()  # several stories, each with questions
    # It opens at the top: the title and the sentence saying what the tool does in sight.
    page.wait_for_timeout(2000)
    expect(page.get_by_role("heading", name="newsqa")).to_be_in_viewport()
    expect(page.get_by_text("every answer quotes the article sentences")).to_be_in_viewport()
    shot(page, "0-first-view-opens-at-the-top")
    shot(page, "1-first-view", full_page=True)

    question = examples.first.inner_text().strip()
    examples.first.click()
    page.locator("#nq-src-1-1").wait_for(state="visible")
    expect(page.locator('[data-testid="stChatMessage"]').first).to_contain_text(question)
    expect(page.locator(".nq-answer a.nq-chip").first).to_be_visible()
    expect(page.get_by_role("heading", name="In this collection")).to_have_count(0)
    shot(page, "2-example-answered")


# -- 8. answer cards ---------------------------------------------------------------------------


def test_sources_are_one_card_per_article_and_chips_show_the_sentence_on_hover(
    open_page: Any, shot: Shots
) -> None:
    page = open_page()
    answer = send(page, "What did the union say about Aerolis?", turn=1)
    chips = answer.locator("a.nq-chip")
    numbers = [int(n) for n in chips.all_inner_texts()]
    cards = page.locator(".nq-source")
    titles = [t.split("]", 1)[1].strip() for t in cards.locator(".nq-title").all_inner_texts()]
    assert len(titles) == len(set(titles)), f"an article has two cards: {titles}"
    listed = [[int(n) for n in re.findall(r"\[(\d+)\]", card.inner_text())] for card in cards.all()]
    # Every chip's source has its card, and each citation is listed once (the short answer
    # repeats the chips of the sentences that give it).
    assert sorted(n for card in listed for n in card) == sorted(set(numbers))
    assert any(len(card) >= 2 for card in listed), f"no article cited twice here: {listed}"
    shot(page, "1-cards")

    chip = chips.first
    chip.hover()
    title = chip.get_attribute("title") or ""
    sentence = page.locator("#nq-src-1-1 mark.nq-hl").first.inner_text()
    meta = page.locator("#nq-src-1-1 .nq-meta").inner_text()
    outlet, day = (part.strip() for part in meta.lstrip("· ").split(" · ")[:2])
    assert title == f"[1] {sentence} ({outlet}, {day})"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day)
    shot(page, "2-hover")


def test_an_answer_can_be_copied_and_its_question_edited_and_sent(
    open_page: Any, shot: Shots
) -> None:
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    ask(page, EVACUATED, turn=1)
    # A visible button, not inside an expander, copying plain text with the numbered sources.
    page.evaluate("navigator.clipboard.writeText('nothing copied yet')")
    copy = page.locator(".nq-copy button").first
    expect(copy).to_be_visible()
    copy.click()
    expect(copy).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(f"Q: {EVACUATED}") and "Sources:" in copied
    assert "[1] \u201c" in copied and EVACUATED_SENTENCE in copied
    assert "\\" not in copied and "[^" not in copied and "**" not in copied  # no Markdown
    shot(page, "1-copied")
    open_expander(page, "Edit or ask again")

    type_in(page, "edit-1", DAMAGE)
    resend = page.locator(".st-key-resend-1 button")
    expect(resend).to_be_visible()  # the expander stayed open through the edit's rerun
    resend.click()
    page.locator("#nq-src-2-1").wait_for(state="visible")
    expect(page.locator(".nq-answer")).to_have_count(2)
    expect(page.locator('[data-testid="stChatMessage"]').nth(2)).to_contain_text(DAMAGE)
    expect(page.locator(".nq-answer").nth(1)).to_contain_text("$120 million")
    expect(page.locator(".st-key-regen-1")).to_have_count(0)  # offline: nothing to regenerate
    shot(page, "2-edited-and-sent")


# -- 9. conversations --------------------------------------------------------------------------


def test_conversations_are_listed_renamed_reopened_and_deleted(open_page: Any, shot: Shots) -> None:
    page = open_page()
    ask(page, EVACUATED, turn=1)
    first = params(page)["c"]
    sidebar = page.locator(SIDEBAR)
    type_in(page, f"name-{first}", "Flood evacuations")
    sidebar.get_by_role("button", name="Rename").click()
    shot(page, "1-renamed", clip=sidebar.bounding_box())

    sidebar.get_by_role("button", name="New conversation").click()
    expect(page.get_by_role("heading", name="In this collection")).to_be_visible()
    expect(page.locator(".nq-answer")).to_have_count(0)
    assert params(page)["c"] != first
    listed = sidebar.locator(f".st-key-conv-{first} button")
    # Listed with the day it was last asked in, at the top of the sidebar.
    expect(listed).to_have_text(re.compile(r"Flood evacuations · \d{4}-\d{2}-\d{2} \(1\)"))
    text = sidebar.inner_text()
    assert text.index("Conversation") < text.index("Collection") < text.index("Filters")
    shot(page, "2-new-conversation")

    listed.click()
    expect(page.locator(".nq-answer")).to_have_count(1)
    expect(page.locator(".nq-answer")).to_contain_text("4,200")
    expect(page.locator('[data-testid="stChatMessage"]').first).to_contain_text(EVACUATED)
    assert params(page)["c"] == first
    expect(sidebar.locator(f".st-key-conv-{first}")).to_have_count(0)  # open: not "earlier"
    shot(page, "3-reopened")

    sidebar.get_by_role("button", name="Delete").click()
    expect(sidebar).to_contain_text("cannot be undone")
    sidebar.get_by_role("button", name="Yes, delete").click()
    expect(page.locator(".nq-answer")).to_have_count(0)
    expect(page).not_to_have_url(re.compile(rf"[?&]c={first}"))
    expect(sidebar.locator(f".st-key-conv-{first}")).to_have_count(0)
    expect(sidebar.get_by_text("Flood evacuations")).to_have_count(0)
    shot(page, "4-deleted")


def test_each_browser_lists_only_its_own_conversations_and_a_shared_link_forks(
    open_page: Any, app_url: str, shot: Shots
) -> None:
    mine = open_page()
    ask(mine, EVACUATED, turn=1)
    first = params(mine)["c"]
    sidebar = mine.locator(SIDEBAR)
    sidebar.get_by_role("button", name="New conversation").click()
    expect(sidebar.locator(f".st-key-conv-{first}")).to_have_count(1)
    # A reload is a new Streamlit session: the browser's cookie keeps it the same reader.
    mine.reload()
    expect(mine.locator(CHAT_BOX)).to_be_visible()
    expect(mine.locator(SIDEBAR).locator(f".st-key-conv-{first}")).to_have_count(1)
    shot(mine, "1-mine-after-reload")

    other = open_page()  # another browser: another context, no cookie
    expect(other.get_by_role("heading", name="In this collection")).to_be_visible()
    expect(other.locator(SIDEBAR).locator(f".st-key-conv-{first}")).to_have_count(0)
    other.goto(f"{app_url}/?c={first}")  # the bare id is private: a new conversation opens
    expect(other.get_by_role("heading", name="In this collection")).to_be_visible()
    expect(other.locator(".nq-answer")).to_have_count(0)
    # Shared explicitly: the owner makes a read-only link.
    mine.locator(SIDEBAR).locator(f".st-key-conv-{first} button").click()
    expect(mine.locator(".nq-answer")).to_have_count(1)
    mine.locator(SIDEBAR).get_by_role("button", name="Share a read-only link").click()
    link = mine.locator(SIDEBAR).locator("code").filter(has_text="?share=")
    expect(link).to_have_count(1)
    other.goto(link.inner_text().strip())
    expect(other.locator(".nq-answer")).to_have_count(1)
    expect(other.locator(SIDEBAR).get_by_role("button", name="Delete")).to_have_count(0)
    expect(other.locator(SIDEBAR)).to_contain_text("shared with you")
    ask(other, DAMAGE, turn=2)
    expect(other).not_to_have_url(re.compile(rf"[?&]c={first}"))
    shot(other, "2-other-forked")

    mine.goto(f"{app_url}/?c={first}")  # the owner's conversation is as they left it
    expect(mine.locator(".nq-answer")).to_have_count(1)
    shot(mine, "3-mine-unchanged")


# The WCAG contrast of each element's text against the first opaque background behind it, its
# opacity applied (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio).
CONTRAST_JS = """(selectors) => {
  const rgba = (s) => { const m = s.match(/[\\d.]+/g).map(Number);
                        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (c) => { c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] >= 0.99) return c;
    }
    return [255, 255, 255, 1];
  };
  const out = [];
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      let alpha = 1;
      for (let e = el; e; e = e.parentElement) alpha *= Number(getComputedStyle(e).opacity);
      const fg = rgba(getComputedStyle(el).color), bg = background(el);
      const a = fg[3] * alpha;
      const seen = [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a));
      const [hi, lo] = [lum(seen), lum(bg)].sort((x, y) => y - x);
      out.push({selector, ratio: (hi + 0.05) / (lo + 0.05)});
    }
  }
  return out;
}"""
SOURCE_TEXT = [".nq-source .nq-para", ".nq-source .nq-cited", ".nq-source .nq-meta",
               ".nq-source mark.nq-hl", ".nq-source .nq-title", ".nq-source .nq-title a",
               ".nq-answer p"]  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_source_cards_read_at_wcag_aa_contrast_in_both_themes(
    open_page: Any, shot: Shots, scheme: str
) -> None:
    page = open_page(color_scheme=scheme)
    send(page, EVACUATED, turn=1)
    measured = page.evaluate(CONTRAST_JS, SOURCE_TEXT)
    assert {m["selector"] for m in measured} >= {".nq-source .nq-meta", ".nq-source mark.nq-hl"}
    weak = [m for m in measured if m["ratio"] < 4.5]  # AA for normal text
    shot(page, f"1-{scheme}")
    assert not weak, weak
