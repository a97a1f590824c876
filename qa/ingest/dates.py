"""Publish dates: whatever the source wrote, to ISO 8601 when it can be read unambiguously."""

from __future__ import annotations

from datetime import datetime

from dateutil import parser as date_parser

# Two different defaults reveal which parts a string left out: a part that follows the default
# was not in the string, so "March 2026" becomes "2026-03", not a made-up day.
_DEFAULT_A = datetime(2000, 1, 1, 0, 0, 0)
_DEFAULT_B = datetime(2001, 2, 2, 1, 1, 1)


def parse_published(raw: str | None) -> str | None:
    """'Tue, 10 Mar 2026 09:30:00 +0000' -> '2026-03-10T09:30:00+00:00'; '5 March 2026' ->
    '2026-03-05'; unreadable -> None (the caller keeps the raw string)."""
    if raw is None or not raw.strip():
        return None
    text = raw.strip()
    try:
        first = date_parser.parse(text, default=_DEFAULT_A)
        second = date_parser.parse(text, default=_DEFAULT_B)
    except (ValueError, OverflowError, date_parser.ParserError):
        return None
    if first.year != second.year:
        return None  # no year: too ambiguous to place in time
    if first.month != second.month:
        return f"{first.year:04d}"
    if first.day != second.day:
        return f"{first.year:04d}-{first.month:02d}"
    if first.hour != second.hour:
        return first.date().isoformat()
    return first.isoformat()
