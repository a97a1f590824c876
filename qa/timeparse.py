"""Time words in a question become date filters or a preference for recent articles.

"since March" -> since 2026-03-01; "in March 2026" -> 2026-03-01..2026-03-31; "this week" ->
Monday of this week..today; "on March 10" -> 2026-03-10..2026-03-11 (reports of a day's events
appear that day or the next); "latest", "most recent", "now" -> prefer recent articles.
Relative words are read against `today` (the caller passes the date; tests pin it).

    when = read_time("What happened since March?", today=date(2026, 4, 2))
    when.since == "2026-03-01"
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from qa.dategrammar import DATE_PATTERN as _DATE
from qa.dategrammar import MONTH as _MONTH
from qa.dategrammar import YEAR as _YEAR
from qa.lexicon import MONTHS as _MONTHS

_SINCE = re.compile(rf"\b(?:since|after|from)\s+{_DATE}\b", re.I)
_BEFORE = re.compile(rf"\b(?:before|until|till|by)\s+{_DATE}\b", re.I)
_ON = re.compile(rf"\bon\s+{_DATE}\b", re.I)
_IN = re.compile(rf"\b(?:in|during)\s+{_MONTH}{_YEAR}\b", re.I)
_ISO = re.compile(r"\b(?P<iso>\d{4}-\d{2}-\d{2})\b")
_RECENT = re.compile(r"\b(?:latest|most recent|newest|now|currently|current|so far|recent)\b", re.I)
_RELATIVE = {
    "today": (0, 0),
    "yesterday": (1, 1),
    "this week": ("week", 0),
    "last week": ("week", 7),
    "this month": ("month", 0),
    "last month": ("month", 1),
    "this year": ("year", 0),
}


@dataclass(frozen=True)
class TimeScope:
    since: str | None = None
    until: str | None = None
    prefer_recent: bool = False


def read_time(question: str, *, today: date) -> TimeScope:
    recent = bool(_RECENT.search(question))
    for pattern, kind in ((_ON, "on"), (_SINCE, "since"), (_BEFORE, "before"), (_IN, "in")):
        match = pattern.search(question)
        if match:
            return _scope(match, kind, today, recent)
    match = _ISO.search(question)
    if match:
        day = date.fromisoformat(match["iso"])
        return TimeScope(day.isoformat(), (day + timedelta(days=1)).isoformat(), recent)
    lowered = question.lower()
    for phrase, (unit, back) in _RELATIVE.items():
        if re.search(rf"\b{phrase}\b", lowered):
            since, until = _relative(unit, back, today)
            return TimeScope(since.isoformat(), until.isoformat(), recent)
    return TimeScope(prefer_recent=recent)


def _scope(match: re.Match[str], kind: str, today: date, recent: bool) -> TimeScope:
    month = _MONTHS[match["month"].lower().rstrip(".")]
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else _latest_year(month, today)
    found_day = groups.get("d1") or groups.get("d2")
    day = int(found_day) if found_day else None
    last = calendar.monthrange(year, month)[1]
    if day is not None and not 1 <= day <= last:
        return TimeScope(prefer_recent=recent)
    first_day = date(year, month, day or 1)
    if kind == "on" and day is not None:
        return TimeScope(first_day.isoformat(), (first_day + timedelta(days=1)).isoformat(), recent)
    if kind == "on":  # "on March" without a day: the month
        return TimeScope(first_day.isoformat(), date(year, month, last).isoformat(), recent)
    if kind == "since":
        return TimeScope(since=first_day.isoformat(), prefer_recent=recent)
    if kind == "before":
        return TimeScope(until=(first_day - timedelta(days=1)).isoformat(), prefer_recent=recent)
    return TimeScope(first_day.isoformat(), date(year, month, last).isoformat(), recent)


def _latest_year(month: int, today: date) -> int:
    # "since March" in April 2026 means March 2026; in February 2026 it means March 2025.
    return today.year if month <= today.month else today.year - 1


def _relative(unit: object, back: int, today: date) -> tuple[date, date]:
    if unit == "week":
        start = today - timedelta(days=today.weekday() + back)
        return start, start + timedelta(days=6) if back else today
    if unit == "month":
        first = today.replace(day=1)
        for _ in range(back):
            first = (first - timedelta(days=1)).replace(day=1)
        if back:
            return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first, today
    if unit == "year":
        return today.replace(month=1, day=1), today
    day = today - timedelta(days=back)
    return day, day
