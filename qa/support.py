"""Does a cited sentence support the claim that cites it? A score in 0..1.

Three signals, because each alone is fooled:
- meaning: cosine of the claim and the cited text under the embedding model (a paraphrase
  scores high, a sentence about something else low);
- wording: the share of the claim's content words found in the cited text;
- facts: every number, date and name the claim states must occur in the cited text. A missing
  number or date caps the score at 0.25, a missing name at 0.45: "killed 40 soldiers" cited to
  "killed 14 soldiers" reads as a near-paraphrase to the embedding model, and is the error that
  matters most in news.

The embedding model cannot see small words, so four exact rules (each caps the score):
- a number is supported together with what it counts: its scale ("billion" is not "million"),
  and the role of its clause ("seven were wounded" does not back "seven were killed"; "cut 300"
  does not back "keep 300");
- the article's title, outlet and date (`context`) supply names and words, but numbers only to a
  claim about the article itself ("Harbour Daily reported on 2026-03-04 ..."): "cut 3 jobs" is
  not backed by an article dated 2026-03-04;
- polarity: each clause of the claim must agree with the evidence clause it matches on "not"/
  "never"/"no" and on "denied";
- every clause of the claim (split at , ; and "and", "but", "while") must have at least half of
  its content words in the cited text: a supported clause does not carry an invented one.

    scorer = SupportScorer(embedder)
    result = scorer.score("Forty people died, officials said.", ["Officials said 40 died."])
    result.score, result.missing      # (0.83, ())
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from qa.lexicon import FULL_MONTHS, NUMBER_WORDS, WEEKDAYS

if TYPE_CHECKING:
    from qa.embed import Embedder

MEANING_FLOOR = 0.35  # cosine at which meaning counts for nothing
MEANING_FULL = 0.8  # ... and for everything
MEANING_WEIGHT = 0.6
MISSING_NUMBER_CAP = 0.25
MISSING_NAME_CAP = 0.45
POLARITY_CAP = 0.25
MISSING_CLAUSE_CAP = 0.3
CLAUSE_MIN_COVERAGE = 0.5  # share of a clause's content words the cited text must state


def _words(text: str) -> list[str]:
    return text.split()


_NUMBER_WORDS = {word: str(n) for word, n in NUMBER_WORDS.items()}
_STOPWORDS = frozenset(
    _words(
        """a an the and or but if of to in on at by for from with about as into over after before
    under between during than then that this these those there here it its it's is are was were
    be been being has have had do does did will would shall should can could may might must not
    no nor so such too very also just only own same other more most some any each both all few
    he she they them his her their hers theirs we us our you your i me my who whom whose which
    what when where why how said says say saying told tells according reported reports report
    article articles source sources while since until because however although though"""
    )
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME = re.compile(r"\b[A-Z][a-z’'A-Z-]+(?:\s+[A-Z][a-z’'A-Z-]+)*")
_NOT_NAMES = frozenset(
    _words(
        """The A An And But If In On At By For From With As It Its This That These Those There
    He She
    They We You I His Her Their Our Your Who What When Where Why How Which While After Before
    According Meanwhile However Also Officials Both Some Many Most Others Earlier Later Today
    Yesterday Mr Mrs Ms Dr"""
    )
)


@dataclass(frozen=True)
class SupportResult:
    score: float
    missing: tuple[str, ...] = ()  # numbers, dates and names the cited text does not state


class SupportScorer:
    """Scores claims against cited sentences; caches sentence vectors for one answer's check."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed many texts in one call (the claims and the evidence of an answer)."""
        todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if todo:
            for text, vector in zip(todo, self._embedder.embed(todo), strict=True):
                self._vectors[text] = vector

    def score(self, claim: str, cited: Sequence[str], context: Sequence[str] = ()) -> SupportResult:
        """How well the cited sentences together support the claim.

        `context` (titles, outlets, dates of the cited articles) may supply facts and words,
        not the meaning.
        """
        if not cited:
            return SupportResult(0.0)
        self.prepare([claim, *cited])
        claim_vector = self._vectors[claim]
        cited_vectors = np.stack([self._vectors[t] for t in cited])
        joint = cited_vectors.sum(axis=0)
        joint /= np.linalg.norm(joint) or 1.0
        cosine = max(float((cited_vectors @ claim_vector).max()), float(joint @ claim_vector))
        meaning = min(1.0, max(0.0, (cosine - MEANING_FLOOR) / (MEANING_FULL - MEANING_FLOOR)))
        evidence = " ".join([*cited, *context])
        wording = _word_overlap(claim, evidence)
        score = MEANING_WEIGHT * meaning + (1 - MEANING_WEIGHT) * wording
        missing_numbers, missing_names = _missing_facts(claim, cited, context)
        flipped = _polarity_flips(claim, cited)
        unsupported = _unsupported_clauses(claim, evidence)
        if missing_numbers:
            score = min(score, MISSING_NUMBER_CAP)
        elif missing_names:
            score = min(score, MISSING_NAME_CAP)
        if flipped:
            score = min(score, POLARITY_CAP)
        if unsupported:
            score = min(score, MISSING_CLAUSE_CAP)
        missing = missing_numbers + missing_names + flipped + [f'"{c}"' for c in unsupported]
        return SupportResult(round(score, 4), tuple(missing))


