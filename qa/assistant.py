"""The assistant: a question in, an `Answer` with checked sentence citations out.

assistant = Assistant(open_library(load_settings()))   # or Assistant.from_settings(...)
answer = assistant.ask("How many soldiers died in the clash?")
print(answer.text)                # "... [1]"
print(answer.citations[0].title)

Two answerers share retrieval: the extractive one (offline default, `qa.extractive`) and, when
a model is configured, the LLM one (`qa.generate`), whose citations are checked and which falls
back to the extractive answer, saying why, whenever its reply cannot be trusted.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from qa.access import collection_name, within
from qa.cause import cause_first
from qa.cite import cite, copies_among
from qa.errors import CollectionError, LLMError, QuestionError
from qa.extractive import DEFAULT_POLICY, Choice, Policy, choose_sentences, compose, fold
from qa.followup import follow_up, person_meant, rewrite, standalone_question
from qa.question import QUOTE, Question, analyse
from qa.quotes import joined
from qa.ranker import Verdict
from qa.retrieve import Ranking
from qa.shortanswer import NONE as NO_SHORT_ANSWER
from qa.shortanswer import agreed, asked_of, corroborating, disputed, holds, short_answer
from qa.timeparse import read_time
from qa.types import (
    Agreement,
    Answer,
    Citation,
    Delta,
    Filters,
    Mode,
    Outcome,
    Retrieved,
    stories,
)

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.config import Settings
    from qa.generate import LLMAnswerer
    from qa.library import Library

History = Sequence["str | Answer"]  # earlier questions, or earlier answers (which hold theirs)

MAX_QUESTION_CHARS = 2000
RELATED_READING = 3
SHOWN_RETRIEVED = 10
CORROBORATION_POOL = 12  # candidates read for other reports of the answer's value
HELD_TOP = 3  # candidates read for a bound value before saying the articles don't say
MAX_CITED = 5  # citations an answer shows, other reports and differing sources included


class Assistant:
    """Questions over one `Library`: `Assistant(open_library(settings)).ask("...")`."""

    def __init__(self, library: Library, *, policy: Policy = DEFAULT_POLICY) -> None:
        self.lib = library
        self.policy = policy

    @classmethod
    def from_settings(cls, settings: Settings, *, today: date | None = None) -> Assistant:
        """An assistant over the index the settings name (the parts built by `open_library`)."""
        from qa.library import open_library

        return cls(open_library(settings, today=today))

    def make_filters(
        self,
        *,
        sources: Sequence[str] = (),
        since: str | None = None,
        until: str | None = None,
        article_ids: Sequence[str] = (),
        collections: Sequence[str] = (),
    ) -> Filters:
        """Filters from what a person typed: outlet names in any case, dates in most formats,
        collection names the index has."""
        known = self.lib.store.outlets()
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
        named = [collection_name(c) for c in collections]
        held = dict(self.lib.store.collections())
        if unknown := [c for c in named if c not in held]:
            raise CollectionError(
                f"no collection called {unknown[0]!r} in the index; collections: "
                f"{', '.join(held) or 'none yet'}"
            )
        return Filters(
            sources=tuple(dict.fromkeys(matched)),
            since=_day(since, "since"),
            until=_day(until, "until"),
            article_ids=tuple(article_ids),
            collections=tuple(dict.fromkeys(named)),
        )

    def ask(
        self,
        question: str,
        *,
        filters: Filters | None = None,
        history: History | None = None,
        mode: Mode | None = None,
        llm: LLMAnswerer | None = None,
        retrieved: int = SHOWN_RETRIEVED,
    ) -> Answer:
        """Answer from the indexed articles only, or abstain saying they don't answer it.

        `mode` ("extractive" or "llm") overrides the configured one for this question, and
        `llm` the configured model (evaluation gives one that writes a fixture's reply);
        `retrieved` is how many of the best candidate sentences `Answer.retrieved` lists.
        """
        answer = None
        events = self.ask_stream(
            question, filters=filters, history=history, mode=mode, llm=llm, retrieved=retrieved
        )
        for event in events:
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
        mode: Mode | None = None,
        llm: LLMAnswerer | None = None,
        retrieved: int = SHOWN_RETRIEVED,
    ) -> Iterator[Delta | Answer]:
        """`Delta`s as the answer is written (markers numbered for display, the provisional
        citations so far), then the checked `Answer`, which replaces them."""
        lib = self.lib
        with lib.lock:  # the store's connection and the models are shared by every reader
            yield from self._ask(
                question, filters, history or (), mode or lib.default_mode, llm or lib.llm,
                retrieved,
            )  # fmt: skip

    def _ask(
        self,
        question: str,
        filters: Filters | None,
        history: History,
        mode: Mode,
        llm: LLMAnswerer | None,
        retrieved: int,
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
            answer = Answer(question, text, (), Outcome.NONE, timings_ms={"total": 0.0})
            yield Delta(answer.text)
            yield answer
            return
        # Typos corrected to the collection's own words ("resdents" -> "residents"): what is
        # asked is read from the corrected words, and the answer keeps the question as typed.
        # Not within collections: the vocabulary is the whole index's, and a correction shown
        # to a reader could name what only a collection closed to them holds.
        correct = (lambda text: text) if filters and filters.collections else (
            lambda text: self.lib.speller.correct(text).text)  # fmt: skip
        asked = person_meant(correct(question), history or ())
        search_text = self._standalone(asked, history, llm if mode == "llm" else None)
        if search_text != asked:  # a follow-up: the earlier question's words too
            search_text = correct(search_text)
        timings["rewrite"] = (time.perf_counter() - started) * 1000
        scope = read_time(search_text, today=self.lib.day())
        filters = _with_scope(filters or Filters(), scope.since, scope.until)
        searched = within(self.lib.store, filters)
        copies_among(searched.article_ids if filters.collections else None)
        ranking = self.lib.retriever.rank(
            search_text, searched, analysed=_analysed(asked, search_text)
        )
        if search_text != asked:
            ranking = follow_up(ranking, history, self._claims_for_sides(ranking, history))
        if self.lib.reranker is not None:
            ranking = ranking.reordered(self.lib.reranker.rerank(search_text, ranking.ranked))
        if search_text != asked or self.lib.reranker is not None:  # a new top: its claims
            ranking = self.lib.retriever.with_claims(ranking)
        timings["retrieve"] = (time.perf_counter() - started) * 1000 - timings["rewrite"]
        choice = choose_sentences(ranking, search_text, self.policy)
        answer = self._answer(question, choice, ranking, filters, retrieved)
        if mode == "llm":
            answer = yield from self._llm_answer(
                llm, question, search_text, ranking, answer, timings
            )
        elif answer.text:
            for piece in re.split(r"(?<=\]) ", answer.text):
                yield Delta(piece + " ", answer.citations)
        timings["total"] = (time.perf_counter() - started) * 1000
        standalone = search_text if search_text != question else None
        yield replace(answer, timings_ms=timings, standalone_question=standalone,
                      filters=filters.to_dict())  # fmt: skip

    def _llm_answer(
        self,
        llm: LLMAnswerer | None,
        question: str,
        search_text: str,
        ranking: Ranking,
        extractive: Answer,
        timings: dict[str, float],
    ) -> Generator[Delta, None, Answer]:
        """The checked LLM answer, or the extractive one with the reason it was used instead.
        Returns the Answer (the generator's value) after yielding the deltas."""
        from qa.check import Checked
        from qa.generate import ABSTENTION_HELD, ABSTENTION_OVERRULED

        ranked = ranking.ranked
        if llm is None:
            reason = self.lib.llm_unavailable or "no language model is configured"
            return replace(extractive, fallback_reason=f"{reason}; answered extractively")
        if not ranked:
            return extractive
        started = time.perf_counter()
        streamed = False
        checked: Checked | None = None
        try:
            for event in llm.stream(search_text, ranked, today=self.lib.day().isoformat()):
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
        if checked.abstained and extractive.outcome is Outcome.ANSWER and extractive.citations:
            # Retrieval is confident: the model's "the articles don't say" does not replace it.
            return replace(
                extractive, fallback_reason=f"{ABSTENTION_OVERRULED}; answered extractively"
            )
        if checked.abstained and self._holds_asked(ranking.question, extractive):
            # The closest passages bind what the question asks to its words: the model's "the
            # articles don't say" does not hide them; they are offered as closest evidence.
            return replace(extractive, fallback_reason=f"{ABSTENTION_HELD}; answered extractively")
        if checked.abstained:
            related = tuple(
                cite(self.lib.store, n, r) for n, r in enumerate(_one_per_article(ranked), start=1)
            )
            return Answer(question, _abstention(question, None), (), Outcome.NONE, mode="llm",
                          retrieved=shown, related=related)  # fmt: skip
        citations = tuple(
            replace(cite(self.lib.store, n, item.found), support=support)
            for n, (item, support) in enumerate(
                zip(checked.cited, checked.support, strict=True), start=1
            )
        )
        return Answer(
            question,
            checked.text,
            citations,
            Outcome.ANSWER,
            mode="llm",
            retrieved=shown,
            repairs=checked.repairs,
        )

    def _claims_for_sides(self, ranking: Ranking, history: History) -> dict[str, Claims] | None:
        """For "what did the other side say?": the statements of the candidates and of the
        previous answer, whose speakers say which side each sentence is."""
        if not ranking.question.other_side:
            return None
        previous = [c.sentence for h in history if isinstance(h, Answer) for c in h.citations]
        return self.lib.store.claims_of([*previous, *(r.text for r in ranking.ranked)])

    def _holds_asked(self, question: Question, answer: Answer) -> bool:
        if answer.outcome is not Outcome.EVIDENCE or not answer.citations:
            return False
        claims = self.lib.store.claims_of(c.sentence for c in answer.citations)
        return any(holds(question, claims.get(c.sentence)) for c in answer.citations)

    def _standalone(self, question: str, history: History, llm: LLMAnswerer | None) -> str:
        previous = [h.question if isinstance(h, Answer) else h for h in history]
        if llm is not None and history:
            rewritten = rewrite(llm.chat, question, history, deadline=llm.options.deadline)
            if rewritten:
                return rewritten
        return standalone_question(question, previous)

    # -- building the answer ---------------------------------------------------------------

    def _answer(
        self,
        question: str,
        choice: Choice,
        ranking: Ranking,
        filters: Filters,
        retrieved: int,
    ) -> Answer:
        shown = tuple(ranking.ranked[:retrieved])
        if not choice.sentences:
            choice = self._held(ranking, choice)
        verdict = choice.verdict
        if not choice.sentences:
            related = tuple(
                cite(self.lib.store, n, r)
                for n, r in enumerate(_one_per_article(ranking.ranked), start=1)
            )
            text = _abstention(question, filters)
            return Answer(question, text, (), Outcome.NONE, retrieved=shown, related=related,
                          probability=verdict.probability)  # fmt: skip
        store = self.lib.store
        outcome, probability = verdict.outcome, verdict.probability
        sentences = cause_first(ranking.question, choice.sentences, store.sentence_texts)
        citations = tuple(cite(store, n, r) for n, r in enumerate(sentences, start=1))
        beyond = _beyond(ranking.ranked, sentences)
        claims = self._claims(
            ranking,
            [*((c.article_id, c.sentence_index, c.sentence) for c in citations),
             *((r.article_id, r.sentence_index, r.text) for r in beyond)],
        )  # fmt: skip
        wider = self._corroborated(ranking.question, citations, beyond, claims)
        found = short_answer(ranking.question, wider, claims)
        kept = agreed(found, wider) or disputed(found, wider) or asked_of(found, ranking.question)
        if outcome is Outcome.EVIDENCE and kept:
            # Independent reports bind the same value to the question (or each a different
            # one: the answer is that they differ), or the asked speaker states what was
            # asked for: an answer, from them.
            outcome, citations = Outcome.ANSWER, _renumbered(wider, kept)
            found = short_answer(ranking.question, citations, claims)
        elif outcome is Outcome.ANSWER:
            citations = wider
        else:  # a guess is never dressed as an answer
            found = NO_SHORT_ANSWER
        if outcome is Outcome.ANSWER and found.agreement and not found.conflict:
            probability = _agreed_probability(probability, citations, found.agreement[0])
        text = compose(outcome, citations, latest=ranking.question.latest)
        return Answer(question, text, citations, outcome, retrieved=shown,
                      probability=probability, short_answer=found.text,
                      agreement=found.agreement, conflict=found.conflict)  # fmt: skip

    def _held(self, ranking: Ranking, choice: Choice) -> Choice:
        """Never "the articles don't say" when a top candidate holds what the question asks
        bound to its words (the figure counting its noun, the speaker it names): that is
        closest evidence, offered as such."""
        top = _beyond(ranking.ranked[:HELD_TOP], [])
        claims = self._claims(ranking, [(r.article_id, r.sentence_index, r.text) for r in top])
        held = [r for r in top if holds(ranking.question, claims.get(r.text))]
        if ranking.question.other_side:  # the other side's words lead the follow-up's ranking
            held = [r for r in top if (c := claims.get(r.text)) and c.statements][:1]
        if not held:
            return choice
        return Choice(Verdict(Outcome.EVIDENCE, choice.verdict.probability), held)

    def _claims(self, ranking: Ranking, keys: list[tuple[str, int, str]]) -> dict[str, Claims]:
        """The claims of these sentences (article, index, text): those the ranking carries,
        the rest read; for a question about what someone said, with quotes joined to their
        speakers across the sentences of each article (`qa.quotes`): "Management would not
        even take the paper" is Kwan's."""
        claims = {t: ranking.claims[t] for _, _, t in keys if t in ranking.claims}
        missing = [t for _, _, t in keys if t not in claims]
        if missing:
            claims.update(self.lib.store.claims_of(missing))
        if ranking.question.answer_type != QUOTE:
            return claims
        store = self.lib.store
        for article_id in dict.fromkeys(a for a, _, _ in keys):
            sentences = store.sentences(article_id)
            read = joined(sentences, store.claims_of(s.text for s in sentences))
            for a, index, text in keys:
                if a == article_id and index in read:
                    claims[text] = read[index]
        return claims

    def _corroborated(
        self,
        question: Question,
        citations: tuple[Citation, ...],
        beyond: list[Retrieved],
        claims: Mapping[str, Claims],
    ) -> tuple[Citation, ...]:
        """The citations with the other reports that give the lead's value (from stories not
        cited yet) and those that give another value for the same thing."""
        if not citations:
            return citations
        agreeing, differing = corroborating(question, citations[0], beyond, claims)
        out = list(citations)
        for candidate in [*agreeing, *differing]:
            if len(out) == MAX_CITED:
                break
            cited = cite(self.lib.store, len(out) + 1, candidate)
            if candidate in agreeing and any(cited.carriers & c.carriers for c in out):
                continue  # a wire copy of a report already cited adds no one who agrees
            out.append(cited)
        return tuple(out)


def _beyond(ranked: list[Retrieved], chosen: list[Retrieved]) -> list[Retrieved]:
    """The best candidates not chosen, one per sentence text."""
    seen = {fold(r.text) for r in chosen}
    out = []
    for candidate in ranked[:CORROBORATION_POOL]:
        if fold(candidate.text) not in seen:
            seen.add(fold(candidate.text))
            out.append(candidate)
    return out


def _renumbered(citations: tuple[Citation, ...], kept: tuple[int, ...]) -> tuple[Citation, ...]:
    return tuple(replace(citations[n - 1], n=i) for i, n in enumerate(kept, start=1))


def _agreed_probability(probability: float, citations: tuple[Citation, ...],
                        lead: Agreement) -> float:  # fmt: skip
    """Each further independent report that binds the same value to the question halves the
    chance the answer is wrong: a rule, not a fit (no collection we may tune on has enough
    stories told by several outlets); its accuracy is measured in the changelog."""
    reports = stories([c for c in citations if c.n in lead.citations])
    return 1.0 - (1.0 - probability) * 0.5 ** max(0, reports - 1)


def _analysed(question: str, search_text: str) -> Question:
    """What the question asks, read from its own words; what it is about, from the search
    text too (a follow-up's topic is in the previous question, its roles are not)."""
    asked = analyse(question)
    if search_text == question:
        return asked
    about = analyse(search_text)
    return replace(asked, focus=about.focus, names=tuple(dict.fromkeys(asked.names + about.names)))


def _checked(question: str) -> str:
    if re.search("[\ud800-\udfff]", question):  # bytes that were not UTF-8 (surrogateescape)
        raise QuestionError(
            "the question is not valid UTF-8 text: type it again or fix its encoding"
        )
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
    which = "selected" if filters else "indexed"
    return f"The {which} articles don't say: {_shorten(question)}"


def _shorten(question: str) -> str:
    return question if len(question) <= 200 else question[:197] + "..."


__all__ = ["Assistant", "standalone_question"]
