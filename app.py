"""newsqa in the browser: a chat whose answers cite the article sentences they come from.

Run with `make run` (or `streamlit run app.py`). This file holds session state and rendering
only; every decision (retrieval, answering, citation checks, ingestion, HTML, export text) is a
call into `qa`.

DOM hooks used by the browser tests: `.nq-answer` (answer text), `a.nq-chip` (a citation
marker, links to `#nq-src-<turn>-<n>`), `.nq-source` (a cited source, its sentence in
`mark.nq-hl`), `.nq-article` (the article dialog).
"""

from __future__ import annotations

import re
import sys
import threading
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from qa import render
from qa.access import DEFAULT_COLLECTION, editable, readable
from qa.access_rules import Access, AccessRules, merged
from qa.assistant import Assistant
from qa.config import Settings, load_settings
from qa.conversations import Conversations
from qa.errors import NewsqaError
from qa.escape import date_span, md_escape
from qa.export import answer_plain_text, conversation_markdown
from qa.feedback import FeedbackLog
from qa.fixtures import record_case
from qa.ingest.sources import KIND_BY_SUFFIX
from qa.inspect import collection_stats
from qa.library import Library, open_library
from qa.private import temporary_folder
from qa.saved_briefings import SavedBriefings
from qa.serving import (
    Role,
    SignIn,
    exposure_warning,
    oidc_reader,
    proxy_reader,
    role_of,
    sign_in_mode,
)
from qa.store import ArticleReader, Store, writable
from qa.types import Answer, Citation, Delta, Filters, Mode, Outcome

st.set_page_config(page_title="newsqa", layout="centered")
st.html(render.CSS)

SETTINGS_HASH = {Settings: lambda s: s.model_dump_json()}
SCROLL_TO_HIGHLIGHT = (
    "<script>setTimeout(function () { var m = document.getElementById('nq-first-hl');"
    " if (m) { m.scrollIntoView({block: 'center'}); } }, 150);</script>"
)
OPEN_AT_TOP = (
    "<script>(function () { function top() {"
    " document.querySelectorAll('.stMain, [data-testid=\"stAppScrollToBottomContainer\"]')"
    ".forEach(function (e) { e.scrollTop = 0; }); window.scrollTo(0, 0); }"
    " [50, 300, 800, 1500].forEach(function (t) { setTimeout(top, t); }); })();</script>"
)
# A browser's own random id, kept in a cookie: its conversations are listed to it alone.
READER_COOKIE = "newsqa_reader"


@st.cache_resource(show_spinner="Opening the index...", hash_funcs=SETTINGS_HASH)
def open_parts(settings: Settings) -> Library:
    # One library for every visitor: its store and models are shared under its lock.
    return open_library(settings)


@st.cache_resource(show_spinner="Loading the embedding model...", hash_funcs=SETTINGS_HASH)
def open_ingestor(settings: Settings) -> Any:
    from qa.ingest.pipeline import Ingestor

    # A visitor's URL may only reach public addresses unless the deployment allows others.
    return Ingestor(settings, public_only=not settings.page_allow_private_urls, visitor=True)


@st.cache_data(ttl=60, show_spinner=False, hash_funcs=SETTINGS_HASH)
def sidebar_stats(settings: Settings) -> dict[str, Any]:
    # Not recomputed on every chat turn: it reads every article and opens Chroma.
    return collection_stats(settings.index_dir, settings.chroma)


@st.cache_data(ttl=30, show_spinner=False, hash_funcs=SETTINGS_HASH)
def llm_status(settings: Settings) -> tuple[bool, str]:
    from qa.llm import doctor

    checks = doctor(settings.chat)
    failed = [c for c in checks if not c.ok]
    if failed:
        return False, failed[0].detail
    model = next((c.detail for c in checks if c.name == "model"), "")
    return True, f"{model} is answering"


# -- adding articles ---------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def ingest_lock() -> threading.Lock:
    """One addition at a time on this server: they share one ingestor and its store."""
    return threading.Lock()


def add_articles(
    settings: Settings, uploads: list[Any], urls: list[str], into: str | None = None
) -> None:
    """Save the files, then read, embed and store them on a thread of their own: the page stays
    usable meanwhile and `add_progress` shows each stage with its counts."""
    from qa.ingest.uploads import page_urls, save_uploads

    saved = save_uploads(
        settings.index_dir, [(f.name, f.getvalue()) for f in uploads], owner=reader_id()
    )
    urls, refused = page_urls(urls)
    items = [str(p) for p in saved] + urls
    names = [f.name for f in uploads] + urls
    try:
        ingestor = open_ingestor(settings)
    except NewsqaError as exc:
        st.error(str(exc))
        return
    # Written by the thread, read by the page's reruns: plain values, no Streamlit call there.
    job: dict[str, Any] = {"label": "Waiting for another addition to finish", "done": False,
                           "results": [(r.item, r.ok, r.message) for r in refused]}  # fmt: skip
    st.session_state.add_job = job
    worker = threading.Thread(
        target=_run_addition, args=(job, ingestor, items, names, ingest_lock(), into),
        daemon=True,
    )  # fmt: skip
    worker.start()