def content_words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS and len(w) > 2]


def _word_overlap(claim: str, evidence: str) -> float:
    wanted = set(content_words(claim))
    if not wanted:
        return 1.0
    return len(wanted & set(content_words(evidence))) / len(wanted)


def _stem(word: str) -> str:
    word = word.strip("'’-").removesuffix("'s").removesuffix("’s")
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _missing_facts(
    claim: str, cited_sentences: Sequence[str], context: Sequence[str] = ()
) -> tuple[list[str], list[str]]:
    cited = " ".join(cited_sentences)
    header = " ".join(context)
    evidence = f"{cited} {header}"
    evidence_lower = evidence.lower()
    body_mentions = _mentions(cited)
    header_values = (
        {m.value for m in _mentions(header)} if _about_the_article(claim, context) else set()
    )
    claimed = _mentions(claim)
    missing_numbers = [
        m.label + _conflict(m, body_mentions)
        for m in claimed
        if not _number_supported(m, body_mentions) and m.value not in header_values
    ]
    missing_numbers += _swapped(claimed, [_mentions(c) for c in cited_sentences])
    for word in re.findall(r"[a-z]+", claim.lower()):
        if (word in FULL_MONTHS or word in WEEKDAYS) and word not in evidence_lower:
            missing_numbers.append(word)
    # A name is stated when each of its words is ("Valdoria's President Ewa Randall" is backed
    # by "President Ewa Randall of Valdoria").
    evidence_words = {_bare(w) for w in re.findall(r"[\w'’]+", evidence_lower)}
    missing_names = [
        name
        for name in _names(claim)
        if any(_bare(w) not in evidence_words for w in re.findall(r"[\w'’]+", name.lower()))
    ]
    return missing_numbers, missing_names


# -- numbers with what they count ------------------------------------------------------------

_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}  # fmt: skip
_NUMBER_WORD_PATTERN = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_MENTION = re.compile(
    rf"(?<![\w.])(?P<number>\d[\d,]*(?:\.\d+)?|(?:{_NUMBER_WORD_PATTERN})\b)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mn|tn|[kmb])\b)?"
    r"(?:\s*(?P<percent>%|percent\b|per\s+cent\b))?",
    re.I,
)
_CLAUSE_BREAK = re.compile(
    r"\s*(?:[,;:](?=\s|$)|[()]|\s[-–—]\s|\b(?:and|but|while|whereas|as well as)\b)\s*", re.I
)
# Words that say what a figure counts; two figures of one story usually differ in exactly these.
_ROLES = {
    "dead": "kill killed killing kills dead died die dies dying death deaths fatalities fatality "
    "perished slain lives lost",
    "hurt": "wounded wounding wound injured injuring injuries injury hurt",
    "held": "arrested arrests detained detention captured jailed imprisoned held",
    "missing": "missing unaccounted",
    "displaced": "displaced evacuated fled homeless uprooted",
    "down": "cut cuts cutting laid axed eliminated eliminate shed slashed slash reduced reduce "
    "fell fall falls dropped drop declined decline decreased decrease lowered lower lost lose",
    "up": "keep kept keeps keeping retain retained save saved add added adds hire hired hiring "
    "create created creating rose rise rises risen increased increase gained gain grew grow "
    "raised raise higher",
}
_ROLE_OF = {word: role for role, words in _ROLES.items() for word in words.split()}


