"""The source of truth: articles, their sources and sentences, on disk.

One `Protocol` per storage job (`protocols`): reading articles (`ArticleReader`), ingest's
writes (`ArticleWriter`), lexical search over sentences (`SentenceSearch`), what the vector
index still has to catch up with (`VectorOutbox`), claims (`ClaimStore`), the raw words a
misspelt question is corrected to (`VocabularyStore`), named sets of articles
(`CollectionStore`), `StatsReader` and `MetaStore`; and for
the tables the page keeps in the same file, `FeedbackStore` (`qa.feedback`) and
`ConversationStore` (`qa.conversations`), which open their own connection through `connect`.
Records cross the boundary as the frozen dataclasses of `rows`, never as an engine's rows. The
SQLite engine (`qa.store.sqlite`) does each job in a module of its own over one shared
`Database`; `Store` is all of them over one file, with FTS5 for BM25, and safe to share
between threads: every statement and transaction holds one `threading.RLock`
(`Store.open(path, lock=app_lock)`). Chroma only holds vectors (`qa.index`); `articles.indexed`
and the `vector_deletes` outbox say what it still has to catch up with.

Adding an engine is one new module per interface, not a change to callers, which are typed
with these Protocols. Another text search: a module with a class that implements
`SentenceSearch` (`lexical_search`, translating `Filters` itself), composed into a store in
place of `SqliteSearch`. A PostgreSQL store: `qa/store/postgres/` with its connection (as
`sqlite/database.py`) and a module per job (`articles.py` an `ArticleReader`, `writer.py` an
`ArticleWriter`, `search.py`, `outbox.py`, `stats.py`), composed as `qa/store/sqlite/store.py`
composes the SQLite parts.

    store = Store.open(Path("index/newsqa.sqlite3"))
    article = store.article("3f2a9c0d1e2b4a5c")
"""

from __future__ import annotations

from qa.store.clock import timestamp
from qa.store.protocols import (
    ArticleReader,
    ArticleWriter,
    ClaimStore,
    CollectionStore,
    ConversationStore,
    FeedbackStore,
    MetaStore,
    SentenceSearch,
    StatsReader,
    VectorOutbox,
    VocabularyStore,
)
from qa.store.rows import ArticleSummary, ConversationInfo, SaveResult, SourceRef, StoreStats
from qa.store.sqlite.database import connect, writable
from qa.store.sqlite.schema import SCHEMA_VERSION
from qa.store.sqlite.store import Store

__all__ = [
    "writable",
    "SCHEMA_VERSION",
    "ArticleReader",
    "ArticleSummary",
    "ArticleWriter",
    "ClaimStore",
    "CollectionStore",
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
    "VocabularyStore",
    "connect",
    "timestamp",
]