def _run_addition(
    job: dict[str, Any],
    ingestor: Any,
    items: list[str],
    names: list[str],
    lock: threading.Lock,
    into: str | None,
) -> None:
    from qa.ingest.uploads import ingest_items

    def stage(label: str) -> None:
        job["label"] = label

    with lock:
        try:
            for r in ingest_items(ingestor, items, names=names, stages=stage, collection=into):
                job["results"].append((r.item, r.ok, r.message))
        except Exception as exc:  # the page must hear of it: a thread's error is lost otherwise
            job["results"].append(("adding", False, str(exc).splitlines()[0] if str(exc) else
                                   type(exc).__name__))  # fmt: skip
    job["done"] = True


@st.fragment(run_every=0.5)
def add_progress() -> None:
    """The running addition's stage and counts, redrawn on its own twice a second; when it is
    done, its results and the whole page (the collection's counts) drawn again."""
    job = st.session_state.get("add_job")
    if job is None:
        return
    if not job["done"]:
        st.caption(f"Adding: {job['label']}")
        return
    st.session_state.add_results = job["results"]
    del st.session_state.add_job
    sidebar_stats.clear()
    if not any(ok for _, ok, _ in job["results"]):
        open_parts.clear()  # a failed store or Chroma is opened afresh by the next question
    st.rerun(scope="app")


def show_add_results() -> None:
    for item, ok, message in st.session_state.get("add_results", []):
        (st.success if ok else st.error)(f"{item}: {message}", icon=None)


def empty_state(settings: Settings, problem: str) -> None:
    if not may_edit():
        st.info("No articles yet: an editor of this page adds them.")
        return
    st.info(
        "No articles yet. Add some from the sidebar (files, page URLs or feed URLs), run "
        "`newsqa ingest PATH` in a terminal, or load the bundled sample collection."
    )
    st.caption(problem)
    if st.button("Load the sample articles", type="primary"):
        from qa.ingest.sources import sample_dir

        with st.spinner("Reading, cleaning and embedding 26 sample articles..."):
            try:
                open_ingestor(settings).ingest([str(sample_dir())])
            except NewsqaError as exc:
                st.error(str(exc))
                return
        sidebar_stats.clear()
        open_parts.clear()
        st.rerun()


def add_into() -> str | None:
    """The collection new articles join: the one the reader edits, or the one they choose
    when they edit several (None: the default collection, for a page without collections)."""
    choices: list[str] = st.session_state.get("editable", [])
    if not choices and may(Role.EDITOR) and not st.session_state.get("all_collections"):
        choices = [DEFAULT_COLLECTION]  # an empty index: its editors start the default one
    if len(choices) > 1:
        chosen: str = st.selectbox("Into collection", choices, key="add-into")
        return chosen
    return choices[0] if choices else None


def add_articles_form(settings: Settings) -> None:
    with st.form("add", clear_on_submit=True, border=False):
        # What ingest reads, dot and all: Streamlit takes a bare "text" for every text/* file.
        uploads = st.file_uploader("Files", accept_multiple_files=True, type=list(KIND_BY_SUFFIX))
        pasted = st.text_area("Page or feed URLs, one per line", height=80)
        into = add_into()
        busy = "add_job" in st.session_state
        if st.form_submit_button("Add articles", disabled=busy) and (uploads or pasted.strip()):
            from qa.ingest.uploads import split_urls

            add_articles(settings, list(uploads or []), split_urls(pasted), into)
    if "add_job" in st.session_state:
        add_progress()  # polls only while an addition runs
    show_add_results()


# -- rendering ---------------------------------------------------------------------------------


@st.dialog("Article", width="large")
def show_article(store: Store, article_id: str, highlight: list[int]) -> None:
    article = store.article(article_id)
    if article is None:
        st.error("This article is no longer in the index.")
        return
    if not may_open(store, article_id):
        # A link someone shared may cite it; the whole article stays in its collection.
        st.info("This article is in a collection you may not read: only the cited sentence "
                "is shown.")  # fmt: skip
        return
    # The title is article text: escaped HTML, never Markdown (which would render links and
    # fetch remote images from it).
    st.html(render.article_html(article, highlight, with_title=True))
    st.html(SCROLL_TO_HIGHLIGHT, unsafe_allow_javascript=True)
    if may_edit():
        remove_article_button(store, article_id)


def remove_article_button(store: Store, article_id: str) -> None:
    """An editor removes the article from the collections they edit (confirmed first); left
    in no collection, its sentences, vectors, claims and upload go, and no answer cites it
    from then on. In a collection they do not edit, it stays."""
    settings: Settings = st.session_state.settings
    held = store.collections_of(article_id) or [DEFAULT_COLLECTION]
    mine = [c for c in held if c in st.session_state.get("editable", [])]
    if not mine:
        return
    if not st.session_state.get(f"removing-{article_id}"):
        if st.button("Remove from the collection", key=f"remove-{article_id}"):
            st.session_state[f"removing-{article_id}"] = True
            st.rerun(scope="fragment")
        return
    kept = [c for c in held if c not in mine]
    if kept:
        # Named only when this reader may read them.
        readable_now = st.session_state.get("readable", [])
        named = [c for c in kept if c in readable_now] or ["other collections"]
        st.warning(f"Take this article out of {', '.join(mine)}? It stays in {', '.join(named)}.")
    else:
        st.warning("Remove this article for every reader? Its sentences are no longer cited.")
    left, right = st.columns(2)
    if left.button("Remove", type="primary", key=f"remove-confirm-{article_id}"):
        from qa.ingest.remove import remove_articles

        try:
            for collection in mine:
                remove_articles(settings, [article_id], collection=collection)
        except NewsqaError as exc:
            st.error(str(exc))
            return
        sidebar_stats.clear()
        st.session_state.pop(f"removing-{article_id}", None)
        st.toast("Article removed")
        st.rerun()
    if right.button("Keep it", key=f"remove-cancel-{article_id}"):
        st.session_state.pop(f"removing-{article_id}", None)
        st.rerun(scope="fragment")


