"""The assistant: a question in, an `Answer` with checked sentence citations out.

assistant = Assistant.from_settings(load_settings())
answer = assistant.ask("How many soldiers died in the clash?")
print(answer.text)                # "... [1]"
print(answer.citations[0].title)

Two answerers share retrieval: the extractive one (offline default, `qa.extractive`) and, when
a model is configured, the LLM one (`qa.generate`), whose citations are checked and which falls
back to the extractive answer, saying why, whenever its reply cannot be trusted.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections.abc import Generator, Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from qa.embed import query_embedder
from qa.errors import LLMError, NewsqaError, QuestionError
from qa.extractive import DEFAULT_POLICY, Policy, choose_sentences
from qa.index import VectorIndex
from qa.retrieve import Retriever
from qa.store import Store
from qa.timeparse import read_time
from qa.types import Answer, Citation, Delta, Filters, Retrieved

if TYPE_CHECKING:
    from qa.config import Settings
    from qa.generate import LLMAnswerer

History = Sequence["str | Answer"]  # earlier questions, or earlier answers (which hold theirs)

MAX_QUESTION_CHARS = 2000
RELATED_READING = 3
SHOWN_RETRIEVED = 10

_FOLLOW_UP = re.compile(
    r"^(?:and|but|also|so|what about|how about|and what|what else)\b|"
    r"\b(?:he|she|they|him|her|them|his|hers|their|it|its|that|this|those|these|there)\b",
    re.I,
)


class Assistant:
    def __init__(
        self,
        store: Store,
        retriever: Retriever,
        *,
        policy: Policy = DEFAULT_POLICY,
        today: date | None = None,
        llm: LLMAnswerer | None = None,
        llm_unavailable: str | None = None,
        default_mode: str = "extractive",
    ) -> None:
        self.store = store
        self.retriever = retriever
        self._lock = threading.Lock()  # one question at a time: the store is one connection
        self.policy = policy
        self.today = today
        self.llm = llm
        # Why LLM answers cannot be given at all (e.g. no API key); said with each fallback.
        self.llm_unavailable = llm_unavailable
        self.default_mode = default_mode

    @classmethod
    def from_settings(cls, settings: Settings, *, today: date | None = None) -> Assistant:
        store = Store.open(settings.store_path, create=False)
        store.bind_embedding_model(settings.embed_model)  # refuses an index of another model
        if store.article_count() == 0:
            raise NewsqaError(
                f"the index at {settings.index_dir} holds no articles: run 'newsqa ingest PATH' "
                "or 'newsqa ingest --sample'"
            )
        embedder = query_embedder(settings)
        retriever = Retriever(store, VectorIndex.open(settings), embedder)
        llm, unavailable = None, None
        if settings.llm_configured or settings.answer_mode == "llm":
            from qa.generate import LLMAnswerer
            from qa.llm import ChatModel
            from qa.support import SupportScorer

            try:
                llm = LLMAnswerer(ChatModel(settings), store, SupportScorer(embedder), settings)
            except LLMError as exc:
                unavailable = str(exc)
        mode = "llm" if settings.uses_llm else "extractive"
        return cls(
            store, retriever, today=today, llm=llm, llm_unavailable=unavailable, default_mode=mode
        )

    def make_filters(
        self,
        *,
        sources: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        article_ids: Sequence[str] = (),
    ) -> Filters:
        """Filters from what a person typed: outlet names in any case, dates in most formats."""
        known = self.store.outlets()
        matched: list[str] = []
        for wanted in sources:
            hits = [o for o in known if o.casefold() == wanted.strip().casefold()] or [
                o for o in known if wanted.strip().casefold() in o.casefold()
            ]
            if not hits:
                raise QuestionError(
                    f"no outlet called {wanted!r} in the index; outlets: {', '.join(known[:12])}"
                )
            matched += hits
        return Filters(
            sources=tuple(dict.fromkeys(matched)),
            since=_day(since, "since"),
            until=_day(until, "until"),
            article_ids=tuple(article_ids),
        )

    def ask(
        self,
        question: str,
        *,
        filters: Filters | None = None,
        history: History | None = None,
        mode: str | None = None,
    ) -> Answer:
        """Answer from the indexed articles only, or abstain saying they don't answer it.

        `mode` ("extractive" or "llm") overrides the configured one for this question.
        """
        answer = None
        for event in self.ask_stream(question, filters=filters, history=history, mode=mode):
            if isinstance(event, Answer):
                answer = event
        assert answer is not None  # ask_stream always ends with the Answer
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        filters: Filters | None = None,
        history: History | None = None,
        mode: str | None = None,
    ) -> Iterator[Delta | Answer]:
        """`Delta`s as the answer is written (markers numbered for display, the provisional
        citations so far), then the checked `Answer`, which replaces them."""
        with self._lock:
            yield from self._ask(question, filters, history or (), mode or self.default_mode)

    def _ask(
        self, question: str, filters: Filters | None, history: History, mode: str
    ) -> Iterator[Delta | Answer]:
        if mode not in ("extractive", "llm"):
            raise QuestionError(f"answer mode {mode!r} is not 'extractive' or 'llm'")
        timings: dict[str, float] = {}
        started = time.perf_counter()
        question = _checked(question)
        if not _looks_english(question):
            text = (
                "The indexed articles and the matching model are English: ask in English "
                "for answers you can trust."
            )
            answer = Answer(question, text, (), True, timings_ms={"total": 0.0})
            yield Delta(answer.text)
            yield answer
            return
        search_text = self._standalone(question, history, use_llm=mode == "llm")
        timings["rewrite"] = (time.perf_counter() - started) * 1000
        scope = read_time(search_text, today=self._today())
        filters = _with_scope(filters or Filters(), scope.since, scope.until)
        ranked = self.retriever.retrieve(search_text, filters)
        if scope.prefer_recent:
            ranked = self._prefer_recent(ranked)
        timings["retrieve"] = (time.perf_counter() - started) * 1000 - timings["rewrite"]
        chosen = choose_sentences(ranked, search_text, self.policy)
        answer = self._answer(question, chosen, ranked, filters)
        if mode == "llm":
            answer = yield from self._llm_answer(question, search_text, ranked, answer, timings)
        elif answer.text:
            for piece in re.split(r"(?<=\]) ", answer.text):
                yield Delta(piece + " ", answer.citations)
        timings["total"] = (time.perf_counter() - started) * 1000
        standalone = search_text if search_text != question else None
        yield replace(answer, timings_ms=timings, standalone_question=standalone)

    def _llm_answer(
        self,
        question: str,
        search_text: str,
        ranked: list[Retrieved],
        extractive: Answer,
        timings: dict[str, float],
    ) -> Generator[Delta, None, Answer]:
        """The checked LLM answer, or the extractive one with the reason it was used instead.
        Returns the Answer (the generator's value) after yielding the deltas."""
        from qa.generate import Checked

        if self.llm is None:
            reason = self.llm_unavailable or "no language model is configured"
            return replace(extractive, fallback_reason=f"{reason}; answered extractively")
        if not ranked:
            return extractive
        started = time.perf_counter()
        streamed = False
        checked: Checked | None = None
        try:
            for event in self.llm.stream(
                search_text, ranked, today=self._today().isoformat(), cite=self._citation
            ):
                if isinstance(event, Checked):
                    checked = event
                else:
                    if not streamed:
                        timings["first_token"] = (time.perf_counter() - started) * 1000
                        streamed = True
                    yield event
        except LLMError as exc:
            timings["llm"] = (time.perf_counter() - started) * 1000
            return replace(extractive, fallback_reason=f"{exc}; answered extractively")
        timings["llm"] = (time.perf_counter() - started) * 1000
        if checked is None:  # the answerer always ends with its check; never reached
            return replace(extractive, fallback_reason="the model gave no reply")
        shown = extractive.retrieved
        if checked.abstained:
            related = tuple(
                self._citation(n, r) for n, r in enumerate(_one_per_article(ranked), start=1)
            )
            return Answer(question, _abstention(question, None), (), True, mode="llm",
                          retrieved=shown, related=related)  # fmt: skip
        citations = tuple(
            replace(self._citation(n, item.found), support=support)
            for n, (item, support) in enumerate(
                zip(checked.cited, checked.support, strict=True), start=1
            )
        )
        return Answer(
            question,
            checked.text,
            citations,
            False,
            mode="llm",
            retrieved=shown,
            repairs=tuple(checked.repairs),
        )

    def _standalone(self, question: str, history: History, *, use_llm: bool) -> str:
        previous = [h.question if isinstance(h, Answer) else h for h in history]
        if use_llm and self.llm is not None and history:
            rewritten = self.llm.rewrite(question, history)
            if rewritten:
                return rewritten
        return standalone_question(question, previous)

    def _today(self) -> date:
        return self.today or date.today()

    # -- building the answer ---------------------------------------------------------------

    def _answer(
        self,
        question: str,
        chosen: list[Retrieved],
        ranked: list[Retrieved],
        filters: Filters,
    ) -> Answer:
        shown = tuple(ranked[:SHOWN_RETRIEVED])
        if not chosen:
            related = tuple(
                self._citation(n, r) for n, r in enumerate(_one_per_article(ranked), start=1)
            )
            text = _abstention(question, filters)
            return Answer(question, text, (), True, retrieved=shown, related=related)
        citations = tuple(self._citation(n, r) for n, r in enumerate(chosen, start=1))
        text = " ".join(f"{c.sentence} [{c.n}]" for c in citations)
        return Answer(question, text, citations, False, retrieved=shown)

    def _citation(self, n: int, found: Retrieved) -> Citation:
        article = self.store.article(found.article_id, with_sentences=False)
        if article is None:  # deleted between retrieval and now by a concurrent ingest
            raise NewsqaError("the index changed while answering: ask again")
        start, end = self.store.sentence_span(found.article_id, found.sentence_index)
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
            also_in=tuple(self.store.sentence_copies(found.article_id, found.sentence_index)),
        )

    def _prefer_recent(self, ranked: list[Retrieved]) -> list[Retrieved]:
        # "latest", "now": among near-equal candidates, the newer article wins.
        if not ranked:
            return ranked
        days = self.store.published_days({r.article_id for r in ranked})
        newest = max(days.values(), default=0)
        boosted = [
            replace(r, score=r.score + (0.05 if days.get(r.article_id) == newest else 0.0))
            for r in ranked
        ]
        return sorted(boosted, key=lambda r: (-r.score, r.article_id, r.sentence_index))


