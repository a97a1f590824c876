"""newsqa in the browser. For now: the collection and its sentences; the chat comes next.

Run with `make run` (or `streamlit run app.py`). Holds session state and rendering only.
"""

from __future__ import annotations

import html

import streamlit as st

from qa.config import load_settings
from qa.errors import NewsqaError
from qa.inspect import collection_stats, find_article
from qa.store import Store

st.set_page_config(page_title="newsqa", layout="wide")
st.title("newsqa")

try:
    settings = load_settings()
    stats = collection_stats(settings)
    store = Store.open(settings.store_path, create=False)
except NewsqaError as exc:
    st.error(str(exc))
    st.info("Add articles with `newsqa ingest PATH` or the bundled set: `newsqa ingest --sample`.")
    st.stop()

with st.sidebar:
    st.subheader("Collection")
    st.metric("Articles", stats["articles"])
    st.metric("Sentences", stats["sentences"])
    st.caption(f"{stats['first_published'] or '?'} to {stats['last_published'] or '?'}")
    st.caption(f"{len(stats['outlets'])} outlets, {stats['near_duplicate_pairs']} wire-copy pairs")

rows = store.list_articles(limit=500)
if not rows:
    st.info("The index is empty: run `newsqa ingest --sample` to load the sample articles.")
    st.stop()
labels = {
    row["id"]: f"{(row['published'] or '')[:10]}  {row['outlet'] or '-'}: {row['title']}"
    for row in rows
}
chosen = st.selectbox("Article", list(labels), format_func=labels.__getitem__)
article, duplicates = find_article(settings, chosen)
st.subheader(article.title or "(untitled)")
st.caption(
    f"{article.outlet or '-'} · {article.published or article.published_raw or 'undated'}"
    f" · {article.author or 'no byline'}"
)
if article.url:
    st.caption(article.url)
for other, overlap in duplicates:
    st.caption(f"Near-duplicate of {other} ({overlap:.0%} of sentences shared)")
# Article text is untrusted: escape it and render as HTML text only, never as Markdown.
paragraphs: dict[int, list[str]] = {}
for sentence in article.sentences:
    paragraphs.setdefault(sentence.paragraph, []).append(
        f"<sup>{sentence.index}</sup>&nbsp;{html.escape(sentence.text)}"
    )
for parts in paragraphs.values():
    st.html(f"<p style='line-height:1.6'>{' '.join(parts)}</p>")
with st.expander(f"Removed as page boilerplate ({len(article.removed)})"):
    for piece in article.removed:
        st.text(f"[{piece.reason}] {piece.text}")
