"""The storage jobs, one `Protocol` each: what a caller may ask of the index's file.

A caller is typed with the job it does (`cite` reads articles, retrieval reads and searches),
so an engine that does one job differently (another text search) plugs in there alone. The
SQLite engine (`qa.store.sqlite`) implements each job in a module of its own; `Store` is all
of them over one file.

    def headline(articles: ArticleReader, article_id: str) -> str | None:
        article = articles.article(article_id, with_sentences=False)
        return None if article is None else article.title
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.store.rows import (
        ArticleSummary,
        ConversationInfo,
        SaveResult,
        SourceRef,
        StoreStats,
    )
    from qa.types import Article, Filters, Sentence


class ArticleReader(Protocol):
    """Articles and sentences by address, and the look-ups fixtures and people name them by."""

    def article(self, article_id: str, *, with_sentences: bool = True) -> Article | None: ...
    def sentences(self, article_id: str) -> list[Sentence]: ...
    def sentence_texts(self, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], str]: ...
    def sentence_copies(self, article_id: str, index: int) -> list[str]: ...
    def sentence_span(self, article_id: str, index: int) -> tuple[int, int]: ...
    def titles(self, article_ids: Iterable[str]) -> dict[str, str | None]: ...
    def published_days(self, article_ids: Iterable[str]) -> dict[str, int]: ...
    def article_count(self) -> int: ...
    def sentence_count(self) -> int: ...
    def outlets(self) -> list[str]: ...
    def near_duplicates(self, article_id: str) -> list[tuple[str, float]]: ...
    def article_ids(self) -> list[str]: ...
    def list_articles(self, limit: int = 50) -> list[ArticleSummary]: ...
    def find_article_ids(self, prefix: str) -> list[str]: ...
    def article_ids_titled(self, title: str) -> list[str]: ...
    def article_ids_with_url(self, url: str) -> list[str]: ...
    def article_ids_from_path(self, path: str) -> list[str]: ...
    def article_id_from(self, origin: str) -> str | None: ...


class ArticleWriter(Protocol):
    """Ingest's writes: every article of one container in one transaction."""

    def container_hash(self, container: str) -> str | None: ...
    def bind_embedding_model(self, model_id: str) -> None: ...
    def save_container(
        self,
        container: str,
        raw_hash: str,
        articles: Sequence[tuple[SourceRef, Article]],
        *,
        drop_missing: bool,
        near_duplicate_threshold: float = 0.5,
    ) -> tuple[list[SaveResult], list[str]]: ...


class ArticleRemover(Protocol):
    """Removing articles on request (`newsqa remove`); their vectors follow through the
    `VectorOutbox`."""

    def find_article_ids(self, prefix: str) -> list[str]: ...
    def remove_articles(self, article_ids: Sequence[str]) -> list[str]: ...


class MetaStore(Protocol):
    """Small named values kept with the index (the schema version, the last briefing's date)."""

    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...


class KeywordSearch(Protocol):
    """Lexical search over sentences: (article_id, sentence index, score), best first."""

    def lexical_search(
        self, query: str, *, limit: int = 50, filters: Filters | None = None
    ) -> list[tuple[str, int, float]]: ...


class FilterScope(Protocol):
    """What the store knows of what a filter allows: how the vector index chooses between its
    ways to apply it."""

    def filter_share(self, filters: Filters) -> float:
        """About what share (0..1) of the stored articles the filters allow, from counts kept
        in indexes (never a scan)."""
        ...

    def allowed_sentences(self, filters: Filters, *, limit: int) -> list[tuple[str, int]] | None:
        """The addresses of the sentences the filters allow, or None when there are more than
        `limit`."""
        ...


class SentenceSearch(KeywordSearch, FilterScope, Protocol):
    """The store's lexical search (FTS5), and what it knows of what a filter allows."""


class VectorOutbox(Protocol):
    """What the vector index still has to catch up with: articles to add, articles to drop."""

    def unindexed_article_ids(self) -> list[str]: ...
    def mark_indexed(self, article_ids: Iterable[str]) -> None: ...
    def pending_vector_deletes(self) -> list[str]: ...
    def clear_vector_deletes(self, article_ids: Iterable[str]) -> None: ...


class ClaimReader(Protocol):
    def claims_of(self, texts: Iterable[str]) -> dict[str, Claims]: ...


class ClaimStore(ClaimReader, Protocol):
    """What each sentence text says (`qa.claims`), read at ingest and looked up afterwards."""

    def unannotated_texts(self, version: str, *, limit: int) -> list[str]: ...
    def save_claims(self, version: str, claims: Sequence[tuple[str, Claims]]) -> None: ...


class VocabularyStore(Protocol):
    """The collection's raw words (not stemmed) with how many sentences use each, kept at
    ingest; what `qa.spelling` corrects a question's misspelt words to."""

    def fill_vocabulary(self) -> int: ...
    def frequent_words(self, *, limit: int, min_length: int = 1) -> list[tuple[str, int]]: ...
    def known_words(self, words: Iterable[str]) -> set[str]: ...


class StatsReader(Protocol):
    def stats(self) -> StoreStats: ...


class FeedbackStore(Protocol):
    """Readers' verdicts on answers, and answers kept as test cases (`qa.feedback`)."""

    def save(
        self,
        answer: dict[str, Any],
        *,
        kind: str,
        rating: int | None,
        comment: str | None,
        fixture: dict[str, Any] | None = None,
    ) -> int: ...
    def records(self, kind: str | None = None) -> list[dict[str, Any]]: ...
    def close(self) -> None: ...


class ConversationStore(Protocol):
    """Readers' saved conversations, each owned by the reader who saved it first."""

    def save(self, conversation_id: str, answers: list[dict[str, Any]], *, reader: str) -> None: ...
    def reader_of(self, conversation_id: str) -> str | None: ...
    def load(self, conversation_id: str) -> list[dict[str, Any]] | None: ...
    def recent(self, reader: str, limit: int = 20) -> list[ConversationInfo]: ...
    def rename(self, conversation_id: str, title: str, *, reader: str) -> None: ...
    def delete(self, conversation_id: str, *, reader: str) -> None: ...
    def close(self) -> None: ...
