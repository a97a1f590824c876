"""Citations: a retrieved sentence made into the `Citation` a reader sees and can open.

The one place that does it, for the offline answer, the LLM path, briefings and evaluation:
the article's title, outlet and date, the sentence's character span in the clean text, and the
other articles that carry the same sentence word for word.

    citation = cite(store, 1, retrieved)
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING

from qa.errors import NewsqaError
from qa.types import Citation, Retrieved

if TYPE_CHECKING:
    from qa.store import ArticleReader


# The articles a reader may read when some collections are closed to them: a citation names
# the copies of its sentence only among these (a closed copy would also count as one more
# report agreeing). Set by each question and briefing for the thread it runs on (a context
# variable: the page serves its readers on threads of their own); None: every article.
_VISIBLE: ContextVar[frozenset[str] | None] = ContextVar("newsqa_visible", default=None)


def copies_among(article_ids: Iterable[str] | None) -> None:
    """From now on in this thread, citations name copies only among `article_ids` (None:
    among all)."""
    _VISIBLE.set(None if article_ids is None else frozenset(article_ids))


def cite(store: ArticleReader, n: int, found: Retrieved) -> Citation:
    """Citation number `n` for a retrieved sentence."""
    article = store.article(found.article_id, with_sentences=False)
    if article is None:  # deleted between retrieval and now by a concurrent ingest
        raise NewsqaError("the index changed while answering: ask again")
    start, end = store.sentence_span(found.article_id, found.sentence_index)
    visible = _VISIBLE.get()
    return Citation(
        n=n,
        article_id=article.id,
        title=article.title,
        source=article.outlet,
        author=article.author,
        published=article.published or article.published_raw,
        url=article.url,
        path=article.origin,
        sentence=found.text,
        sentence_index=found.sentence_index,
        start=start,
        end=end,
        also_in=tuple(
            a
            for a in store.sentence_copies(found.article_id, found.sentence_index)
            if visible is None or a in visible
        ),
    )
