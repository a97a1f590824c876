"""Briefings: a sourced, dated overview of a story, built offline from cited sentences.

    briefer = Briefer(assistant)
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
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.cite import cite
from qa.errors import QuestionError
from qa.index import chroma_where
from qa.lexicon import MONTHS as _MONTHS
from qa.lexicon import NUMBER_WORDS as _NUMBER_WORDS
from qa.lexicon import WEEKDAYS
from qa.types import Citation, Filters, Retrieved

if TYPE_CHECKING:
    from qa.assistant import Assistant

MAX_ARTICLES = 50
MIN_TOPIC_COSINE = 0.3  # below this the best sentence is not about the topic
ARTICLE_MARGIN = 0.25  # articles this far below the best one are another story
KEY_POINTS = 6
TIMELINE = 12
PEOPLE = 10
SAME_POINT = 0.82  # cosine above which two sentences say the same thing

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_EXPLICIT = re.compile(
    rf"\b({_MONTH_NAMES})\.? (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (20\d\d))?", re.I
)
_EXPLICIT_UK = re.compile(rf"\b(\d{{1,2}}) ({_MONTH_NAMES})\b(?:,? (20\d\d))?", re.I)
_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_RELATIVE = re.compile(r"\b(yesterday|today|tonight|this morning|overnight)\b", re.I)

_NAME = r"(?:[A-Z][a-z]*\.?\s){0,3}[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2}"
_SPEAKER_ROLE_AFTER = re.compile(
    rf"\b(?:said|says|told reporters|added|wrote)\s+({_NAME}),\s+"
    r"(?:the\s+|a\s+)?([^,.;\"“”]{3,80})"
)
_SPEAKER_ROLE_BEFORE = re.compile(
    rf"({_NAME}),\s+(?:the\s+|a\s+)?([a-z][^,.;\"“”]{{3,80}}),\s+(?:said|says|told|added)\b"
)
_SPEAKER_TITLED = re.compile(
    rf"\b((?:Foreign|Prime|Defence|Finance|Interior|Health)\s+Minister|President|Mayor|Governor|"
    rf"Gov\.|Senator|Sen\.|Chief|Fire Chief|Chancellor)\s+({_NAME})\s+(?:said|says|told|added)\b"
)
_SPEAKER_PLAIN = re.compile(rf"[\"”,]\s*({_NAME})\s+(?:said|says|told|added)\b")
_ORGANISATION = re.compile(
    r"(?<![\w-])((?:[A-Z][a-z]+(?:'s|’s)\s|the\s|The\s)(?:[A-Za-z-]+\s){0,4}?(?:ministry|government|"
    r"commission|council|association|consortium|company|police|army|agency|union|court|office|"
    r"department|regulator|broadcaster|airline|authority))\s+(?:said|says|told|accused|denied|"
    r"blamed|confirmed|announced)\b"
)
_ACCUSES = re.compile(
    r"\b(accus\w*|blam\w*|provok\w*|provocation|denied|deny|denies|rejected|fired upon first|"
    r"started the|responsible for)\b",
    re.I,
)
_SUBJECT = re.compile(
    r"^(?:[A-Z]+(?:,\s[A-Z][a-z]+)?\s[—-]\s)?"  # a dateline: "ZELENGRAD, Kestrania — "
    rf"({_NAME}(?:'s\s[a-z]+(?:\s[a-z]+)?)?)\s+(?:accused|blamed|denied|rejected|said|says)\b"
)
_FIGURE = re.compile(
    r"(?:\$\s?(?P<money>\d[\d,.]*)\s?(?P<scale>million|billion|bn|m)\b[^.]{0,60}?\b"
    r"(?P<what>damage|cost|costs|loss|losses|revenue|aid|bill))"
    r"|(?:(?:at least |about |some |nearly |more than )?(?P<count>\d[\d,]*|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s(?:[A-Za-z-]+\s){0,2}?"
    r"(?P<noun>soldiers|people|residents|troops|guards|civilians|jobs|homes|workers|bodies|"
    r"passengers)\b[^.]{0,40}?\b(?P<event>killed|dead|died|wounded|injured|evacuated|cut|"
    r"destroyed|brought in|lost))",
    re.I,
)
# The same figure with the act first: "the clash killed at least three Valdorian soldiers".
_FIGURE_ACT_FIRST = re.compile(
    r"\b(?P<event>killed|wounded|injured|evacuated|cut|destroyed|lost)\s(?:at least |about |some |"
    r"nearly |more than |only |just )?(?P<count>\d[\d,]*|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|eleven|twelve)\s(?:[A-Za-z-]+\s){0,2}?(?P<noun>soldiers|people|residents|troops|"
    r"guards|civilians|jobs|homes|workers|bodies|passengers)\b",
    re.I,
)
_CORRECTION = re.compile(r"^correction:|\ban earlier version of this (?:article|story)\b", re.I)


@dataclass(frozen=True)
class Point:
    text: str  # the sentence, exactly as in the article
    cite: int  # citation number


@dataclass(frozen=True)
class Event:
    date: str  # the event's date, ISO
    basis: str  # why: "'on Tuesday', article of 2026-03-04" or "published"
    text: str
    cite: int


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    statement: str
    cite: int
    mentions: int


@dataclass(frozen=True)
class Claim:
    who: str
    text: str
    cite: int


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "accusations", "figures" or "correction"
    about: str
    claims: tuple[Claim, ...]


@dataclass(frozen=True)
class SourceLine:
    outlet: str
    articles: int
    first: str | None
    last: str | None


@dataclass(frozen=True)
class WireGroup:
    origin: str  # article id of the earliest copy
    title: str | None
    copies: tuple[str, ...]  # "Outlet (date)" of every copy, the origin first


@dataclass
class Briefing:
    topic: str
    filters: dict[str, Any]
    articles: int
    key_points: list[Point] = field(default_factory=list)
    timeline: list[Event] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    new_since: str | None = None
    whats_new: list[Point] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    wire: list[WireGroup] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # what was left out, and why
    repairs: list[dict[str, str]] = field(default_factory=list)  # the check of model key points
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["citations"] = [c.to_dict() for c in self.citations]
        return data


@dataclass(frozen=True)
class _Sentence:
    article_id: str
    index: int
    text: str
    relevance: float
    vector: np.ndarray
    published: date | None


class Briefer:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.store = assistant.store
        self.retriever = assistant.retriever

    def brief(
        self,
        topic: str,
        *,
        filters: Filters | None = None,
        new_since: str | None = None,
        max_articles: int = MAX_ARTICLES,
        mode: str = "extractive",
    ) -> Briefing:
        import time

        started = time.perf_counter()
        topic = " ".join(topic.split())
        if not topic or not re.search(r"\w", topic):
            raise QuestionError("the topic is empty: name a story, e.g. 'Tarnov Pass border clash'")
        if len(topic) > 300:
            raise QuestionError("the topic is over 300 characters: name the story in a few words")
        filters = filters or Filters()
        self._check_dates(filters)
        query = self.retriever.embedder.embed([topic])[0]
        ranked_articles, left_out = self._articles(topic, query, filters, max_articles)
        briefing = Briefing(topic, _filters_dict(filters), len(ranked_articles))
        if left_out:
            briefing.notices.append(
                f"{left_out} more matching article(s) left out: the briefing covers the "
                f"{max_articles} most relevant; narrow it with --since/--until or --source"
            )
        pool = self._sentences(ranked_articles, query)
        registry = _Registry(self.assistant)
        briefing.key_points = self._key_points(pool, registry)
        if mode == "llm":
            briefing.key_points = self._model_key_points(topic, pool, registry, briefing)
        briefing.timeline = self._timeline(pool, registry)
        briefing.people = self._people(pool, registry)
        briefing.disagreements = self._disagreements(pool, registry)
        briefing.new_since, briefing.whats_new = self._whats_new(topic, pool, registry, new_since)
        briefing.sources, briefing.wire = self._sources(ranked_articles)
        briefing.citations = registry.citations
        briefing.timings_ms["total"] = (time.perf_counter() - started) * 1000
        return briefing

    # -- finding the story ------------------------------------------------------------------

    def _check_dates(self, filters: Filters) -> None:
        if not (filters.since or filters.until):
            return
        days = self.store.published_days(self.store.article_ids())
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
        hits = self.retriever.vector_index.query(query, k=400, where=chroma_where(filters))
        best: dict[str, float] = defaultdict(float)
        for article_id, _, cosine in hits:
            best[article_id] = max(best[article_id], cosine)
        for article_id, _, _ in self.store.lexical_search(topic, limit=100, filters=filters):
            best.setdefault(article_id, 0.0)
        ordered = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if not ordered or ordered[0][1] < MIN_TOPIC_COSINE:
            titles = [self.store.article(a, with_sentences=False) for a, _ in ordered[:3]]
            close = "; ".join(repr(a.title) for a in titles if a is not None and a.title)
            hint = f" Close topics: {close}." if close else ""
            raise QuestionError(f"no articles match {topic!r}.{hint}")
        floor = max(MIN_TOPIC_COSINE, ordered[0][1] - ARTICLE_MARGIN)
        matching = [(a, s) for a, s in ordered if s >= floor]
        return matching[:max_articles], max(0, len(matching) - max_articles)

    def _sentences(self, articles: list[tuple[str, float]], query: np.ndarray) -> list[_Sentence]:
        keys = []
        texts: dict[tuple[str, int], str] = {}
        for article_id, _ in articles:
            for sentence in self.store.sentences(article_id):
                keys.append((article_id, sentence.index))
                texts[(article_id, sentence.index)] = sentence.text
        vectors = self.retriever.vector_index.vectors(keys)
        days = self.store.published_days({a for a, _ in articles})
        pool = []
        for key in keys:
            vector = vectors.get(key)
            if vector is None:
                continue
            day = days.get(key[0])
            pool.append(_Sentence(key[0], key[1], texts[key], float(vector @ query), vector,
                                  _to_date(day) if day else None))  # fmt: skip
        return pool

    # -- sections ---------------------------------------------------------------------------

    def _key_points(self, pool: list[_Sentence], registry: _Registry) -> list[Point]:
        scored = sorted(
            (s for s in pool if len(s.text) >= 40 and not _CORRECTION.search(s.text)),
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
        llm = self.assistant.llm
        if llm is None:
            reason = self.assistant.llm_unavailable or "no language model is configured"
            briefing.notices.append(f"key points are article sentences: {reason}")
            return offline
        ranked = [
            Retrieved(s.article_id, s.index, s.text, s.relevance)
            for s in sorted(pool, key=lambda s: (-s.relevance, s.article_id, s.index))
        ]
        evidence = llm.evidence(ranked, limit=14)
        question = prompts.BRIEF_QUESTION.format(topic=topic)
        today = (self.assistant.today or date.today()).isoformat()
        try:
            reply = llm.chat.complete(llm.messages(question, evidence, today),
                                      max_tokens=llm.max_tokens)  # fmt: skip
            checked = llm.check(reply, evidence)
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
                found = event_date(sentence.text, published)
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
        found: dict[str, dict[str, Any]] = {}
        for sentence in sorted(pool, key=lambda s: (-s.relevance, s.article_id, s.index)):
            if sentence.relevance < 0.2:
                continue
            for name, role in speakers(sentence.text):
                key = _person_key(name)
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
        # Accusations: who blames whom, one claim per actor, each attributed.
        by_actor: dict[str, _Sentence] = {}
        for sentence in relevant:
            if not _ACCUSES.search(sentence.text) or "each other" in sentence.text:
                continue
            actor = accuser(sentence.text)
            if actor and _person_key(actor) not in {_person_key(a) for a in by_actor}:
                by_actor[actor] = sentence
        sides = {_side(actor): actor for actor in by_actor}
        if len(sides) >= 2:
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
            if _CORRECTION.search(sentence.text):
                claim = Claim(self._outlet_day(sentence), sentence.text, registry.cite(sentence))
                out.append(Disagreement("correction", "a correction", (claim,)))
        return out

    def _whats_new(
        self, topic: str, pool: list[_Sentence], registry: _Registry, new_since: str | None
    ) -> tuple[str | None, list[Point]]:
        meta_key = "briefing:" + " ".join(re.findall(r"\w+", topic.lower()))
        since = new_since or self.store.get_meta(meta_key)
        self.store.set_meta(meta_key, date.today().isoformat() if new_since is None else new_since)
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

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, int], int] = {}

    def cite(self, sentence: _Sentence) -> int:
        key = (sentence.article_id, sentence.index)
        if key not in self._numbers:
            n = len(self.citations) + 1
            found = Retrieved(
                sentence.article_id, sentence.index, sentence.text, sentence.relevance
            )
            self.citations.append(cite(self.assistant.store, n, found))
            self._numbers[key] = n
        return self._numbers[key]


# -- reading dates, speakers and figures -----------------------------------------------------


def event_date(text: str, published: date) -> tuple[date, str] | None:
    """The date a sentence says its event happened, read against the article's publish date,
    with the words that said it; None when it names no date."""
    match = _ISO.search(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])), match.group()
        except ValueError:
            pass
    for pattern, month_group, day_group in ((_EXPLICIT, 1, 2), (_EXPLICIT_UK, 2, 1)):
        match = pattern.search(text)
        if match:
            month = _MONTHS[match.group(month_group).lower().rstrip(".")]
            day = int(match.group(day_group))
            year = int(match.group(3)) if match.group(3) else published.year
            if not match.group(3) and month > published.month + 6:
                year -= 1  # "December 30" in a January article
            try:
                return date(year, month, day), match.group()
            except ValueError:
                continue
    match = _RELATIVE.search(text)
    if match:
        word = match.group(1).lower()
        return (published - timedelta(days=1) if word == "yesterday" else published), match.group()
    match = _WEEKDAY.search(text)
    if match:
        weekday = WEEKDAYS.index(match.group(1).lower())
        back = (published.weekday() - weekday) % 7
        return published - timedelta(days=back), f"on {match.group(1)}"
    return None


def speakers(text: str) -> list[tuple[str, str | None]]:
    """(name, role) of the people and organisations a sentence quotes or reports."""
    found: list[tuple[str, str | None]] = []
    for match in _SPEAKER_ROLE_AFTER.finditer(text):
        found.append((_clean_name(match.group(1)), _clean_role(match.group(2))))
    for match in _SPEAKER_ROLE_BEFORE.finditer(text):
        found.append((_clean_name(match.group(1)), _clean_role(match.group(2))))
    for match in _SPEAKER_TITLED.finditer(text):
        found.append((_clean_name(match.group(2)), match.group(1)))
    for match in _SPEAKER_PLAIN.finditer(text):
        found.append((_clean_name(match.group(1)), None))
    for match in _ORGANISATION.finditer(text):
        name = re.sub(r"^(?:the|The)\s", "", match.group(1))
        found.append((name[:1].upper() + name[1:], None))
    out: list[tuple[str, str | None]] = []
    for name, role in found:
        if len(name) < 3 or name.split()[0] in _NOT_SPEAKERS:
            continue
        if all(_person_key(name) != _person_key(n) for n, _ in out):
            out.append((name, role))
    return out


def accuser(text: str) -> str | None:
    """Who makes the accusation in a sentence: the quoted speaker, else the subject."""
    named = speakers(text)
    if named and ('"' in text or "“" in text):
        name, role = named[0]
        return f"{name} ({role})" if role else name
    match = _SUBJECT.search(text)
    if match and match.group(1).split()[0] not in _NOT_SPEAKERS:
        return _clean_name(match.group(1))
    return named[0][0] if named else None


def figures_in(text: str) -> list[tuple[str, str]]:
    """(measure, value) pairs: '$120 million' of 'damage', '3' 'soldiers killed'."""
    out = []
    for match in _FIGURE.finditer(text):
        if match.group("money"):
            scale = {"bn": "billion", "m": "million"}.get(match.group("scale").lower(),
                                                          match.group("scale").lower())  # fmt: skip
            value = f"${match.group('money').rstrip('.,')} {scale}"
            out.append((match.group("what").lower().rstrip("s"), value))
        else:
            raw = match.group("count").lower().replace(",", "")
            value = str(_NUMBER_WORDS.get(raw, raw))
            noun = match.group("noun").lower()
            out.append((f"{noun} {match.group('event').lower()}", value))
    for match in _FIGURE_ACT_FIRST.finditer(text):
        raw = match.group("count").lower().replace(",", "")
        measure = f"{match.group('noun').lower()} {match.group('event').lower()}"
        if all(m != measure for m, _ in out):
            out.append((measure, str(_NUMBER_WORDS.get(raw, raw))))
    return out


_NOT_SPEAKERS = frozenset(
    [
        "The",
        "A",
        "An",
        "He",
        "She",
        "They",
        "It",
        "This",
        "That",
        "These",
        "Those",
        "Both",
        "Officials",
        "Residents",
        "Some",
        "Many",
        "According",
    ]
)
_NOT_ROLE = re.compile(
    r"(?:would|will|was|were|is|are|has|had|who|which|that|and|but|in|on|at|as|when|because|"
    r"adding|saying|speaking)\b",
    re.I,
)
_TITLES = re.compile(r"^(?:(?:Col|Gen|Maj|Dr|Mr|Mrs|Ms|Cpl|Sgt|Lt|Capt|Gov|Sen|Rep|Prof)\.?\s)+")


def _clean_name(name: str) -> str:
    return " ".join(name.replace("’s", "'s").split()).rstrip(",.")


def _clean_role(role: str | None) -> str | None:
    if not role:
        return None
    role = " ".join(role.split()).strip(" ,.")
    if _NOT_ROLE.match(role):
        return None  # "said Mr Milburn, would be more ..." is the rest of the sentence
    return role if 3 <= len(role) <= 80 else None


def _person_key(name: str) -> str:
    bare = _TITLES.sub("", name.split(" (")[0]).strip()
    words = bare.split()
    return words[-1].lower() if words else name.lower()


def _side(actor: str) -> str:
    # "Col. Ilse Marek (spokesperson for Valdoria's defence ministry)" and "Valdoria" are one
    # side; the country or organisation named first in the attribution decides.
    match = re.search(r"([A-Z][a-z]+)(?:'s|’s)", actor)
    if match:
        return match.group(1)
    return _person_key(actor)


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


def briefing_markdown(briefing: Briefing) -> str:
    from qa.export import md_escape, source_line

    def cite(n: int) -> str:
        return f"[^{n}]"

    lines = [f"# Briefing: {md_escape(briefing.topic)}", ""]
    scope = ", ".join(f"{k} {v}" for k, v in briefing.filters.items())
    lines.append(f"{briefing.articles} article(s){'; ' + md_escape(scope) if scope else ''}.")
    lines += [f"_{md_escape(n)}_" for n in briefing.notices]
    lines += ["", "## Key points", ""]
    lines += [f"- {md_escape(p.text)}{cite(p.cite)}" for p in briefing.key_points]
    lines += ["", "## Timeline", ""]
    lines += [f"- **{e.date}** ({md_escape(e.basis)}): {md_escape(e.text)}{cite(e.cite)}"
              for e in briefing.timeline]  # fmt: skip
    lines += ["", "## Who's who", ""]
    for person in briefing.people:
        role = f", {md_escape(person.role)}" if person.role else ""
        lines.append(f"- **{md_escape(person.name)}**{role}: {md_escape(person.statement)}"
                     f"{cite(person.cite)}")  # fmt: skip
    lines += ["", "## Accounts differ", ""]
    if not briefing.disagreements:
        lines.append("- No disagreement found between the articles.")
    for item in briefing.disagreements:
        lines.append(f"- **{md_escape(item.about.capitalize())}** ({item.kind}):")
        lines += [f"  - {md_escape(c.who)}: {md_escape(c.text)}{cite(c.cite)}" for c in item.claims]
    lines += ["", "## What's new", ""]
    if briefing.new_since is None:
        lines.append("- First briefing on this topic: everything is new.")
    elif not briefing.whats_new:
        lines.append(f"- Nothing published since {briefing.new_since}.")
    else:
        lines.append(f"Since {briefing.new_since}:")
        lines += [f"- {md_escape(p.text)}{cite(p.cite)}" for p in briefing.whats_new]
    lines += ["", "## Sources", ""]
    for line in briefing.sources:
        span = f"{line.first or '?'} to {line.last or '?'}"
        lines.append(f"- {md_escape(line.outlet)}: {line.articles} article(s), {span}")
    for group in briefing.wire:
        lines.append(f"- Wire copy of *{md_escape(group.title or group.origin)}*: "
                     f"{md_escape('; '.join(group.copies))}")  # fmt: skip
    lines.append("")
    lines += [f"[^{c.n}]: {source_line(c)}" for c in briefing.citations]
    return "\n".join(lines) + "\n"


__all__ = ["Briefer", "Briefing", "briefing_markdown", "event_date", "figures_in", "speakers"]
