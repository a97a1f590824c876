"""Who's who, read from the claims: each speaker with the fullest name and the role its article
gives them, and their most newsworthy statement.

The statements (`qa.claims`) say who said what as the sentence names them ("Michel said ...",
"Farhan Haq, UN deputy spokesperson, said ..."); the names the article gives each person
("EU chief Charles Michel") complete the short ones. A statement belongs to the speaker its
own sentence names, never to a side named elsewhere.

    speakers = whos_who(sentences)   # [Speaker("Charles Michel", "EU chief", sentence, 3), ...]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from qa.brief.extract import person_key as _key
from qa.claims import Kind

if TYPE_CHECKING:
    from qa.claims import Claims, Statement

MIN_RELEVANCE = 0.2  # sentences further from the topic say nothing about its people
_PRONOUNS = frozenset(
    """he she they it we i you who which that this officials sources others some many both
    each all""".split()  # noqa: SIM905
)
# A title anywhere in a name or role: "Dr. Miro Tessaly", "UN special envoy Dr.".
_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Sir|Gen|Lt|Col|Maj|Cpl|Capt|Sgt|Sen|Rep|Gov|Rev)\.?(?=\s|$)"
)
_VERBS_OF_NOTE = frozenset(
    "urge accuse blame deny warn claim demand condemn reject vow threaten promise".split()  # noqa: SIM905
) | {"call for"}
# Reported small talk, not what a person stands for: "said he had spoken to", "said in a
# statement", "told reporters".
_SMALL_TALK = re.compile(r"^(?:that )?(?:he|she|they|it) (?:had|has|have) (?:spoken|talked|met)\b")


class _Read(Protocol):
    @property
    def article_id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def relevance(self) -> float: ...
    @property
    def claims(self) -> Claims | None: ...


S = TypeVar("S", bound=_Read)


@dataclass(frozen=True)
class Speaker(Generic[S]):
    name: str
    role: str | None
    sentence: S  # where their most newsworthy statement is
    mentions: int
    person: bool = True  # False for an organisation, a country, a body


@dataclass
class _Heard(Generic[S]):  # a speaker while the sentences are read
    name: str
    role: str | None
    best: float
    sentence: S
    mentions: int = 0
    person: bool = True


def whos_who(sentences: Sequence[S], limit: int) -> list[Speaker[S]]:
    """The speakers of the sentences, most often heard first."""
    full = _full_names(sentences)
    heard: dict[str, _Heard[S]] = {}
    for sentence in sorted(sentences, key=lambda s: -s.relevance):
        if sentence.claims is None or sentence.relevance < MIN_RELEVANCE:
            continue
        for statement in sentence.claims.statements:
            named = _name_and_role(statement.speaker, sentence.claims, full, sentence.article_id)
            if named is None:
                continue
            name, role, person = named
            score = _newsworthy(statement) + sentence.relevance
            entry = heard.setdefault(_key(name), _Heard(name, role, score, sentence, 0, person))
            entry.mentions += 1
            if len(name) > len(entry.name):
                entry.name = name
            entry.role = entry.role or role
            if score > entry.best:
                entry.best, entry.sentence = score, sentence
    speakers = [Speaker(h.name, h.role, h.sentence, h.mentions, h.person) for h in heard.values()]
    # People before the bodies that speak (a ministry, a country): who's who is about people.
    speakers.sort(key=lambda s: (not s.person, -s.mentions, -s.sentence.relevance, s.name))
    return speakers[:limit]


def _full_names(sentences: Sequence[_Read]) -> dict[tuple[str, str], str]:
    """Per article, each person's fullest name by surname: "Michel" -> "Charles Michel"."""
    full: dict[tuple[str, str], str] = {}
    for sentence in sentences:
        if sentence.claims is None:
            continue
        for mention in sentence.claims.mentions:
            if mention.kind is not Kind.PERSON:
                continue
            name = " ".join(_TITLE.sub("", mention.text).split())
            key = (sentence.article_id, _key(name))
            if len(name) > len(full.get(key, "")):
                full[key] = name
    return full


def _name_and_role(
    speaker: str, claims: Claims, full: dict[tuple[str, str], str], article_id: str
) -> tuple[str, str | None, bool] | None:
    speaker = speaker.split("—")[-1].strip()  # "ZELENGRAD, Kestrania — Kestrania": a dateline
    speaker = re.sub(r"^[A-Z]{3,}[A-Z ]*,\s*", "", speaker)
    words = speaker.split()
    if not words or words[0].lower() in _PRONOUNS or speaker[:1].islower():
        return None  # "he said", "officials said", "both sides": nobody to list
    persons = [m.text for m in claims.mentions if m.kind is Kind.PERSON]
    person = next((p for p in persons if p in speaker), None)
    if person is None:  # the parse cut the name: "Foreign Minister Anton" of "Anton Veszely"
        person = next((p for p in persons if p.split()[0] == words[-1]), None)
        if person is not None:
            speaker = " ".join(words[:-1]) + " " + person
    if person is None:  # an organisation or a body speaks: "Valdoria's defence ministry"
        return re.sub(r"^the\s+", "", speaker, flags=re.I), None, False
    rest = speaker.replace(person, " ")
    if rest.strip().endswith(" of") or rest.strip() == "of":
        return speaker, None, False  # "Residents of Dravic": people of a place, not a person
    bare = " ".join(_TITLE.sub("", person).split())
    name = full.get((article_id, _key(bare)), bare)
    role = " ".join(_TITLE.sub(" ", rest).split()).strip(" ,")
    role = re.sub(r"^\d+,\s*", "", role)  # "Petra Holm, 54, a farmer": the age is no role
    role = re.sub(r"^(?:the|a|an)\s+", "", role, flags=re.I)
    return name, (role if 3 <= len(role) <= 90 else None), True


def _newsworthy(statement: Statement) -> float:
    """A quote or a claim counts more than reported small talk."""
    content = statement.content
    if not content or _SMALL_TALK.match(content):
        return 0.0
    quoted = '"' in content or "“" in content
    return 1.0 + 2.0 * quoted + 1.0 * (statement.verb in _VERBS_OF_NOTE) + (len(content) >= 40)


__all__ = ["Speaker", "whos_who"]