def may_open(store: Store, article_id: str) -> bool:
    """The reader may read this article whole: every one, unless some collections are closed
    to them and it is only in those (an answer someone shared may cite it)."""
    allowed = readable_if_restricted()
    return allowed is None or bool(
        set(store.collections_of(article_id) or [DEFAULT_COLLECTION]) & set(allowed)
    )


def render_sources(store: Store, citations: tuple[Citation, ...], turn: int | str) -> None:
    # One card per article, listing the numbered sentences cited from it.
    for group in render.by_article(citations):
        first = group[0]
        # An article closed to this reader shows only its cited sentence, and no copy of it.
        article = store.article(first.article_id) if may_open(store, first.article_id) else None
        copies = [
            a
            for a in (
                store.article(i, with_sentences=False) for i in first.also_in if may_open(store, i)
            )
            if a is not None
        ]
        st.html(render.article_sources_html(group, article, turn=turn, copies=copies))
        if article is not None and st.button(
            "Open article", key=f"open-{turn}-{first.n}", type="tertiary"
        ):
            show_article(store, first.article_id, [c.sentence_index for c in group])


def render_answer(store: ArticleReader, answer: Answer, turn: int) -> None:
    st.html(render.answer_html(answer, turn=turn))
    if answer.fallback_reason:
        st.warning(f"Model answer not used: {answer.fallback_reason}", icon=None)
    for repair in answer.repairs:
        st.caption(f"Checked - {repair.action.replace('_', ' ')}: {repair.detail}")
    if answer.citations:
        # Closest evidence is offered as such, never as the answer's sources.
        st.caption("Sources" if answer.outcome is Outcome.ANSWER else "Closest passages")
        render_sources(store, answer.citations, turn)
    elif answer.related:
        st.caption("Related reading")
        render_sources(store, answer.related, turn)
    render_actions(answer, turn)
    render_feedback(answer, turn)


def render_actions(answer: Answer, turn: int) -> None:
    # In sight, not in an expander: the answer and its numbered sources as plain text.
    st.html(render.copy_html(answer_plain_text(answer)), unsafe_allow_javascript=True)
    with st.expander("Edit or ask again", expanded=False):
        edited = st.text_input("Edit the question", value=answer.question, key=f"edit-{turn}")
        left, right = st.columns(2)
        if left.button("Ask", key=f"resend-{turn}") and edited.strip():
            st.session_state.pending_question = edited
            st.rerun()
        if answer.mode == "llm" and right.button("Regenerate", key=f"regen-{turn}"):
            st.session_state.pending_question = answer.question
            st.session_state.regenerate = turn
            st.rerun()


def render_feedback(answer: Answer, turn: int) -> None:
    settings = st.session_state.settings
    with st.expander("Feedback", expanded=False):
        rating = st.feedback("thumbs", key=f"rating-{turn}")
        comment = st.text_input("Comment (optional)", key=f"comment-{turn}")
        left, right = st.columns(2)
        if left.button("Send feedback", key=f"send-{turn}", disabled=rating is None):
            with closing(FeedbackLog(readers_store(settings))) as log:
                log.save(
                    answer.to_dict(), kind="feedback", rating=1 if rating else -1, comment=comment
                )
            st.toast("Feedback saved")
        if may(Role.ADMIN) and right.button("Save as test fixture", key=f"fixture-{turn}"):
            # The same case `newsqa fixtures record` writes; `newsqa fixtures export FILE`
            # appends the saved ones to a fixture file.
            case = record_case(answer, case_id=f"page-{st.session_state.conversation_id}-{turn}")
            with closing(FeedbackLog(readers_store(settings))) as log:
                log.save(
                    answer.to_dict(), kind="fixture", rating=None, comment=comment, fixture=case
                )
            st.toast("Saved as a test fixture")


# -- the page ----------------------------------------------------------------------------------


def oidc_configured() -> bool:
    """Streamlit's OpenID Connect sign-in is set up (an [auth] section in its secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answer "no"
        return False


def sign_in(settings: Settings) -> SignIn:
    return sign_in_mode(oidc=oidc_configured(), trusted_header=settings.trusted_user_header)


def reader_id() -> str:
    """Who is reading (`qa.serving`): the signed-in user, the user the authenticating proxy
    names, or, on a page for this machine alone, this browser's random id from its cookie (new,
    and the cookie set, on a first visit). Without it every visitor of a shared page would see,
    open and delete everyone's conversations. Stops the page when a reader must sign in."""
    settings: Settings = st.session_state.settings
    mode = sign_in(settings)
    if mode is SignIn.OIDC:
        reader = oidc_reader(st.user.get("sub"), st.user.get("email"))
        if not st.user.is_logged_in or reader is None:
            sign_in_view()
            st.stop()
        return reader
    if mode is SignIn.PROXY:
        header = settings.trusted_user_header or ""
        reader = proxy_reader(st.context.headers.get(header))
        if reader is None:
            st.error(f"The sign-in proxy did not say who you are (no usable {header} header): "
                     "open the page through it.")  # fmt: skip
            st.stop()
        return reader
    if "reader" not in st.session_state:
        cookie = st.context.cookies.get(READER_COOKIE)
        # (AppTest has no browser: its cookies are a mock, not a str.)
        if isinstance(cookie, str) and re.fullmatch(r"[0-9a-f]{32}", cookie):
            st.session_state.reader = cookie
        else:
            st.session_state.reader = uuid.uuid4().hex
            # Our own hex id, nothing a visitor typed. A year, this site only.
            st.html(
                f"<script>document.cookie = '{READER_COOKIE}={st.session_state.reader}; "
                "path=/; max-age=31536000; SameSite=Strict';</script>",
                unsafe_allow_javascript=True,
            )
    local: str = st.session_state.reader
    return local