def standalone_question(question: str, history: Sequence[str]) -> str:
    """A follow-up ("and what did Kestrania say?") made searchable with the previous question."""
    if not history or not _FOLLOW_UP.search(question):
        return question
    return f"{question} {history[-1]}"


def _checked(question: str) -> str:
    question = unicodedata.normalize("NFC", question).strip()
    if not question:
        raise QuestionError("the question is empty: ask something about the articles")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(question):,} characters long; ask in under "
            f"{MAX_QUESTION_CHARS:,} characters"
        )
    if not re.search(r"\w", question):
        raise QuestionError("the question has no words: ask something about the articles")
    return question


def _day(value: str | None, name: str) -> str | None:
    from qa.ingest.dates import parse_published

    if value is None or not value.strip():
        return None
    parsed = parse_published(value)
    if parsed is None or len(parsed) < 10:
        raise QuestionError(f"--{name} {value!r} is not a date: write it as YYYY-MM-DD")
    return parsed[:10]


_ENGLISH_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "did",
        "does",
        "do",
        "what",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "which",
        "much",
        "many",
        "said",
        "say",
        "says",
        "after",
        "before",
        "with",
        "by",
        "from",
        "at",
        "about",
        "has",
        "have",
        "had",
        "it",
        "he",
        "she",
        "they",
        "this",
        "that",
        "these",
        "those",
        "be",
        "been",
    ]
)


