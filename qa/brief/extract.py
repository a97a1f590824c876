"""Reading news sentences for briefings: the dates events happened, who speaks and in what
role, who accuses whom, and the figures a sentence gives for what.

    event_date("Fighting broke out on Tuesday.", date(2026, 3, 4))   # (2026-03-03, "on Tuesday")
    figures_in("Three soldiers were killed.")                         # [("soldiers killed", "3")]
"""

from __future__ import annotations

import re

from qa.lexicon import NUMBER_WORDS as _NUMBER_WORDS

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
ACCUSES = re.compile(
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
CORRECTION = re.compile(r"^correction:|\ban earlier version of this (?:article|story)\b", re.I)


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
        if all(person_key(name) != person_key(n) for n, _ in out):
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


def person_key(name: str) -> str:
    bare = _TITLES.sub("", name.split(" (")[0]).strip()
    words = bare.split()
    return words[-1].lower() if words else name.lower()


def side_keys(text: str) -> set[str]:
    """The sides a speaker or a target names: "Sarvia", "Sarvian forces", "Sarvia's ministry"
    are one side, a name by its first six letters, which a country shares with its people's
    adjective (Valdoria, Valdorian)."""
    return {w[:6].lower() for w in re.findall(r"\b[A-Z][a-z]+", text) if len(w) > 3}


def side_of(actor: str) -> str:
    # "Col. Ilse Marek (spokesperson for Valdoria's defence ministry)" and "Valdoria" are one
    # side; the country or organisation named first in the attribution decides.
    match = re.search(r"([A-Z][a-z]+)(?:'s|’s)", actor)
    if match:
        return match.group(1)
    return person_key(actor)