def sign_in_view() -> None:
    """What a visitor who has not signed in sees: what the tool is, and the way in."""
    st.markdown(INTRO)
    st.button("Sign in", type="primary", on_click=st.login, key="sign-in")


def reader_names(settings: Settings) -> list[object]:
    """The names settings may give this reader by: the sign-in's e-mail and subject id, or the
    proxy's user; none for the one local reader."""
    mode = sign_in(settings)
    if mode is SignIn.OIDC:
        return [st.user.get("email"), st.user.get("sub")]
    if mode is SignIn.PROXY:
        return [st.context.headers.get(settings.trusted_user_header or "")]
    return []


def access_rules(settings: Settings) -> AccessRules | None:
    """What admins set on the page (`qa.access_rules`), beside the readers' own tables; None
    before the index exists."""
    if not settings.store_path.is_file():
        return None
    if "access_rules" not in st.session_state:
        st.session_state.access_rules = AccessRules(readers_store(settings))
    rules: AccessRules = st.session_state.access_rules
    return rules


def reader_role(settings: Settings, rules: Access) -> Role:
    """What this reader may do (`qa.serving.role_of`): the settings and the page's admins name
    the editors and admins (`rules`, read once a run by `merged`)."""
    admins, editors, _ = rules
    return role_of(sign_in(settings), reader_names(settings), admins=admins, editors=editors)


def reader_collections(settings: Settings, store: Store, rules: Access) -> None:
    """The collections this reader may read and those they may edit (`qa.access`), kept in
    the session for the sidebar, the add form and the remove button."""
    names, role = reader_names(settings), st.session_state.get("role", Role.READER)
    _, _, access = rules
    held = [name for name, _ in store.collections()]
    st.session_state.all_collections = held
    st.session_state.readable = readable(access, names, role, held)
    # Those the settings or an admin name can be added to before their first article.
    st.session_state.editable = editable(access, names, role, sorted({*held, *access}))


def readable_if_restricted() -> list[str] | None:
    """The collections this reader may read when some are closed to them; None when they may
    read every one (nothing to narrow)."""
    held: list[str] = st.session_state.get("all_collections", [])
    allowed: list[str] = st.session_state.get("readable", held)
    return None if set(allowed) == set(held) else allowed


def may(role: Role) -> bool:
    """The reader of this page holds `role` or a higher one."""
    held: Role = st.session_state.get("role", Role.READER)
    return held >= role


def may_edit() -> bool:
    """An editor (of the page, or of a collection), on an index that can be written (a
    read-only one is asked as it is)."""
    if st.session_state.get("read_only", False):
        return False
    return may(Role.EDITOR) or bool(st.session_state.get("editable"))


@st.cache_resource(show_spinner=False, hash_funcs=SETTINGS_HASH)
def readers_store(settings: Settings) -> Path:
    """Where the page keeps what readers make (conversations, briefings, feedback): the index's
    SQLite file, or, for a read-only index, a private file of this server process, kept until
    it stops."""
    if writable(settings.store_path):
        return settings.store_path
    folder = temporary_folder("newsqa-readers-")
    path = folder / "newsqa.sqlite3"
    Store.open(path).close()  # the tables the readers' own tables sit beside
    return path


def signed_in_as(settings: Settings) -> None:
    """The signed-in reader's name and the way out, at the top of the sidebar."""
    if sign_in(settings) is not SignIn.OIDC:
        return
    name = st.user.get("name") or st.user.get("email") or st.user.get("sub") or "you"
    with st.sidebar:
        st.caption(f"Signed in as {md_escape(str(name))}")
        st.button("Sign out", on_click=st.logout, key="sign-out")


def conversation(settings: Settings) -> list[Answer]:
    """This browser's conversation: saved under the id in the URL, so a reload (or a shared
    link) brings it back with its citations."""
    if "answers" not in st.session_state:
        store = conversations(settings)
        token = st.query_params.get("share")
        shared = store.shared(token) if token else None
        if shared is not None:
            # A read-only link: shown as its owner saved it; a question continues it as a copy.
            conversation_id, saved = shared
        else:
            requested = st.query_params.get("c")
            saved = store.owned(requested, reader_id()) if requested else None
            # Only the reader's own conversation opens by its id. Another id gets a new one
            # made here: adopting an id nobody saved would let whoever wrote the link read what
            # a visitor asks under it (conversation fixation), and another reader's is private.
            conversation_id = (
                requested if requested and saved is not None else new_conversation_id()
            )
            st.query_params["c"] = conversation_id
            if "share" in st.query_params:
                del st.query_params["share"]
        st.session_state.conversation_id = conversation_id
        st.session_state.answers = [Answer.from_dict(a) for a in saved or []]
        restore_feedback(settings, st.session_state.answers)
    answers: list[Answer] = st.session_state.answers
    return answers


