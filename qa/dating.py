"""Dates a sentence says, resolved against its article's publication date and the verb's tense.

The claims (`qa.claims`) keep each date as written with the tense of the verb it hangs from;
the day is worked out here, when the article's date is known, because one sentence text can be
carried by articles of different days. "on Monday" in a Friday 2026-03-13 article is Monday
2026-03-09 when something "was agreed on Monday", and Monday 2026-03-16 when it "will reopen
on Monday". An undated article resolves nothing: never a guess.

    when = date_said(mention, date(2026, 3, 13))   # Dated(date(2026, 3, 16), "on Monday")
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from qa.claims import Kind, Mention, Tense
from qa.dategrammar import DATE, parts
from qa.lexicon import WEEKDAYS

_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
_RELATIVE = re.compile(r"\b(yesterday|today|tonight|this morning|overnight)\b", re.I)

_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_SHIFTS = {"yesterday": -1, "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
           "this evening": 0, "overnight": 0, "tomorrow": 1}  # fmt: skip
_SHIFT = re.compile(r"\b(" + "|".join(_SHIFTS) + r")\b", re.I)


@dataclass(frozen=True)
class Dated:
    day: date
    said: str  # the words that said it: "on Monday", "16 March"


def date_said(mention: Mention, published: date | None) -> Dated | None:
    """The day a date mention names, or None (an undated article, "in March", "last year")."""
    if mention.kind is not Kind.DATE or published is None:
        return None
    text = mention.text
    shift = _SHIFT.search(text)
    if shift:
        return Dated(published + timedelta(days=_SHIFTS[shift.group(1).lower()]), text)
    weekday = _WEEKDAY.search(text)
    if weekday and not re.search(r"\d", text):
        wanted = WEEKDAYS.index(weekday.group(1).lower())
        if mention.tense is Tense.FUTURE:
            ahead = (wanted - published.weekday()) % 7 or 7
            return Dated(published + timedelta(days=ahead), f"on {weekday.group(1)}")
        back = (published.weekday() - wanted) % 7
        return Dated(published - timedelta(days=back), f"on {weekday.group(1)}")
    explicit = event_date(text, published)
    if explicit is None or _WEEKDAY.fullmatch(explicit[1].removeprefix("on ")):
        return None
    return Dated(explicit[0], explicit[1])


def event_date(text: str, published: date) -> tuple[date, str] | None:
    """The date a sentence says its event happened, read from its words alone against the
    article's publish date (a weekday is taken as the one before): for text without claims."""
    match = _ISO.search(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])), match.group()
        except ValueError:
            pass
    for match in DATE.finditer(text):
        month, day, written_year = parts(match)
        if day is None:  # "in March": no event date
            continue
        year = written_year or published.year
        if written_year is None and month > published.month + 6:
            year -= 1  # "December 30" in a January article
        try:
            return date(year, month, day), match.group().strip()
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


def first_date(mentions: Sequence[Mention], published: date | None) -> Dated | None:
    """The first date of a sentence that resolves to a day."""
    for mention in mentions:
        found = date_said(mention, published)
        if found is not None:
            return found
    return None


__all__ = ["Dated", "date_said", "event_date", "first_date"]
