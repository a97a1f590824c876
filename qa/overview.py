"""The collection at a glance: its stories (articles that report the same events), each with
its outlets, its date range and a few questions the collection answers.

Stories are built from the index, not written by hand: each article's lead sentence vector
(already in Chroma, pulled toward its headline) joins the story whose centre is nearest when the
cosine is high enough, else starts a new one. Example questions are made from what the story's
lead sentences say (who is quoted, which figures are given) and kept only when the assistant
answers them with confidence, so every suggestion works when clicked.

    for story in stories(open_library(settings), limit=6):
        print(story.title, story.outlets, story.questions)
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from qa.brief.extract import figures_in, speakers
from qa.brief.people import whos_who
from qa.escape import date_span
from qa.quotes import joined
from qa.types import Outcome

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.library import Library

SAME_STORY = 0.6  # cosine of lead vectors above which two articles report the same story
MAX_ARTICLES = 5000  # the newest articles looked at; older ones add little to a first view


@dataclass(frozen=True)
class Story:
    title: str  # the headline of the article nearest the story's centre
    articles: int
    outlets: tuple[str, ...]
    dates: str  # "2026-03-04 to 2026-03-20", or "undated"
    questions: tuple[str, ...]


_CACHE: dict[Hashable, list[Story]] = {}
_LOCK = threading.Lock()


CACHED_STATES = 16  # collection states (and sets of collections readers may read) kept


def cached_stories(
    library: Library, key: Hashable, *, collections: Collection[str] | None = None
) -> list[Story]:
    """`stories`, computed once per key (e.g. the collection's size and newest date, and the
    collections a reader may read) for the whole process: twenty readers arriving together
    wait for one computation instead of each running their own (they would queue on the
    library's lock, 7 s each at 2,000 articles). `collections`: only their articles'
    stories."""
    with _LOCK:
        if key not in _CACHE:
            while len(_CACHE) >= CACHED_STATES:
                del _CACHE[next(iter(_CACHE))]  # the oldest state first
            only = None if collections is None else library.store.collection_members(collections)
            _CACHE[key] = stories(library, only=only)
        return _CACHE[key]


def stories(
    library: Library, *, limit: int = 6, per_story: int = 2, only: Collection[str] | None = None
) -> list[Story]:
    """The largest stories, newest first among equals, with questions that get answers;
    `only` among these articles (the collections a reader may read) when given."""
    rows = library.store.list_articles(limit=MAX_ARTICLES, only=only)
    if not rows:
        return []
    ids = [r.id for r in rows]
    found = library.vectors.vectors([(i, 0) for i in ids])
    rows = [r for r in rows if (r.id, 0) in found]
    if not rows:
        return []
    vectors = np.vstack([found[(r.id, 0)] for r in rows])
    groups = _cluster(vectors)
    groups.sort(key=lambda g: (-len(g), g[0]))
    out = []
    for group in groups[:limit]:
        members = [rows[i] for i in group]
        centre = vectors[group].mean(axis=0)
        nearest = members[int(np.argmax(vectors[group] @ centre))]
        published = sorted(str(m.published)[:10] for m in members if m.published)
        out.append(
            Story(
                title=nearest.title or "(untitled)",
                articles=len(members),
                outlets=tuple(sorted({m.outlet for m in members if m.outlet})),
                dates=date_span(
                    published[0] if published else None, published[-1] if published else None
                ),  # fmt: skip
                questions=_questions(library, [m.id for m in members], per_story),
            )
        )
    return out


def _cluster(vectors: np.ndarray) -> list[list[int]]:
    """Greedy single pass: each article joins the nearest story centre above SAME_STORY."""
    centres: list[np.ndarray] = []
    groups: list[list[int]] = []
    for i, vector in enumerate(vectors):
        if centres:
            scores = np.vstack(centres) @ vector
            best = int(np.argmax(scores))
            if scores[best] >= SAME_STORY:
                groups[best].append(i)
                mean = vectors[groups[best]].mean(axis=0)
                centres[best] = mean / (np.linalg.norm(mean) or 1.0)
                continue
        centres.append(vector)
        groups.append([i])
    return groups


def _questions(library: Library, article_ids: list[str], wanted: int) -> tuple[str, ...]:
    from qa.assistant import Assistant

    assistant = Assistant(library)
    candidates: list[str] = []
    for article_id in article_ids[:4]:
        article = library.store.article(article_id)
        if article is None:
            continue
        opening = article.sentences[:6]
        stored = library.store.claims_of(s.text for s in article.sentences)
        by_index = joined(article.sentences, stored)  # quotes joined to their speakers
        claims = {s.text: by_index[s.index] for s in article.sentences if s.index in by_index}
        for sentence in opening:
            for measure, _value in figures_in(sentence.text):
                noun, _, event = measure.partition(" ")
                candidates.append(f"How many {noun} were {event}?")
        if claims:  # names as the article gives them in full ("Marcus Hallberg"), with roles
            read = [_Read(article_id, s.text, 1.0 if s in opening else 0.0, claims.get(s.text))
                    for s in article.sentences]  # fmt: skip
            for speaker in whos_who(read, limit=4):
                if not speaker.person:
                    continue
                if speaker.role:
                    candidates.append(f"Who is {speaker.name}?")
                candidates.append(f"What did {speaker.name} say?")
            continue
        for sentence in opening:
            for name, role in speakers(sentence.text):
                if role:
                    candidates.append(f"Who is {name}?")
                candidates.append(f"What did {name} say?")
        if article.title:
            candidates.append(f"What happened: {_plain(article.title)}?")
    chosen: list[str] = []
    for question in dict.fromkeys(candidates):
        if len(chosen) == wanted:
            break
        if assistant.ask(question).outcome is Outcome.ANSWER:
            chosen.append(question)
    return tuple(chosen)


@dataclass(frozen=True)
class _Read:  # a sentence as who's who reads it
    article_id: str
    text: str
    relevance: float
    claims: Claims | None


def _plain(title: str) -> str:
    return re.sub(r"[?!.]+$", "", " ".join(title.split()))