def new_conversation_id() -> str:
    """A conversation id nobody can guess (122 random bits), made by the server."""
    return uuid.uuid4().hex


def restore_feedback(settings: Settings, answers: list[Answer]) -> None:
    """After a reload, each answer's feedback widgets show what the reader already sent."""
    if not answers:
        return
    # Opened for the moment it is needed, not kept per session: it is read once per
    # conversation and written on a click.
    with closing(FeedbackLog(readers_store(settings))) as log:
        records = log.records("feedback")
    sent = {
        (f["answer"].get("question"), f["answer"].get("answer")): f
        for f in records  # oldest first: the latest verdict wins
    }
    for turn, answer in enumerate(answers, start=1):
        verdict = sent.get((answer.question, answer.text))
        if verdict is None:
            continue
        if verdict["rating"] is not None:
            st.session_state[f"rating-{turn}"] = 1 if verdict["rating"] > 0 else 0
        st.session_state[f"comment-{turn}"] = verdict["comment"] or ""


def sidebar(settings: Settings, library: Library, stats: dict[str, Any]) -> tuple[Filters, Mode]:
    with st.sidebar:
        st.subheader("Collection", anchor=False)
        left, right = st.columns(2)
        allowed = readable_if_restricted()
        outlets_shown = list(stats["outlets"])
        dated = stats["first_published"], stats["last_published"]
        if allowed is not None:  # what this reader may read, nothing more
            members = library.store.collection_members(allowed)
            left.metric("Articles", f"{len(members):,}")
            outlets_shown = library.store.outlets(only=members)
            dated = library.store.published_range(only=members)
        else:
            left.metric("Articles", f"{stats['articles']:,}")
            right.metric("Sentences", f"{stats['sentences']:,}")
        span = date_span(*dated)
        st.caption("Undated articles" if span == "undated" else f"Published {span}")
        if st.session_state.get("read_only"):
            st.caption("Read-only index: asking works, adding is off.")
        elif may_edit():  # readers ask; editors add and remove
            with st.expander("Add articles"):
                add_articles_form(settings)
        if may(Role.ADMIN) and not st.session_state.get("read_only"):
            with st.expander("Manage access"):
                manage_access(settings)

        st.subheader("Filters", anchor=False)
        first, last = _day(dated[0]), _day(dated[1])
        # Before the widgets: a link's filters become their values on the first run.
        linked_filters(outlets_shown, first, last)
        collections = collections_filter()
        outlets = st.multiselect("Outlets", options=outlets_shown, placeholder="All", key="outlets")
        dates = st.date_input("Published between", min_value=first, max_value=last, key="dates")
        since = dates[0].isoformat() if len(dates) >= 1 else None
        until = dates[1].isoformat() if len(dates) == 2 else None
        filters = Assistant(library).make_filters(
            sources=outlets, since=since, until=until, collections=collections
        )
        # The filters are part of the conversation's link: a reload or a shared link keeps them.
        _set_param("outlets", ",".join(outlets))
        _set_param("since", since)
        _set_param("until", until)

        st.subheader("Answers", anchor=False)
        if not settings.llm_configured:
            # Offered only when there is a model: choosing it would only ever fall back.
            st.caption(
                "Offline answers. For answers written by a language model, set "
                "NEWSQA_LLM_BASE_URL (any OpenAI-compatible server) or NEWSQA_LLM_MODEL with "
                "OPENAI_API_KEY, and restart."
                if may(Role.ADMIN)  # how to configure the server is the admin's business
                else "Offline answers."
            )
            return filters, "extractive"
        modes = ["Extractive (offline)", "Language model"]
        mode = st.radio(
            "Answer mode", modes, index=1 if library.default_mode == "llm" else 0,
            label_visibility="collapsed",
        )  # fmt: skip
        ok, detail = llm_status(settings)
        st.caption(("Model ready: " if ok else "Model unavailable: ") + detail)

    return filters, ("llm" if mode == modes[1] else "extractive")