def _looks_english(question: str) -> bool:
    """False for a question in another script, or of 4+ words with no common English word."""
    letters = [c for c in question if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or unicodedata.name(c, "").startswith("LATIN"))
    if letters and latin / len(letters) < 0.5:
        return False
    words = re.findall(r"[^\W\d_]+", question.lower())
    return len(words) < 4 or any(w in _ENGLISH_WORDS for w in words)


def _with_scope(filters: Filters, since: str | None, until: str | None) -> Filters:
    # Dates said in the question narrow the filters; they never widen what the user chose.
    if since and (filters.since is None or since > filters.since):
        filters = replace(filters, since=since)
    if until and (filters.until is None or until < filters.until):
        filters = replace(filters, until=until)
    return filters


def _one_per_article(ranked: list[Retrieved]) -> list[Retrieved]:
    seen: set[str] = set()
    picked = []
    for r in ranked:
        if r.article_id not in seen:
            seen.add(r.article_id)
            picked.append(r)
        if len(picked) == RELATED_READING:
            break
    return picked


def _abstention(question: str, filters: Filters | None) -> str:
    scope = " in the selected articles" if filters else ""
    return f"The indexed articles don't say{scope}: {_shorten(question)}"


def _shorten(question: str) -> str:
    return question if len(question) <= 200 else question[:197] + "..."


__all__ = ["Assistant", "standalone_question"]
