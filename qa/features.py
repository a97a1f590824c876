"""The features a candidate sentence is ranked on, read against the analysed question.

Each candidate comes from retrieval with its dense and lexical scores and its context (the
neighbouring sentences, the article's headline and date). The features below describe how well
it answers *this* question: coverage of the question's rare words and names, the answer type
the question wants ("how many soldiers" wants a number next to "soldiers"), who does what in
role questions, and recency when the question asks for the latest. `qa.ranker` weighs them with
weights learned by `scripts/learn_ranker.py`.

    matrix = feature_matrix(analyse(question), pool)   # one row per candidate, FEATURES columns
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from qa.lexicon import FULL_MONTHS, NUMBER_WORDS, WEEKDAYS
from qa.question import (
    DATE,
    MONEY,
    NAME,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACE,
    QUOTE,
    REASON,
    Question,
    stem,
    verb_family,
    word_pairs,
    words_of,
)  # fmt: skip

FEATURES: tuple[str, ...] = (
    "dense",  # cosine with the sentence's headline-pulled vector
    "lexical",  # BM25, scaled to the question's best lexical hit
    "neighbour_gain",  # how much better a neighbour matches than the sentence itself
    "article",  # the article's best cosine among the candidates
    "dense_rr",  # 1 / (1 + rank) in the dense ranking
    "lexical_rr",  # 1 / (1 + rank) in the lexical ranking (0 when absent)
    "focus",  # share of the question's words in the sentence, weighted by rarity in the pool
    "focus_context",  # the same over the sentence, its neighbours and the headline
    "focus_missing_rare",  # the rarest question word missing from the context (0..1)
    "focus_absent",  # share of the question's words that no candidate has (same for all)
    "phrases",  # share of the question's neighbouring word pairs found in the sentence
    "names",  # share of the question's names in the sentence
    "names_context",  # ... in the sentence, its neighbours or the headline
    "answer_type",  # the sentence holds what the question asks for (number, date, name...)
    "new_answer_type",  # ... not merely the question's own words (a name it did not mention)
    "novelty",  # share of the sentence's words the question does not use (what it adds)
    "counted",  # "how many soldiers": a number next to "soldiers"
    "role",  # "who does X blame": X, then the verb, in this sentence
    "role_inverted",  # the verb with X after it (X is the one blamed)
    "quote",  # "what did X say": X with a verb of saying or a quotation
    "position",  # 1 / (1 + index of the sentence in its article)
    "length",  # words, up to 60, over 60
    "short",  # fewer than 6 words
    "recent",  # the question asks for the latest and the article is the newest candidate
)


@dataclass(frozen=True)
class Candidate:
    """A sentence found by either ranking, with what its features are read from."""

    article_id: str
    sentence_index: int
    text: str
    dense: float
    lexical: float
    neighbour: float  # the better neighbour's cosine
    article: float
    dense_rank: int | None
    lexical_rank: int | None
    context: str = ""  # the neighbouring sentences
    title: str = ""
    day: int = 0  # YYYYMMDD, 0 when undated


def feature_matrix(question: Question, pool: Sequence[Candidate]) -> np.ndarray:
    """One row of FEATURES per candidate."""
    if not pool:
        return np.zeros((0, len(FEATURES)), dtype=np.float32)
    words = [words_of(c.text) for c in pool]
    context = [
        w | words_of(c.context) | words_of(c.title) for w, c in zip(words, pool, strict=True)
    ]
    weight = _rarity(question.focus, context)
    absent = 1 - len(weight) / len(question.focus) if question.focus else 0.0
    newest = max(c.day for c in pool)
    pairs = word_pairs(question.text)
    rows = [
        _row(question, c, w, ctx, weight, newest, absent, pairs)
        for c, w, ctx in zip(pool, words, context, strict=True)
    ]
    return np.asarray(rows, dtype=np.float32)


def _row(
    q: Question,
    c: Candidate,
    words: set[str],
    context: set[str],
    weight: dict[str, float],
    newest: int,
    absent: float,
    pairs: set[tuple[str, str]],
) -> list[float]:
    total = sum(weight.values()) or 1.0
    missing = [weight[w] for w in weight if w not in context]
    lowered = c.text.lower()
    around = f"{c.title} {c.context}".lower()
    length = len(c.text.split())
    return [
        c.dense,
        c.lexical,
        max(0.0, c.neighbour - c.dense),
        c.article,
        _reciprocal(c.dense_rank),
        _reciprocal(c.lexical_rank),
        sum(weight[w] for w in weight if w in words) / total,
        sum(weight[w] for w in weight if w in context) / total,
        max(missing, default=0.0) / max(weight.values(), default=1.0),
        absent,
        len(pairs & word_pairs(c.text)) / len(pairs) if pairs else 0.0,
        _share(q.names, lowered),
        _share(q.names, lowered + " " + around),
        has_answer_type(c.text, q.answer_type),
        has_answer_type(_without(c.text, q), q.answer_type),
        _novelty(words, q),
        _counted(q.counted, c.text),
        _role(q, lowered) if q.verb and q.verb not in ("say", "ask") else 0.0,
        _role(q, lowered, inverted=True) if q.verb and q.verb not in ("say", "ask") else 0.0,
        _quote(q, c.text) if q.answer_type == QUOTE else 0.0,
        _reciprocal(c.sentence_index),
        min(length, 60) / 60,
        1.0 if length < 6 else 0.0,
        1.0 if q.latest and c.day and c.day == newest else 0.0,
    ]


def _rarity(focus: Sequence[str], context: Sequence[set[str]]) -> dict[str, float]:
    """Each focus word's weight: rarer among the candidates' contexts weighs more."""
    # A word no candidate has cannot tell them apart: it weighs nothing here, and its share is
    # read separately ("focus_absent"). Counting it as rarest swamped coverage in small
    # collections, where most candidates share the story's words.
    counts = Counter(w for ctx in context for w in focus if w in ctx)
    n = len(context)
    return {w: math.log((n + 1) / (counts[w] + 0.5)) for w in focus if counts[w]}


def _reciprocal(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (1 + rank)


def _share(names: Sequence[str], text: str) -> float:
    if not names:
        return 0.0
    return sum(1 for n in names if _name_in(n, text)) / len(names)


def _name_in(name: str, lowered: str) -> bool:
    # A name matches by its last word too: "Pavel Marek" is "Mr Marek" later in the article.
    name = name.lower()
    last = name.split()[-1]
    return name in lowered or (len(last) > 3 and re.search(rf"\b{re.escape(last)}\b", lowered)
                               is not None)  # fmt: skip


# -- answer types --------------------------------------------------------------------------

_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = re.compile(
    rf"\b\d[\d,.]*\b|\b(?:{_NUMBER_WORD}|dozens?|hundreds?|thousands?|millions?|billions?|"
    r"half|third|quarter|twice|double|treble)\b",
    re.I,
)
_MONEY_RE = re.compile(
    r"[$£€¥]\s?\d|\b\d[\d,.]*\s?(?:bn|m|k)\b|\b(?:dollars?|pounds?|euros?|yen|pence|cents?|"
    r"francs?|rupees?|yuan)\b",
    re.I,
)
_DATE_RE = re.compile(
    r"\b(?:" + "|".join(FULL_MONTHS + WEEKDAYS) + r"|today|yesterday|tomorrow|last (?:week|"
    r"month|year)|next (?:week|month|year)|(?:19|20)\d\d|jan|feb|mar|apr|jun|jul|aug|sept?|oct|"
    r"nov|dec)\b",
    re.I,
)
# A capitalised word not at the start of the sentence: a name (person, organisation, place).
_CAPITAL = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[- ][A-Z][a-z]+)*")
_TITLE = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|President|Minister|Prime Minister|"
                    r"chief executive|spokesman|spokeswoman|chairman|director|minister|"
                    r"secretary|coach|manager|boss|captain|judge|said|says|told)\b")  # fmt: skip
_ORG = re.compile(r"\b[A-Z][A-Za-z&]+(?: [A-Z][A-Za-z&]+)* (?:Inc|Ltd|plc|Group|Bank|Corp|"
                  r"Company|Council|Party|Ministry|Agency|Commission|Association|Union|"
                  r"United|City|FC|Club|Airlines?|Airways|Motors)\b|\b[A-Z]{2,}\b")  # fmt: skip
_PLACE = re.compile(r"\b(?:in|at|from|to|near|across) (?:the )?[A-Z][a-z]+")
_REASON = re.compile(
    r"\b(?:because|due to|owing to|as a result|result of|blamed|reason|caused|after|amid|"
    r"since|so that|in order to|thanks to|led to|following|prompted|was down to|driven by|"
    r"on the back of|fears?|concerns?)\b",
    re.I,
)
_SAYING = re.compile(
    r"\b(?:said|says|say|told|added|stated|insisted|warned|argued|claimed|according to|"
    r"announced|described|called|urged|denied|admitted|responded|replied)\b|[\"“”]",
    re.I,
)


def has_answer_type(text: str, wanted: str | None) -> float:
    """1.0 when the sentence holds the kind of thing the question asks for."""
    if wanted == PERSON:  # a name, best with a title or a verb of saying beside it
        return (
            1.0
            if _CAPITAL.search(text) and _TITLE.search(text)
            else 0.5 * bool(_CAPITAL.search(text))
        )
    if wanted in (ORGANISATION, NAME):
        return 1.0 if _ORG.search(text) or _CAPITAL.search(text) else 0.0
    pattern = _TYPE_PATTERNS.get(wanted or "")
    return 1.0 if pattern is not None and pattern.search(text) else 0.0


_TYPE_PATTERNS = {NUMBER: _NUMBER, MONEY: _MONEY_RE, DATE: _DATE_RE, PLACE: _PLACE,
                  REASON: _REASON, QUOTE: _SAYING}  # fmt: skip


def _without(text: str, q: Question) -> str:
    """The sentence with the question's own words blanked: what is left is what it adds."""
    asked = set(q.focus)
    return " ".join(
        "_" if stem(w.strip(".,;:!?\"'“”()").lower()) in asked else w for w in text.split()
    )