def conversations_panel(settings: Settings, answers: list[Answer], slot: Any) -> None:
    # Drawn after the chat, so the answer given in this run is already in the export and the
    # list, into a slot kept at the top of the sidebar: a reader's conversations come first.
    with slot:
        st.subheader("Conversation", anchor=False)
        if st.button("New conversation"):
            open_conversation(new_conversation_id())
        # Right after the chat, before anything that reads the store: the export follows the
        # answer without a window in which it still holds the previous turn.
        st.download_button(
            "Export as Markdown",
            conversation_markdown(answers, today=date.today().isoformat()),
            file_name="newsqa-conversation.md",
            mime="text/markdown",
            disabled=not answers,
        )
        saved = conversations(settings)
        current = st.session_state.conversation_id
        mine = saved.writable_by(current, reader_id())
        if answers and not mine:
            st.caption("A conversation shared with you: a question continues it as your own.")
        if answers and mine:
            name = st.text_input(
                "Name", key=f"name-{current}", placeholder="Name this conversation"
            )
            left, right = st.columns(2)
            if left.button("Rename", key="rename") and name.strip():
                saved.rename(current, name, reader=reader_id())
                st.rerun()
            if st.button("Share a read-only link", key="share"):
                token = saved.share(current, reader=reader_id())
                st.session_state[f"shared-{current}"] = token
            token = st.session_state.get(f"shared-{current}")
            if token:
                st.caption("Anyone with this link can read this conversation, not continue it:")
                st.code(f"{str(st.context.url or '').split('?')[0]}?share={token}", language=None)
            if right.button("Delete", key="delete"):
                st.session_state.confirm_delete = current
            if st.session_state.get("confirm_delete") == current:
                # Confirmed first: a deleted conversation cannot be brought back.
                st.warning("Delete this conversation? It cannot be undone.")
                yes, no = st.columns(2)
                if yes.button("Yes, delete", key="delete-confirm", type="primary"):
                    st.session_state.pop("confirm_delete", None)
                    saved.delete(current, reader=reader_id())
                    open_conversation(new_conversation_id())
                if no.button("Keep it", key="delete-cancel"):
                    st.session_state.pop("confirm_delete", None)
                    st.rerun()
        earlier = [c for c in saved.recent(reader_id()) if c.id != current]
        if earlier:
            st.caption("Earlier conversations")
        for item in earlier:
            # When it was last asked in (UTC day), and how many questions it holds.
            label = f"{item.title} · {item.updated_at[:10]} ({item.turns})"
            if st.button(label, key=f"conv-{item.id}", type="tertiary"):
                # Reopened under its own filters, not whatever the sidebar shows now.
                answers = saved.owned(item.id, reader_id()) or [{}]
                open_conversation(item.id, filters=dict(answers[-1].get("filters") or {}))


ROLE_CHOICES = {"editor": Role.EDITOR, "admin": Role.ADMIN, "reader (no page role)": None}


def manage_access(settings: Settings) -> None:
    """An admin gives editors and admins, and says who reads and edits each collection; this
    adds to the settings (what they grant stays)."""
    rules = access_rules(settings)
    if rules is None:
        return
    with st.form("access-role", clear_on_submit=True, border=False):
        who = st.text_input("E-mail or subject id", key="access-who")
        role = st.selectbox("Role", list(ROLE_CHOICES), key="access-role-choice")
        if st.form_submit_button("Set role") and who.strip():
            try:
                rules.set_role(who, ROLE_CHOICES[role])
            except NewsqaError as exc:
                st.error(str(exc))
            else:
                st.toast(f"{md_escape(who.strip())}: {role}")
                st.rerun()
    given = rules.roles()
    fixed = [f"{n} (admin, settings)" for n in settings.admins] + [
        f"{n} (editor, settings)" for n in settings.editors
    ]
    listed = [*fixed, *(f"{n} ({r.name.lower()})" for n, r in given.items())]
    st.caption("Roles: " + (md_escape(", ".join(listed)) or "none given; everyone reads"))
    held: list[str] = st.session_state.get("all_collections", [])
    collection = st.selectbox("Collection", held, key="access-collection") if held else None
    if collection is None:
        return
    current = rules.collections().get(collection)
    fixed = settings.collections.get(collection)
    # What the page adds to the settings: for a collection they restrict, nobody more unless
    # the admin names them ("*" there would open it to everyone).
    shown = current.readers if current else (() if fixed else ("*",))
    with st.form(f"access-{collection}", border=False):
        readers = st.text_area(
            "Readers, one per line (* for everyone; none: its editors alone)",
            value="\n".join(shown),
        )
        editors = st.text_area(
            "Editors, one per line", value="\n".join(current.editors) if current else ""
        )
        if st.form_submit_button("Save access"):
            try:
                rules.set_collection(
                    collection, readers=readers.splitlines(), editors=editors.splitlines()
                )
            except NewsqaError as exc:
                st.error(str(exc))
            else:
                st.toast(f"Access to {collection} saved")
                st.rerun()
    if fixed is not None:
        st.caption(
            "The settings restrict this collection to "
            + md_escape(", ".join(fixed.readers) or "its editors")
            + "; what they grant stays, and readers named here are added."
        )


def collections_filter() -> list[str]:
    """The collections questions and briefings are asked within: those chosen, or every one
    the reader may read when some are closed to them (empty: all, nobody is restricted)."""
    held: list[str] = st.session_state.get("all_collections", [])
    restricted = readable_if_restricted()
    allowed = held if restricted is None else restricted
    if held and not allowed:
        st.info("No collection of this page is open to you: ask its admin for access.")
        st.stop()
    chosen: list[str] = []
    if len(allowed) > 1:
        chosen = st.multiselect(
            "Collections", options=allowed,
            placeholder="All yours" if restricted is not None else "All",
            key="collections",
        )  # fmt: skip
    _set_param("collections", ",".join(chosen))
    return chosen or (allowed if restricted is not None else [])


def conversations(settings: Settings) -> Conversations:
    # One connection per browser session: read on every rerun (the sidebar's list), written
    # after every answer.
    if "conversations" not in st.session_state:
        st.session_state.conversations = Conversations(readers_store(settings))
    saved: Conversations = st.session_state.conversations
    return saved


