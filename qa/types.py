"""Plain data passed between the stages of newsqa.

Data flows one way: a reader yields `RawArticle`s, cleaning and splitting turn each into an
`Article` with `Sentence`s (character offsets into the clean text), the store keeps them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class RawArticle:
    """One article as a reader found it, before cleaning.

    `origin` is the path or URL exactly as it was given to `ingest` (or the file a directory walk
    found); `item` names the article inside a multi-article container (a JSON line, a feed entry).
    """

    origin: str
    body: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # the date string as the source wrote it
    url: str | None = None
    item: str | None = None
    # Text a reader already knows is boilerplate (e.g. what HTML extraction dropped is not
    # included; this is for readers that separate e.g. a feed's summary from its body).
    removed: tuple[RemovedText, ...] = ()


@dataclass(frozen=True)
class RemovedText:
    """A piece of page noise cut from an article: kept for inspection, never indexed or cited."""

    text: str
    # caption, credit, loading, teaser, advertisement, prompt, copyright, navigation,
    # headline or duplicate
    reason: str


@dataclass(frozen=True)
class CleanedText:
    """Article body after boilerplate removal: paragraphs joined by a blank line."""

    text: str
    removed: tuple[RemovedText, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One citable sentence: `article.text[start:end] == text`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0

    @property
    def address(self) -> str:
        return f"{self.article_id}:{self.index}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Article:
    """A cleaned, split article: the unit the store keeps and citations point into."""

    id: str
    title: str | None
    outlet: str | None
    author: str | None
    published: str | None  # ISO 8601 when the source date could be parsed
    published_raw: str | None
    url: str | None
    origin: str
    content_hash: str
    text: str
    sentences: tuple[Sentence, ...] = ()
    removed: tuple[RemovedText, ...] = ()
    item: str | None = None
    sources: tuple[str, ...] = field(default=())  # every origin that carried this exact article

    def to_dict(self, *, with_sentences: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not with_sentences:
            data.pop("sentences")
        return data
