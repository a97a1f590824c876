"""Briefings: a sourced, dated overview of a story, built offline from cited sentences.

    briefer = Briefer(open_library(settings))
    briefing = briefer.brief("Tarnov Pass border clash", filters=Filters(since="2026-03-01"))
    print(briefing_markdown(briefing))

Every line of a briefing is an article sentence with its citation. The sections:
- key points: the sentences most about the topic, diverse (one copy of a wire sentence, no two
  saying the same), lead sentences favoured;
- timeline: dated events, the event date told apart from the publish date ("on Tuesday" in an
  article published Wednesday 2026-03-04 is 2026-03-03);
- who's who: people and organisations quoted or reported, with their role and a statement;
- accounts differ: accusations by different actors side by side, figures for the same thing
  that differ between articles, and corrections;
- what's new since a date (or since the last briefing on the same topic);
- sources: outlets, dates, articles, wire copies grouped under their origin.

Deterministic: the same index, topic and filters give the same briefing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.access import within
from qa.brief.extract import (
    ACCUSES,
    CORRECTION,
    accuser,
    figures_in,
    person_key,
    side_keys,
    side_of,
    speakers,
)  # fmt: skip
from qa.brief.people import whos_who
from qa.brief.types import (
    Briefing,
    Claim,
    Disagreement,
    Event,
    Person,
    Point,
    SourceLine,
    WireGroup,
)  # fmt: skip
from qa.cite import cite, copies_among
from qa.dating import event_date, first_date
from qa.errors import QuestionError
from qa.question import focus_words, words_of
from qa.quotes import joined
from qa.types import Citation, Filters, Mode, Retrieved

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.library import Library
    from qa.store import ArticleReader

MAX_ARTICLES = 50
MIN_TOPIC_COSINE = 0.3  # below this the best sentence is not about the topic
TOPIC_ARTICLES = 3  # the best articles one of which must name the topic's words
ARTICLE_MARGIN = 0.25  # articles this far below the best one are another story
KEY_POINTS = 6
KEY_POINT_EVIDENCE = 14  # sentences the model writes key points from
TIMELINE = 12
PEOPLE = 10
SAME_POINT = 0.82  # cosine above which two sentences say the same thing


@dataclass(frozen=True)
class _Sentence:
    article_id: str
    index: int
    text: str
    relevance: float
    vector: np.ndarray
    published: date | None
    claims: Claims | None = None  # None: not annotated (no spaCy at ingest)


class Briefer:
    def __init__(self, library: Library) -> None:
        self.lib = library
        self.store = library.store
        self.vectors = library.vectors

    def brief(
        self,
        topic: str,
        *,
        filters: Filters | None = None,
        new_since: str | None = None,
        max_articles: int = MAX_ARTICLES,
        mode: Mode = "extractive",
    ) -> Briefing:
        # Under the library's lock: a briefing reads the shared store and records when it was
        # last written, while other readers ask questions.
        with self.lib.lock:
            return self._brief(topic, filters or Filters(), new_since, max_articles, mode)

    def _brief(
        self, topic: str, filters: Filters, new_since: str | None, max_articles: int, mode: Mode
    ) -> Briefing:
        import time

        started = time.perf_counter()
        topic = " ".join(topic.split())
        if not topic or not re.search(r"\w", topic):
            raise QuestionError("the topic is empty: name a story, e.g. 'Tarnov Pass border clash'")
        if len(topic) > 300:
            raise QuestionError("the topic is over 300 characters: name the story in a few words")
        searched = within(self.store, filters)
        copies_among(searched.article_ids if filters.collections else None)
        self._check_dates(filters, searched)
        query = self.lib.embedder.embed([topic])[0]
        ranked_articles, left_out = self._articles(topic, query, searched, max_articles)
        briefing = Briefing(topic, _filters_dict(filters), len(ranked_articles))
        if left_out:
            briefing.notices.append(
                f"{left_out} more matching article(s) left out: the briefing covers the "
                f"{max_articles} most relevant; narrow it with --since/--until or --source"
            )
        pool = self._sentences(ranked_articles, query)
        registry = _Registry(self.store)
        briefing.key_points = self._key_points(pool, registry)
        if mode == "llm":
            briefing.key_points = self._model_key_points(topic, pool, registry, briefing)
        briefing.timeline = self._timeline(pool, registry)
        if not briefing.timeline:
            briefing.notices.append(
                "no timeline: none of the articles has a publication date, so no date they "
                "give ('on Monday') can be placed, and none is guessed"
            )
        briefing.people = self._people(pool, registry)
        briefing.disagreements = self._disagreements(pool, registry)
        briefing.new_since, briefing.whats_new = self._whats_new(topic, pool, registry, new_since)
        briefing.sources, briefing.wire = self._sources(ranked_articles)
        briefing.citations = registry.citations
        briefing.timings_ms["total"] = (time.perf_counter() - started) * 1000
        return briefing

    # -- finding the story ------------------------------------------------------------------

    def _check_dates(self, filters: Filters, searched: Filters) -> None:
        if not (filters.since or filters.until):
            return
        # The span said is that of the articles the reader may read, not the whole index's.
        ids = list(searched.article_ids) if filters.collections else self.store.article_ids()
        days = self.store.published_days(ids)
        lo = int((filters.since or "0000-01-01").replace("-", ""))
        hi = int((filters.until or "9999-12-31").replace("-", ""))
        if not any(lo <= d <= hi for d in days.values()):
            span = sorted(days.values())
            known = (
                f"{_day_text(span[0])} to {_day_text(span[-1])}" if span else "no dated articles"
            )
            raise QuestionError(
                f"no articles published between {filters.since or 'the start'} and "
                f"{filters.until or 'now'} (the index spans {known})"
            )

    def _articles(
        self, topic: str, query: np.ndarray, filters: Filters, max_articles: int
    ) -> tuple[list[tuple[str, float]], int]:
        hits = self.vectors.query(query, k=400, filters=filters, scope=self.store)
        best: dict[str, float] = defaultdict(float)
        for article_id, _, cosine in hits:
            best[article_id] = max(best[article_id], cosine)
        # The keyword index questions use (tantivy; the store's FTS5 on a read-only index):
        # FTS5 scores every sentence holding any of the topic's words, 1.3 s at 2M sentences.
        keywords = self.lib.retriever.keywords
        for article_id, _, _ in keywords.lexical_search(topic, limit=100, filters=filters):
            best.setdefault(article_id, 0.0)
        ordered = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        # Near in meaning is not enough: "Mars colony budget" is near every budget story. One
        # of the best articles must also name most of what the topic names.
        if not ordered or ordered[0][1] < MIN_TOPIC_COSINE or not self._named(topic, ordered):
            titles = [self.store.article(a, with_sentences=False) for a, _ in ordered[:3]]
            close = "; ".join(repr(a.title) for a in titles if a is not None and a.title)
            hint = f" Close topics: {close}." if close else ""
            raise QuestionError(f"Nothing in the collection matches {topic!r}.{hint}")
        floor = max(MIN_TOPIC_COSINE, ordered[0][1] - ARTICLE_MARGIN)
        matching = [(a, s) for a, s in ordered if s >= floor]
        return matching[:max_articles], max(0, len(matching) - max_articles)

    def _named(self, topic: str, ordered: list[tuple[str, float]]) -> bool:
        """One of the three best articles holds at least two thirds of the topic's words."""
        wanted = set(focus_words(topic))
        needed = -(-2 * len(wanted) // 3)  # two thirds, rounded up
        for article_id, _ in ordered[:TOPIC_ARTICLES]:
            said = words_of(" ".join(s.text for s in self.store.sentences(article_id)))
            if len(wanted & said) >= needed:
                return True
        return not wanted

    def _sentences(self, articles: list[tuple[str, float]], query: np.ndarray) -> list[_Sentence]:
        keys = []
        texts: dict[tuple[str, int], str] = {}
        read = {article_id: self.store.sentences(article_id) for article_id, _ in articles}
        for article_id, sentences in read.items():
            for sentence in sentences:
                keys.append((article_id, sentence.index))
                texts[(article_id, sentence.index)] = sentence.text
        vectors = self.vectors.vectors(keys)
        days = self.store.published_days({a for a, _ in articles})
        stored = self.store.claims_of(texts.values())
        # Quotes joined to their speakers across sentences: by article, in order.
        claims = {(a, n): c for a, sentences in read.items()
                  for n, c in joined(sentences, stored).items()}  # fmt: skip
        pool = []
        for key in keys:
            vector = vectors.get(key)
            if vector is None:
                continue
            day = days.get(key[0])
            published = _to_date(day) if day else None
            pool.append(_Sentence(key[0], key[1], texts[key], float(vector @ query), vector,
                                  published, claims.get(key)))  # fmt: skip
        return pool

    # -- sections ---------------------------------------------------------------------------

    def _key_points(self, pool: list[_Sentence], registry: _Registry) -> list[Point]:
        scored = sorted(
            (s for s in pool if len(s.text) >= 40 and not CORRECTION.search(s.text)),
            key=lambda s: (-(s.relevance + (0.06 if s.index <= 1 else 0.0)), s.article_id, s.index),
        )
        picked: list[_Sentence] = []
        for sentence in scored:
            if len(picked) == KEY_POINTS:
                break
            if any(float(sentence.vector @ p.vector) > SAME_POINT for p in picked):
                continue
            picked.append(sentence)
        return [Point(s.text, registry.cite(s)) for s in picked]

    def _model_key_points(
        self, topic: str, pool: list[_Sentence], registry: _Registry, briefing: Briefing
    ) -> list[Point]:
        """Key points written by the model from the best sentences, checked like answers; the
        offline points (already chosen) stay when the model's cannot be used."""
        from qa import prompts
        from qa.errors import LLMError
        from qa.markers import split_claims

        offline = briefing.key_points
        llm = self.lib.llm
        if llm is None:
            reason = self.lib.llm_unavailable or "no language model is configured"
            briefing.notices.append(f"key points are article sentences: {reason}")
            return offline
        ranked = [
            Retrieved(s.article_id, s.index, s.text, s.relevance)
            for s in sorted(pool, key=lambda s: (-s.relevance, s.article_id, s.index))
        ]
        question = prompts.BRIEF_QUESTION.format(topic=topic)
        today = self.lib.day().isoformat()
        try:
            checked = llm.answer(question, ranked, today=today, limit=KEY_POINT_EVIDENCE)
        except LLMError as exc:
            briefing.notices.append(f"key points are article sentences: {exc}")
            return offline
        if checked.abstained:
            briefing.notices.append("key points are article sentences: the model found none")
            return offline
        by_key = {(s.article_id, s.index): s for s in pool}
        points = []
        for claim in split_claims(checked.text):
            if not claim.cited:
                continue  # unsupported: a briefing line without a source is left out
            item = checked.cited[claim.cited[0] - 1].found
            sentence = by_key.get((item.article_id, item.sentence_index)) or _Sentence(
                item.article_id, item.sentence_index, item.text, item.score,
                np.zeros(1, dtype=np.float32), None,
            )  # fmt: skip
            text = re.sub(r"^[-*•]\s*", "", claim.text)
            points.append(Point(text, registry.cite(sentence)))
        briefing.repairs = [r.to_dict() for r in checked.repairs]
        return points[:7] or offline

    def _timeline(self, pool: list[_Sentence], registry: _Registry) -> list[Event]:
        by_article: dict[str, list[_Sentence]] = defaultdict(list)
        for sentence in pool:
            by_article[sentence.article_id].append(sentence)
        events: list[tuple[date, date, _Sentence, str]] = []
        for sentences in by_article.values():
            published = sentences[0].published
            if published is None:
                continue
            dated = []
            for sentence in sorted(sentences, key=lambda s: -s.relevance):
                found = _event_date(sentence, published)
                if found is not None and sentence.relevance >= MIN_TOPIC_COSINE:
                    dated.append((found[0], published, sentence, found[1]))
            if dated:
                events += dated[:2]
            else:
                lead = min(sentences, key=lambda s: s.index)
                events.append((published, published, lead, "published"))
        events.sort(key=lambda e: (e[0], e[1], e[2].article_id, e[2].index))
        if len(events) > TIMELINE:
            keep = sorted(events, key=lambda e: -e[2].relevance)[:TIMELINE]
            events = [e for e in events if e in keep]
        out = []
        for when, published, sentence, said in events:
            basis = (
                "published"
                if said == "published"
                else f"{said!r} in an article of {published.isoformat()}"
            )
            out.append(Event(when.isoformat(), basis, sentence.text, registry.cite(sentence)))
        return out

    def _people(self, pool: list[_Sentence], registry: _Registry) -> list[Person]:
        if any(s.claims is not None for s in pool):
            return [
                Person(s.name, s.role, s.sentence.text, registry.cite(s.sentence), s.mentions)
                for s in whos_who(pool, PEOPLE)
            ]
        # Never annotated (no spaCy at ingest): who speaks, read from the words.
        found: dict[str, dict[str, Any]] = {}
        for sentence in sorted(pool, key=lambda s: (-s.relevance, s.article_id, s.index)):
            if sentence.relevance < 0.2:
                continue
            for name, role in speakers(sentence.text):
                key = person_key(name)
                entry = found.setdefault(
                    key, {"name": name, "role": role, "sentence": sentence, "mentions": 0}
                )
                entry["mentions"] += 1
                if len(name) > len(entry["name"]):
                    entry["name"] = name
                if entry["role"] is None and role:
                    entry["role"] = role
        ranked = sorted(found.values(), key=lambda e: (-e["mentions"], -e["sentence"].relevance,
                                                       e["name"]))[:PEOPLE]  # fmt: skip
        return [
            Person(
                e["name"],
                e["role"],
                e["sentence"].text,
                registry.cite(e["sentence"]),
                e["mentions"],
            )  # fmt: skip
            for e in ranked
        ]

    def _disagreements(self, pool: list[_Sentence], registry: _Registry) -> list[Disagreement]:
        relevant = sorted(
            (s for s in pool if s.relevance >= 0.25),
            key=lambda s: (-s.relevance, s.article_id, s.index),
        )
        out: list[Disagreement] = []
        answered = _answered_accusations(relevant)
        if answered:
            claims = tuple(Claim(who, s.text, registry.cite(s)) for who, s in answered)
            out.append(Disagreement("accusations", "who is to blame", claims))
        # Accusations read from the words: who blames whom, one claim per actor, attributed.
        by_actor: dict[str, _Sentence] = {}
        for sentence in relevant:
            if not ACCUSES.search(sentence.text) or "each other" in sentence.text:
                continue
            actor = accuser(sentence.text)
            if actor and person_key(actor) not in {person_key(a) for a in by_actor}:
                by_actor[actor] = sentence
        sides = {side_of(actor): actor for actor in by_actor}
        if len(sides) >= 2 and not answered:
            claims = tuple(
                Claim(actor, by_actor[actor].text, registry.cite(by_actor[actor]))
                for actor in list(by_actor)[:4]
            )
            out.append(Disagreement("accusations", "who is to blame", claims))
        # Figures: the same measure, different numbers in different articles.
        figures: dict[str, dict[str, _Sentence]] = defaultdict(dict)
        for sentence in relevant:
            for measure, value in figures_in(sentence.text):
                figures[measure].setdefault(value, sentence)
        for measure, values in figures.items():
            articles = {s.article_id for s in values.values()}
            if len(values) >= 2 and len(articles) >= 2:
                claims = tuple(
                    Claim(f"{value} ({self._outlet_day(s)})", s.text, registry.cite(s))
                    for value, s in sorted(values.items(), key=lambda item: _sort_day(item[1]))
                )[:5]
                out.append(Disagreement("figures", measure, claims))
        for sentence in pool:
            if CORRECTION.search(sentence.text):
                claim = Claim(self._outlet_day(sentence), sentence.text, registry.cite(sentence))
                out.append(Disagreement("correction", "a correction", (claim,)))
        return out

    def _whats_new(
        self, topic: str, pool: list[_Sentence], registry: _Registry, new_since: str | None
    ) -> tuple[str | None, list[Point]]:
        meta_key = "briefing:" + " ".join(re.findall(r"\w+", topic.lower()))
        since = new_since or self.store.get_meta(meta_key)
        if not self.store.read_only:  # remembered for the next briefing, where it may be
            self.store.set_meta(
                meta_key, date.today().isoformat() if new_since is None else new_since
            )
        if since is None:
            return None, []
        cutoff = date.fromisoformat(since[:10])
        fresh = sorted(
            (s for s in pool if s.published and s.published > cutoff and len(s.text) >= 40),
            key=lambda s: (-s.relevance, s.article_id, s.index),
        )
        picked: list[_Sentence] = []
        for sentence in fresh:
            if len(picked) == 5:
                break
            if all(float(sentence.vector @ p.vector) <= SAME_POINT for p in picked):
                picked.append(sentence)
        return since[:10], [Point(s.text, registry.cite(s)) for s in picked]

    def _sources(
        self, articles: list[tuple[str, float]]
    ) -> tuple[list[SourceLine], list[WireGroup]]:
        per_outlet: dict[str, list[str]] = defaultdict(list)
        metas = {}
        for article_id, _ in articles:
            article = self.store.article(article_id, with_sentences=False)
            if article is None:
                continue
            metas[article_id] = article
            per_outlet[article.outlet or "unknown outlet"].append((article.published or "")[:10])
        lines = [
            SourceLine(
                outlet,
                len(days),
                min((d for d in days if d), default=None),
                max((d for d in days if d), default=None),
            )  # fmt: skip
            for outlet, days in sorted(
                per_outlet.items(), key=lambda item: (-len(item[1]), item[0])
            )
        ]
        groups: list[WireGroup] = []
        grouped: set[str] = set()
        for article_id in metas:
            if article_id in grouped:
                continue
            copies = [article_id] + [other for other, _ in self.store.near_duplicates(article_id)
                                     if other in metas]  # fmt: skip
            if len(copies) < 2:
                continue
            copies.sort(key=lambda a: ((metas[a].published or "9999"), a))
            grouped.update(copies)
            origin = metas[copies[0]]
            groups.append(WireGroup(origin.id, origin.title, tuple(
                f"{metas[a].outlet or 'unknown outlet'} ({(metas[a].published or 'undated')[:10]})"
                for a in copies)))  # fmt: skip
        return lines, groups

    def _outlet_day(self, sentence: _Sentence) -> str:
        article = self.store.article(sentence.article_id, with_sentences=False)
        outlet = (article.outlet if article else None) or "unknown outlet"
        day = sentence.published.isoformat() if sentence.published else "undated"
        return f"{outlet}, {day}"


class _Registry:
    """Citations numbered in order of first use across the whole briefing."""

    def __init__(self, store: ArticleReader) -> None:
        self.store = store
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int], int] = {}

    def cite(self, sentence: _Sentence) -> int:
        key = (sentence.article_id, sentence.index)
        if key not in self._numbers:
            n = len(self.citations) + 1
            found = Retrieved(
                sentence.article_id, sentence.index, sentence.text, sentence.relevance
            )
            self.citations.append(cite(self.store, n, found))
            self._numbers[key] = n
        return self._numbers[key]