def open_conversation(conversation_id: str, *, filters: dict[str, Any] | None = None) -> None:
    """Switch this browser to a conversation (a new one when the id is unused) and redraw;
    with `filters` (a saved conversation's last ones), the sidebar's filters become them."""
    st.session_state.pop("answers", None)
    st.query_params["c"] = conversation_id
    if filters is not None:
        _set_param("outlets", ",".join(filters.get("sources") or ()))
        _set_param("since", filters.get("since"))
        _set_param("until", filters.get("until"))
        _set_param("collections", ",".join(filters.get("collections") or ()))
        st.session_state.pop("linked", None)  # the widgets take the link's filters again
    st.rerun()


def linked_filters(outlets: list[str], first: date | None, last: date | None) -> None:
    """On a page's first run, the filters and view its link carries become the widgets'
    values (outlets no longer in the index and dates out of range are left out)."""
    if "linked" in st.session_state:
        return
    st.session_state.linked = True
    params = st.query_params
    wanted = [o for o in params.get("outlets", "").split(",") if o in outlets]
    st.session_state.outlets = wanted
    days = [d for d in (_day(params.get("since")), _day(params.get("until"))) if d is not None]
    if first and last:
        days = [d for d in days if first <= d <= last]
    st.session_state.dates = tuple(days)
    allowed = st.session_state.get("readable", [])
    st.session_state.collections = [
        c for c in params.get("collections", "").split(",") if c in allowed
    ]
    if params.get("view") in ("Chat", "Briefing"):
        st.session_state.view = params["view"]


def _set_param(name: str, value: str | None) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


@st.cache_resource(show_spinner=False)
def warn_if_served_beyond_this_machine(mode: SignIn) -> None:
    """Once per server, in its log (`qa.serving`)."""
    warning = exposure_warning(st.get_option("server.address"), mode)
    if warning:
        print(warning, file=sys.stderr, flush=True)


def main() -> None:
    st.title("newsqa", anchor=False)
    try:
        settings = load_settings()
    except NewsqaError as exc:
        st.error(str(exc))
        st.stop()
    warn_if_served_beyond_this_machine(sign_in(settings))
    st.session_state.settings = settings
    reader_id()
    rules = merged(settings, access_rules(settings))  # the access in force, read once a run
    st.session_state.role = reader_role(settings, rules)
    st.session_state.read_only = settings.store_path.is_file() and not writable(settings.store_path)
    signed_in_as(settings)
    # Kept at the top of the sidebar, filled after the chat (`conversations_panel`).
    conversation_slot = st.sidebar.container()
    # Drawn first (Streamlit pins it to the bottom wherever it is called), so the page is
    # usable at once while a cold start opens the index and the models.
    question = st.chat_input("Ask about the news", disabled=not settings.store_path.is_file())
    try:
        library = open_parts(settings)
        stats = sidebar_stats(settings)
    except NewsqaError as exc:
        if may_edit():
            with st.sidebar, st.expander("Add articles", expanded=True):
                add_articles_form(settings)
        empty_state(settings, str(exc))
        st.stop()

    reader_collections(settings, library.store, rules)
    try:
        filters, mode = sidebar(settings, library, stats)
    except NewsqaError as exc:
        st.error(str(exc))
        # Never wider than what the reader may read.
        allowed = readable_if_restricted()
        if allowed is not None and not allowed:
            st.stop()
        filters = Filters(collections=tuple(allowed or ()))
        mode = library.default_mode
    store = library.store  # shared by every visitor: each statement holds the library's lock
    # A question edited and sent again, or regenerated, from an earlier answer's actions.
    question = question or st.session_state.pop("pending_question", None)
    if question:  # asked from the Briefing view too: the chat shows its answer
        st.session_state.view = "Chat"
    view = st.sidebar.radio("View", ["Chat", "Briefing"], horizontal=True, key="view")
    _set_param("view", view if view != "Chat" else None)
    if view == "Briefing":
        briefing_view(library, store, filters, mode)
        return
    answers = conversation(settings)
    if not answers and not question:
        first_view(settings, stats)
    regenerate = st.session_state.pop("regenerate", None)
    if regenerate is not None and regenerate == len(answers):
        answers.pop()  # the model writes the last answer again, in its place
    for turn, answer in enumerate(answers, start=1):
        with st.chat_message("user"):
            st.text(answer.question)
        # In one container, like a fresh answer in the streamed text's place: the next rerun
        # finds its elements where they were, and an open "Feedback" or "Edit or ask again"
        # expander stays open when its first widget is used.
        with st.chat_message("assistant"), st.container():
            render_answer(store, answer, turn)

    if question:
        answer_question(Assistant(library), store, answers, question, filters, mode)
    conversations_panel(settings, answers, conversation_slot)


def collection_stories(settings: Settings, articles: int, last: str | None) -> list[Any]:
    # Once per collection state (article count, newest date) and set of collections a reader
    # may read, for the whole process.
    from qa.overview import cached_stories

    library = open_parts(settings)
    allowed = readable_if_restricted()
    key = (str(settings.index_dir), articles, last, library.store.collections_version(),
           tuple(allowed or ()))  # fmt: skip
    with st.spinner("Reading the collection's stories..."):
        return cached_stories(library, key, collections=allowed)


INTRO = (
    "Ask about the news in this collection: every answer quotes the article sentences it rests "
    "on, says how sure it is, and says so when the articles don't answer."
)