@dataclass(frozen=True)
class _Mention:
    """A figure in a text: its value (scale applied), whether it is a percentage, and the
    roles and content words of its clause."""

    value: str
    label: str
    roles: frozenset[str]
    counted: frozenset[str]  # content words right after it ("soldiers", "jobs")
    judged: bool  # "one" is as often a pronoun as a figure: only its value is checked


def _mentions(text: str) -> list[_Mention]:
    found: list[_Mention] = []
    for clause in _CLAUSE_BREAK.split(text):
        roles = frozenset(
            _ROLE_OF[w] for w in re.findall(r"[a-z]+", clause.lower()) if w in _ROLE_OF
        )
        for match in _MENTION.finditer(clause):
            value = _value(match)
            if value is None:
                continue
            counted = _counted(clause[match.end() :])
            judged = match.group("number").lower() != "one"
            found.append(_Mention(value, _label(match), roles, counted, judged))
    return found


def _counted(after: str) -> frozenset[str]:
    """What a figure counts: the words right after it, up to the next figure ("3 km" -> km,
    "seven Valdorian soldiers" -> valdorian, soldier). Short units count too."""
    words: list[str] = []
    for token in after.split()[:3]:
        word = re.sub(r"[^a-z]", "", token.lower())
        if not word or word in _NUMBER_WORDS or token[:1].isdigit():
            break
        if word not in _STOPWORDS:
            words.append(_stem(word))
    return frozenset(words)


def _value(match: re.Match[str]) -> str | None:
    number = match.group("number").lower().replace(",", "")
    try:
        value = float(_NUMBER_WORDS.get(number, number))
    except ValueError:
        return None
    scale = (match.group("scale") or "").lower()
    currency = match.start() > 0 and match.string[match.start() - 1] in "$£€¥"
    if scale in ("m", "b", "k") and not currency:
        scale = ""  # "$5m" is five million, "5 m" five metres
    value *= _SCALE.get(scale, 1.0)
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text + ("%" if match.group("percent") else "")


def _label(match: re.Match[str]) -> str:
    number = match.group("number").lower().replace(",", "")
    number = str(_NUMBER_WORDS.get(number, number))
    return " ".join(p for p in (number, match.group("scale"), match.group("percent")) if p)


def _number_supported(claimed: _Mention, evidence: Sequence[_Mention]) -> bool:
    same = [m for m in evidence if m.value == claimed.value]
    if not same or not claimed.judged:
        return bool(same)
    counted_elsewhere = {w for m in evidence if m.value != claimed.value for w in m.counted}
    for mention in same:
        role_conflict = claimed.roles and mention.roles and not claimed.roles & mention.roles
        # "Seven soldiers" where the evidence counts soldiers with another figure and seven of
        # something else.
        noun_conflict = claimed.counted & counted_elsewhere and not (
            claimed.counted & mention.counted
        )
        if not role_conflict and not noun_conflict:
            return True
    return False


def _swapped(claimed: Sequence[_Mention], cited: Sequence[Sequence[_Mention]]) -> list[str]:
    """Figures nothing tells apart but their order, given in the other order than the cited
    sentence's: "from 850 to 1,200" against "from 1,200 to 850"."""
    flips = []
    for i, first in enumerate(claimed):
        for second in claimed[i + 1 :]:
            alike = (first.roles, first.counted) == (second.roles, second.counted)
            if not alike or first.value == second.value:
                continue
            for mentions in cited:
                values = [m.value for m in mentions]
                once = values.count(first.value) == values.count(second.value) == 1
                if once and values.index(first.value) > values.index(second.value):
                    flips.append(f"{first.label} and {second.label} (in the other order)")
    return flips


def _conflict(claimed: _Mention, evidence: Sequence[_Mention]) -> str:
    # "7 (dead; the cited text: hurt)": the figure is there, counting something else.
    others = sorted({r for m in evidence if m.value == claimed.value for r in m.roles})
    if not any(m.value == claimed.value for m in evidence):
        return ""
    said = ", ".join(sorted(claimed.roles)) or "as stated"
    return f" ({said}; the cited text: {', '.join(others) or 'something else'})"


