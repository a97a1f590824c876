"""Words with a fixed meaning that several readers of text share: months, weekdays, small
numbers written out, stopwords; and what a word is (`WORD`)."""

from __future__ import annotations

import calendar
import re

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


# Words that only add noise to an OR query over sentences.
_STOPWORDS_TEXT = """a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
say says said tell told according also many much whose anyone someone something"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Nouns that say what a person is: "Which economist ...?" asks for a person, and "spokesman
# Vince Cable" names one, whatever the tagger took the name for.
_PERSON_NOUNS_TEXT = """economist analyst spokesman spokeswoman spokesperson partner fan chairman
chairwoman chief president secretary chancellor candidate founder owner captain striker scorer
winner champion author writer presenter host producer designer architect lawyer prosecutor judge
banker investor trader scientist researcher expert professor doctor officer commander governor
mayor senator premier king queen prince princess artist musician rapper comedian boxer golfer
jumper runner sprinter bowler batsman keeper goalkeeper midfielder defender forward winger referee
umpire journalist reporter editor critic commentator pundit blogger inventor entrepreneur tycoon
billionaire millionaire heir official minister person man woman player manager coach actor
actress singer star director executive boss leader politician mp athlete member figure head
campaigner activist rival opponent"""
PERSON_NOUNS = frozenset(_PERSON_NOUNS_TEXT.split())

# A title before a name, as a word of its own: "Dr." of "Dr. Miro Tessaly" is no part of the
# name or of the role.
TITLE_WORD = re.compile(r"^(?:mr|mrs|ms|dr|prof|sir|dame|lord|lady)\.?$", re.I)

# A word as the collection's vocabulary counts it and the speller reads a question: a run of
# letters, so "Halcyon-2" and "didn't" give "halcyon", "didn".
WORD = re.compile(r"[^\W\d_]+")