def first_view(settings: Settings, stats: dict[str, Any]) -> None:
    """An empty chat shows the collection at a glance, with questions one click away."""
    # What the tool does, in one sentence, before anything else a newcomer reads.
    st.markdown(INTRO)
    found = collection_stories(settings, stats["articles"], stats["last_published"])
    if not found:
        return
    st.subheader("In this collection", anchor=False)
    for number, story in enumerate(found):
        with st.container(border=True):
            st.markdown(f"**{md_escape(story.title)}**")
            outlets = ", ".join(story.outlets) or "unknown outlets"
            st.caption(f"{story.articles} article(s) · {outlets} · {story.dates}")
            for k, question in enumerate(story.questions):
                if st.button(question, key=f"example-{number}-{k}", type="tertiary"):
                    st.session_state.pending_question = question
                    st.rerun()
    # A chat page keeps itself scrolled to its end; a newcomer reads it from the title and the
    # sentence above instead (the stories draw in a moment after the first paint).
    st.html(OPEN_AT_TOP, unsafe_allow_javascript=True)


def saved_briefings(settings: Settings) -> SavedBriefings:
    # One connection per browser session, like the conversations'.
    if "saved_briefings" not in st.session_state:
        st.session_state.saved_briefings = SavedBriefings(readers_store(settings))
    saved: SavedBriefings = st.session_state.saved_briefings
    return saved


def briefing_view(library: Library, store: ArticleReader, filters: Filters, mode: Mode) -> None:
    from qa.brief import Briefer
    from qa.export import briefing_markdown

    saved = saved_briefings(st.session_state.settings)
    with st.form("brief", border=False):
        topic = st.text_input("Story", placeholder="e.g. Tarnov Pass border clash")
        go = st.form_submit_button("Brief me", type="primary")
    if go and topic.strip():
        try:
            made = Briefer(library).brief(topic, filters=filters, mode=mode)
        except NewsqaError as exc:
            st.error(str(exc))
            return
        # Kept for the reader at once: a reload or another day lists it below.
        st.session_state.briefing_id = saved.save(made, reader=reader_id())
        st.session_state.briefing = made
    briefing = st.session_state.get("briefing")
    earlier = [b for b in saved.recent(reader_id()) if b.id != st.session_state.get("briefing_id")]
    if earlier:
        st.caption("Your briefings")
        for item in earlier:
            label = f"{item.topic} · {item.created_at[:10]} ({item.articles} articles)"
            if st.button(label, key=f"briefing-{item.id}", type="tertiary"):
                st.session_state.briefing = saved.owned(item.id, reader_id())
                st.session_state.briefing_id = item.id
                st.rerun()
    if briefing is None:
        st.caption("Key points, timeline, who's who, where accounts differ, and sources.")
        return
    st.html(render.briefing_html(briefing))
    left, right = st.columns(2)
    left.download_button(
        "Download as Markdown",
        briefing_markdown(briefing),
        file_name="newsqa-briefing.md",
        mime="text/markdown",
    )
    current = st.session_state.get("briefing_id")
    if current and right.button("Delete this briefing", key="briefing-delete"):
        st.session_state.confirm_briefing_delete = current
    if current and st.session_state.get("confirm_briefing_delete") == current:
        st.warning("Delete this briefing? It cannot be undone.")
        yes, no = st.columns(2)
        if yes.button("Yes, delete", key="briefing-delete-confirm", type="primary"):
            saved.delete(current, reader=reader_id())
            for key in ("briefing", "briefing_id", "confirm_briefing_delete"):
                st.session_state.pop(key, None)
            st.rerun()
        if no.button("Keep it", key="briefing-delete-cancel"):
            st.session_state.pop("confirm_briefing_delete", None)
            st.rerun()
    st.caption("Sources")
    render_sources(store, tuple(briefing.citations), "b")


def answer_question(
    assistant: Assistant,
    store: ArticleReader,
    answers: list[Answer],
    question: str,
    filters: Filters,
    mode: Mode,
) -> None:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        live = st.empty()  # the streamed text, replaced by the checked answer at the end
        shown = ""
        final = None
        try:
            events = assistant.ask_stream(question, filters=filters, history=answers, mode=mode)
            for event in events:
                if isinstance(event, Delta):
                    shown += event.text
                    if event.unchecked:  # a model's draft: labelled, and replaced when checked
                        with live.container():
                            st.caption(
                                "Draft from the model, not yet checked: the checked answer "
                                "replaces it."
                            )
                            st.text(shown)
                    else:
                        live.text(shown)
                else:
                    final = event
        except NewsqaError as exc:
            live.empty()
            st.error(str(exc))
            return
        live.empty()
        if final is None:
            return
        answers.append(final)
        saved = conversations(st.session_state.settings)
        if not saved.writable_by(st.session_state.conversation_id, reader_id()):
            # Another reader's conversation, opened by its link: continued as a copy of this
            # reader's own, the original left as its owner saved it.
            st.session_state.conversation_id = new_conversation_id()
            st.query_params["c"] = st.session_state.conversation_id
            if "share" in st.query_params:
                del st.query_params["share"]
        saved.save(st.session_state.conversation_id, [a.to_dict() for a in answers],
                   reader=reader_id())  # fmt: skip
        with live.container():
            render_answer(store, final, len(answers))


main()
