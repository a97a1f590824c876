"""Words with a fixed meaning that several readers of text share: months, weekdays, small
numbers written out."""

from __future__ import annotations

import calendar

FULL_MONTHS: tuple[str, ...] = tuple(m.lower() for m in calendar.month_name if m)
# "march", "mar" and "sept" -> 3, 3, 9
MONTHS: dict[str, int] = {name: n for n, name in enumerate(FULL_MONTHS, start=1)}
MONTHS.update({a.lower(): n for n, a in enumerate(calendar.month_abbr) if a})
MONTHS["sept"] = 9
WEEKDAYS: tuple[str, ...] = tuple(d.lower() for d in calendar.day_name)  # Monday first
NUMBER_WORDS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