def _novelty(words: set[str], q: Question) -> float:
    content = {w for w in words if len(w) > 3}
    if not content:
        return 0.0
    return len(content - set(q.focus)) / len(content)


def _counted(counted: str | None, text: str) -> float:
    """A number within three words before what the question counts."""
    if not counted:
        return 0.0
    tokens = re.findall(r"[\w$£€.,%-]+", text)
    for i, token in enumerate(tokens):
        if stem(token.strip(".,")) == counted:
            before = tokens[max(0, i - 4) : i]
            if any(_NUMBER.fullmatch(t.strip(".,")) for t in before):
                return 1.0
    return 0.0


def _role(q: Question, lowered: str, *, inverted: bool = False) -> float:
    """The agent named before the verb (X blames), or after it when `inverted` (blames X)."""
    assert q.verb is not None
    family = "|".join(re.escape(v) for v in verb_family(q.verb))
    verb = re.search(rf"\b(?:{family})\w*", lowered)
    if verb is None or not q.agent:
        return 0.0
    heads = _agent_heads(q.agent)
    if not heads:
        return 0.0
    before, after = lowered[: verb.start()], lowered[verb.end() :]
    side = after if inverted else before
    return sum(1 for h in heads if re.search(rf"\b{re.escape(h[:5])}", side)) / len(heads)


def _agent_heads(agent: str) -> list[str]:
    """The words that name who acts: "Valdoria's defence ministry" -> valdoria, defence, ..."""
    return [w for w in re.findall(r"\w+", agent.lower()) if len(w) > 2 and w not in _WEAK]


_WEAK = frozenset(["the", "its", "their", "his", "her", "and", "of", "for", "own"])


def _quote(q: Question, text: str) -> float:
    if not _SAYING.search(text):
        return 0.0
    if not q.agent:
        return 0.5
    heads = _agent_heads(q.agent)
    lowered = text.lower()
    return 1.0 if any(re.search(rf"\b{re.escape(h[:5])}", lowered) for h in heads) else 0.25
