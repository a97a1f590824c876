"""The composition root: every part a question, a briefing or an evaluation needs, built once
from the settings and handed out as one frozen `Library`.

    lib = open_library(load_settings())              # the only place the parts are built
    answer = Assistant(lib).ask("How many residents were evacuated?")
    briefing = Briefer(lib).brief("Port Elara flood")

Whoever needs a part takes it from the library (`lib.store`, `lib.vectors`, `lib.embedder`),
never through another part (not an assistant's store). The parts that share the store's one
SQLite connection (the assistant, briefings, the page's stories) serialise on `lib.lock`, the
lock the store itself holds for every statement; it is re-entrant, so a briefing that asks
questions holds it once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from qa.embed import query_embedder
from qa.errors import LLMError, NewsqaError
from qa.index import VectorIndex
from qa.ranker import load_model
from qa.retrieve import Retriever
from qa.spelling import Speller
from qa.store import Store

if TYPE_CHECKING:
    from qa.config import AnswerOptions, Settings
    from qa.embed import Embedder
    from qa.generate import LLMAnswerer
    from qa.keywords import KeywordIndex
    from qa.rerank import Reranker
    from qa.types import Mode


@dataclass(frozen=True)
class Library:
    """The assembled parts of one index. Build it with `open_library`."""

    settings: Settings
    store: Store  # articles, sentences and their search, in the index's SQLite file
    vectors: VectorIndex  # the sentence vectors (Chroma)
    embedder: Embedder  # the question-side embedding model
    retriever: Retriever  # hybrid retrieval and the learned ranker over the three above
    speller: Speller  # misspelt question words -> the store's own words (read at first use)
    answering: AnswerOptions  # the configured options, also for models a fixture scripts
    llm: LLMAnswerer | None  # the configured model's answerer; None when there is none
    llm_unavailable: str | None  # why there is no model although one was asked for
    default_mode: Mode
    reranker: Reranker | None
    today: date | None = None  # a fixed "today" (fixtures, tests); None: the clock's
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def day(self) -> date:
        """The day questions are asked on: "last week" and "latest" are read against it."""
        return self.today or date.today()

    def close(self) -> None:
        self.store.close()


def open_library(settings: Settings, *, today: date | None = None) -> Library:
    """The parts for an index that holds articles; raises `NewsqaError` naming the command to
    run when it holds none, and `IndexMismatchError` when it was built with another model."""
    lock = threading.RLock()
    store = Store.open(settings.store_path, create=False, lock=lock)
    store.bind_embedding_model(settings.embed_model)  # refuses an index of another model
    if store.article_count() == 0:
        store.close()
        raise NewsqaError(
            f"the index at {settings.index_dir} holds no articles: run 'newsqa ingest PATH' "
            "or 'newsqa ingest --sample'"
        )
    embedder = query_embedder(settings.embedding)
    vectors = VectorIndex.open(settings.chroma)
    retriever = Retriever(
        store, vectors, embedder, model=load_model(), keywords=_keywords(settings, store)
    )
    llm, unavailable = _llm(settings, store, embedder)
    return Library(
        settings=settings,
        store=store,
        vectors=vectors,
        embedder=embedder,
        retriever=retriever,
        speller=Speller(store),
        answering=settings.answering,
        llm=llm,
        llm_unavailable=unavailable,
        default_mode="llm" if settings.uses_llm else "extractive",
        reranker=_reranker(settings),
        today=today,
        lock=lock,
    )


def _llm(
    settings: Settings, store: Store, embedder: Embedder
) -> tuple[LLMAnswerer | None, str | None]:
    if not (settings.llm_configured or settings.answer_mode == "llm"):
        return None, None
    from qa.generate import LLMAnswerer
    from qa.llm import ChatModel
    from qa.support import SupportScorer

    try:
        chat = ChatModel(settings.chat)
    except LLMError as exc:
        return None, str(exc)
    return LLMAnswerer(chat, store, SupportScorer(embedder), settings.answering), None


def _keywords(settings: Settings, store: Store) -> KeywordIndex | None:
    """The keyword index once an ingest has filled it; until then the store's FTS5 answers."""
    from qa.keywords import KEYWORDS_VERSION, KeywordIndex

    if store.get_meta("keywords_version") != KEYWORDS_VERSION:
        return None
    if store.read_only:  # tantivy takes a lock file to open, which a read-only folder refuses
        return None
    return KeywordIndex.open(settings.keywords_path)


def _reranker(settings: Settings) -> Reranker | None:
    if not settings.reranker:
        return None
    from qa.rerank import CrossEncoderReranker

    return CrossEncoderReranker(settings.reranker, top=settings.reranker_top)


__all__ = ["Library", "open_library"]
