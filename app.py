"""newsqa in the browser: a chat whose answers cite the article sentences they come from.

Run with `make run` (or `streamlit run app.py`). This file holds session state and rendering
only; every decision is a call into `qa`.
"""

from __future__ import annotations

import html
from typing import Any

import streamlit as st

from qa.assistant import Assistant
from qa.config import Settings, load_settings
from qa.errors import NewsqaError
from qa.inspect import collection_stats
from qa.types import Answer, Citation, Delta

st.set_page_config(page_title="newsqa", layout="centered")


@st.cache_resource(
    show_spinner="Opening the index...", hash_funcs={Settings: lambda s: s.model_dump_json()}
)
def open_assistant(settings: Settings) -> Assistant:
    return Assistant.from_settings(settings)


@st.cache_data(ttl=60, show_spinner=False, hash_funcs={Settings: lambda s: s.model_dump_json()})
def sidebar_stats(settings: Settings) -> dict[str, Any]:
    # Not recomputed on every chat turn: it reads every article and opens Chroma.
    return collection_stats(settings)


def render_citation(citation: Citation) -> None:
    # Article text is untrusted: escape it and show it as HTML text, never as Markdown.
    date = (citation.published or "undated")[:10]
    title = html.escape(citation.title or "(untitled)")
    outlet = html.escape(citation.source or "unknown outlet")
    also = f" · also in {len(citation.also_in)} other article(s)" if citation.also_in else ""
    if citation.support < 1.0:
        also += f" · support {citation.support:.2f}"
    st.html(
        f"<div style='margin:0 0 .6em 0'><b>[{citation.n}]</b> {title} "
        f"<span style='color:#666'>· {outlet} · {date}{also}</span>"
        f"<blockquote style='margin:.2em 0 0 1.2em;color:#333'>"
        f"{html.escape(citation.sentence)}</blockquote></div>"
    )


def render_answer(answer: Answer) -> None:
    st.text(answer.text)  # plain text: markers stay visible, nothing in it is interpreted
    if answer.fallback_reason:
        st.warning(f"Model answer not used: {answer.fallback_reason}", icon=None)
    for repair in answer.repairs:
        st.caption(f"Checked - {repair.action.replace('_', ' ')}: {repair.detail}")
    listed = answer.citations or answer.related
    if listed:
        st.caption("Sources" if answer.citations else "Related reading")
        for citation in listed:
            render_citation(citation)


st.title("newsqa")
try:
    settings = load_settings()
    assistant = open_assistant(settings)
    stats = sidebar_stats(settings)
except NewsqaError as exc:
    st.error(str(exc))
    st.info("Add articles with `newsqa ingest PATH`, or the sample set: `newsqa ingest --sample`.")
    st.stop()

with st.sidebar:
    st.subheader("Collection")
    st.metric("Articles", stats["articles"])
    st.metric("Sentences", stats["sentences"])
    st.caption(f"{stats['first_published'] or '?'} to {stats['last_published'] or '?'}")
    if st.button("New conversation"):
        st.session_state.messages = []

messages: list[tuple[str, str | Answer]] = st.session_state.setdefault("messages", [])
for role, content in messages:
    with st.chat_message(role):
        if isinstance(content, Answer):
            render_answer(content)
        else:
            st.text(content)

if question := st.chat_input("Ask about the news"):
    # Earlier answers, which hold their questions: a model rewriting a follow-up sees both.
    history = [c for role, c in messages if role == "assistant" and isinstance(c, Answer)]
    messages.append(("user", question))
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        live = st.empty()  # the streamed text, replaced by the checked answer at the end
        shown = ""
        try:
            final = None
            for event in assistant.ask_stream(question, history=history):
                if isinstance(event, Delta):
                    shown += event.text
                    live.text(shown)
                else:
                    final = event
        except NewsqaError as exc:
            live.empty()
            st.error(str(exc))
        else:
            live.empty()
            if final is not None:
                messages.append(("assistant", final))
                render_answer(final)
