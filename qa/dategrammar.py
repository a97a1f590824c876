"""One grammar of written dates, shared by the readers of questions (`qa.timeparse`) and of
article sentences (`qa.brief.extract`): "March 5", "5 March", "5th of March 2026", "Mar. 5, 2026".

    match = DATE.search("talks begin on 2 April 2026")
    parts(match)        # (4, 2, 2026): month, day (or None), year (or None)
"""

from __future__ import annotations

import re

from qa.lexicon import MONTHS

MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
DAY_BEFORE = r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+)"
DAY_AFTER = r"(?:\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?\b)"
# A month with an optional day before or after it and an optional year (a pattern to embed).
DATE_PATTERN = rf"{DAY_BEFORE}?{MONTH}{DAY_AFTER}?{YEAR}"
DATE = re.compile(rf"\b{DATE_PATTERN}\b", re.I)


def parts(match: re.Match[str]) -> tuple[int, int | None, int | None]:
    """Month, day and year of a DATE match (day and year None when not written)."""
    month = MONTHS[match["month"].lower().rstrip(".")]
    day = match["d1"] or match["d2"]
    return month, int(day) if day else None, int(match["year"]) if match["year"] else None
