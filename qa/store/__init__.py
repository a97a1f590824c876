"""The source of truth: articles, their sources and sentences, on disk.

One `Protocol` per storage job (`protocols`): reading articles (`ArticleReader`), ingest's
writes (`ArticleWriter`), lexical search over sentences (`SentenceSearch`), what the vector
index still has to catch up with (`VectorOutbox`), `StatsReader` and `MetaStore`; and for the
tables the page keeps in the same file, `FeedbackStore` (`qa.feedback`) and `ConversationStore`
(`qa.conversations`), which open their own connection through `connect`. Records cross
the boundary as the frozen dataclasses of `rows`, never as an engine's rows. The SQLite engine
(`qa.store.sqlite`) does each job in a module of its own over one shared `Database`; `Store` is
all of them over one file, with FTS5 for BM25. Chroma only holds vectors (`qa.index`).

Adding an engine is one new module per interface, not a change to callers: e.g. a text search
on another index is a class with `lexical_search` (`SentenceSearch`), passed where search is
needed; a PostgreSQL store is a `qa/store/postgres/` package with a module per job
(`articles.py` implementing `ArticleReader`, `writer.py` `ArticleWriter`, ...) over its own
connection, and a `Store` composing them as `qa.store.sqlite.store` does. Filters are
translated to an engine's query language inside that engine's search module.

    store = Store.open(Path("index/newsqa.sqlite3"))
    article = store.article("3f2a9c0d1e2b4a5c")
"""

from __future__ import annotations

from qa.store.clock import timestamp
from qa.store.protocols import (
    ArticleReader,
    ArticleWriter,
    ConversationStore,
    FeedbackStore,
    MetaStore,
    SentenceSearch,
    StatsReader,
    VectorOutbox,
)
from qa.store.rows import ArticleSummary, ConversationInfo, SaveResult, SourceRef, StoreStats
from qa.store.sqlite.database import connect
from qa.store.sqlite.schema import SCHEMA_VERSION
from qa.store.sqlite.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "ArticleReader",
    "ArticleSummary",
    "ArticleWriter",
    "ConversationInfo",
    "ConversationStore",
    "FeedbackStore",
    "MetaStore",
    "SaveResult",
    "SentenceSearch",
    "SourceRef",
    "StatsReader",
    "Store",
    "StoreStats",
    "VectorOutbox",
    "connect",
    "timestamp",
]