# -- reading dates, speakers and figures -----------------------------------------------------


_ACCUSING = frozenset(["accuse", "blame", "criticise", "criticize", "condemn", "deny", "reject"])


def _answered_accusations(sentences: list[_Sentence]) -> list[tuple[str, _Sentence]]:
    """An accusation and the accused's answer, from the statements in the claims: A accuses
    B, and B (the speaker now) blames or denies in turn ("Baku accused Yerevan of provoking
    fire" / "Yerevan blamed an attack by Azerbaijani forces"). Best sentences first."""
    accusations = [
        (st, s)
        for s in sentences
        if s.claims is not None
        for st in s.claims.statements
        if st.verb in _ACCUSING and st.target and not st.negated
    ]
    answers = [
        (st, s)
        for s in sentences
        if s.claims is not None
        for st in s.claims.statements
        if st.verb in _ACCUSING and not st.negated
    ]
    for accusation, said in accusations:
        accused = side_keys(accusation.target or "")
        for answer, answered in answers:
            if answered is said or not accused & side_keys(answer.speaker):
                continue
            if side_keys(answer.target or answer.content) & accused:
                continue  # the accused blaming itself is no answer
            return [(accusation.speaker, said), (answer.speaker, answered)]
    return []


def _event_date(sentence: _Sentence, published: date) -> tuple[date, str] | None:
    """The day the sentence dates its event, from its claims (the verb's tense decides which
    Monday "on Monday" is), or from its words when it was never annotated."""
    if sentence.claims is None:
        return event_date(sentence.text, published)
    found = first_date(sentence.claims.mentions, published)
    return None if found is None else (found.day, found.said)


def _sort_day(sentence: _Sentence) -> tuple[str, str, int]:
    day = sentence.published.isoformat() if sentence.published else "9999"
    return day, sentence.article_id, sentence.index


def _to_date(day: int) -> date | None:
    try:
        return date(day // 10000, day // 100 % 100, day % 100)
    except ValueError:
        return None


def _day_text(day: int) -> str:
    parsed = _to_date(day)
    return parsed.isoformat() if parsed else str(day)


def _filters_dict(filters: Filters) -> dict[str, Any]:
    return {k: v for k, v in asdict(filters).items() if v}


# -- output -------------------------------------------------------------------------------------