# The outlet in a header as `qa.prompts.ARTICLE_HEADER` writes it: 'Article: "T" - Outlet, date'.
_HEADER_OUTLET = re.compile(r'" - (.+), [^,]*$')
_ABOUT_ARTICLE = re.compile(r"\b(?:published|headline|titled|dated|article|story)\b", re.I)


def _about_the_article(claim: str, context: Sequence[str]) -> bool:
    """Does the claim speak of the article itself (its outlet, title or date), so that the
    header's figures may back it? "Harbour Daily reported on 2026-03-04 ..." does."""
    if _ABOUT_ARTICLE.search(claim):
        return True
    lowered = claim.lower()
    outlets = [m.group(1).lower() for h in context if (m := _HEADER_OUTLET.search(h))]
    return any(outlet in lowered for outlet in outlets if len(outlet) > 2)


# -- polarity and clauses --------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not|never|no|none|nobody|nothing|neither|nor|cannot|without)\b|n't\b|n’t\b", re.I
)
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying|ial)|refut(?:e|es|ed|ing))\b", re.I)
_SYNONYMS = {
    **{w: "DEAD" for w in _ROLES["dead"].split()},
    **{w: "HURT" for w in _ROLES["hurt"].split()},
}


def _clauses(text: str) -> list[str]:
    return [c for c in _CLAUSE_BREAK.split(text) if c and re.search(r"\w", c)]


def _clause_words(text: str) -> set[str]:
    words: set[str] = set()
    for word in re.findall(r"[a-z][a-z'’-]*|\d[\d,.]*", text.lower()):
        word = word.rstrip(".,").replace(",", "")
        if word in _NUMBER_WORDS:
            words.add(_NUMBER_WORDS[word])
        elif word[0].isdigit():
            words.add(word)
        elif word in _SYNONYMS:
            words.add(_SYNONYMS[word])
        elif word not in _STOPWORDS and len(word) > 2 and not _NEGATION.fullmatch(word):
            words.add(_stem(word))
    return words


def _polarity(text: str) -> tuple[int, int]:
    # Counts, not presence: "would not have no choice" is not "would have no choice".
    return len(_NEGATION.findall(text)), len(_DENIAL.findall(text))


def _polarity_flips(claim: str, cited: Sequence[str]) -> list[str]:
    """Clauses of the claim whose closest evidence clauses all say the opposite ("did not
    confirm" against "confirmed", "denied sending" against "sent")."""
    evidence = [(c, _clause_words(c)) for text in cited for c in _clauses(text)]
    flips = []
    for clause in _clauses(claim):
        words = _clause_words(clause)
        overlaps = [len(words & ev_words) for _, ev_words in evidence]
        best = max(overlaps, default=0)
        if best < min(2, len(words)) or best == 0:
            continue  # nothing in the evidence is about this clause: the clause rule speaks
        closest = [c for (c, _), n in zip(evidence, overlaps, strict=True) if n == best]
        if all(_polarity(c) != _polarity(clause) for c in closest):
            flips.append(f"polarity: {clause.strip()!r}")
    return flips


def _unsupported_clauses(claim: str, evidence: str) -> list[str]:
    stated = _clause_words(evidence)
    unsupported = []
    for clause in _clauses(claim):
        words = _clause_words(clause)
        # One-word clauses are mostly framing ("In total, ...", "Meanwhile, ...").
        if len(words) >= 2 and len(words & stated) / len(words) < CLAUSE_MIN_COVERAGE:
            unsupported.append(clause.strip())
    return unsupported


def _bare(word: str) -> str:
    return word.removesuffix("'s").removesuffix("’s").strip("'’-")


def _names(text: str) -> list[str]:
    names = []
    for match in _NAME.finditer(text):
        opens_sentence = not text[: match.start()].strip(" \"'“‘(-")
        if opens_sentence and " " not in match.group():
            continue  # "Negotiations broke down": any sentence's first word is capitalised
        words = [w.removesuffix("'s").removesuffix("’s") for w in match.group().split()]
        while words and words[0] in _NOT_NAMES:
            words.pop(0)
        if not words or words[0].lower() in FULL_MONTHS or words[0].lower() in WEEKDAYS:
            continue
        names.append(" ".join(words))
    return names
