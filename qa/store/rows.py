"""What the store hands out and takes in besides articles: small frozen records, never
`sqlite3.Row`, so no caller depends on the engine that produced them.

    summary = store.list_articles(limit=1)[0]
    print(summary.id, summary.title, summary.sentences)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceRef:
    """Where one article was read: `key` is canonical (absolute path or URL, plus '#item')."""

    key: str
    origin: str
    container: str
    item: str | None = None


@dataclass(frozen=True)
class SaveResult:
    """What saving one article did: added, updated, unchanged or duplicate (of `article_id`)."""

    outcome: str
    article_id: str
    source: SourceRef
    previous_id: str | None = None  # the article this source carried before, if another


@dataclass(frozen=True)
class ArticleSummary:
    """One line of a listing: `ArticleSummary("3f2a...", "Flood", "Harbour Daily", None, 12)`."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    sentences: int


@dataclass(frozen=True)
class StoreStats:
    articles: int
    sentences: int
    sources: int
    outlets: tuple[tuple[str, int], ...]
    first_published: str | None
    last_published: str | None
    unindexed: int
    wire_copies_linked: int
    removed_pieces: int
    size_bytes: int


@dataclass(frozen=True)
class ConversationInfo:
    """One saved conversation as a reader's list shows it."""

    id: str
    title: str  # the name the reader gave it, else its first question
    updated_at: str
    turns: int
