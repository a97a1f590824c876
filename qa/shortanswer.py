"""Short answers: the value a question asks for ("4,200 residents", "Charles Michel"), read from
the claims stored at ingest (`qa.claims`) for the cited sentences, with who agrees and where
sources differ.

Binding decides, not nearness: a figure answers "how many soldiers were killed" when it counts
soldiers or hangs from the question's verb, never because it is the first number in the
sentence; a negated figure ("not 42,000") is a correction, never the answer. Values are grouped
across citations (copies of one wire story count once); two groups from different articles are
a conflict, said as such.

    found = short_answer(analyse("How many residents were evacuated?"), citations, claims)
    found.text, [(g.value, g.citations) for g in found.agreement], found.conflict
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from qa.claims import DESCRIBED, Figure, Kind, Mention, Statement
from qa.lexicon import FULL_MONTHS, STOPWORDS
from qa.question import (
    DATE,
    MONEY,
    NUMBER,
    ORGANISATION,
    PERSON,
    PLACE,
    QUOTE,
    name_words,
    stem,
    words_of,
)
from qa.synonyms import asked_kin, kin
from qa.types import Agreement, stories

if TYPE_CHECKING:
    from qa.claims import Claims
    from qa.question import Question
    from qa.types import Citation, Retrieved

_CURRENCIES = frozenset("£$€¥")
# A sum written with its currency's name after it: "4.3bn rupees", "10 million euros".
_CURRENCY_NAMES = frozenset(
    stem(w)
    for w in ["pound", "pounds", "dollar", "dollars", "euro", "euros", "yen", "yuan", "rupee",
              "rupees", "rouble", "roubles", "ruble", "rubles", "franc", "francs", "krona",
              "kronor", "krone", "kroner", "peso", "pesos", "rand", "lira", "dinar",
              "dinars", "riyal", "riyals", "dirham", "dirhams", "shekel", "shekels",
              "reais", "naira", "zloty", "baht", "ringgit", "rupiah"]
)  # fmt: skip


def _is_money(figure: Figure) -> bool:
    return figure.unit in _CURRENCIES or bool(
        figure.counts and stem(figure.counts) in _CURRENCY_NAMES
    )


_NAME_KINDS = {PERSON: (Kind.PERSON,), ORGANISATION: (Kind.ORGANISATION,),
               PLACE: (Kind.PLACE,), DATE: (Kind.DATE, Kind.TIME)}  # fmt: skip


@dataclass(frozen=True)
class ShortAnswer:
    text: str | None = None  # the value the best citation gives; None: no bound value
    agreement: tuple[Agreement, ...] = ()  # every value found, the answer's first
    conflict: bool = False  # different values from different articles
    # Every citation of the leading value binds it strongly: a figure to the counted noun (or
    # the asked noun and verb), a name or date to the question's verb. Only then may agreement
    # make an answer of the closest evidence.
    strong: bool = False
    exact: bool = False  # ... and to the question's verb too (see `Bound.exact`)


NONE = ShortAnswer()


@dataclass(frozen=True)
class Bound:
    key: str  # what values are grouped by
    text: str  # how the value is shown
    score: float
    strong: bool = False
    # Bound to the question's act as well as its thing: the counted noun and the verb ("five
    # soldiers killed" for "how many soldiers were killed"), a name or date by the verb. Only
    # such values of the same slot can differ; "11,000 homes lost power" and "9,300 homes
    # restored" answer different questions.
    exact: bool = False


def short_answer(
    question: Question, citations: Sequence[Citation], claims: Mapping[str, Claims]
) -> ShortAnswer:
    """The bound value of each citation, grouped; the first citation's value leads."""
    found = [(c, bound_value(question, claims.get(c.sentence))) for c in citations]
    lead = found[0][1] if found else None
    groups: dict[str, list[tuple[Citation, Bound]]] = {}
    for citation, value in found:
        # Beside a strongly bound answer, a loosely bound value is about something else ("63
        # people rescued" beside "4,200 residents evacuated"), not a source that differs.
        if value is not None and (value.strong or lead is None or not lead.strong):
            groups.setdefault(value.key, []).append((citation, value))
    if not groups:
        return NONE
    agreement = tuple(_agreement(members) for members in groups.values())
    first = next(iter(groups.values()))
    strong = all(value.strong for _, value in first)
    exact = all(value.exact for _, value in first)
    return ShortAnswer(agreement[0].value, agreement, _conflict(groups), strong, exact)


def corroborating(
    question: Question,
    lead: Citation,
    candidates: Sequence[Retrieved],
    claims: Mapping[str, Claims],
    *,
    limit: int = 2,
) -> tuple[list[Retrieved], list[Retrieved]]:
    """Candidates beyond the cited ones that bind a value to the question as strongly as the
    answer's: those giving the lead citation's value (other reports that agree) and those
    giving another (sources that differ), the best-ranked first, one per value that differs.
    News is redundant and contested: a number five outlets repeat is surer, and one that three
    sources give three ways must be shown three ways."""
    stated = bound_value(question, claims.get(lead.sentence))
    if stated is None or not stated.strong:
        return [], []
    agreeing: list[Retrieved] = []
    differing: dict[str, Retrieved] = {}
    for candidate in candidates:
        value = bound_value(question, claims.get(candidate.text))
        if value is None or not value.strong:
            continue
        if value.key == stated.key:
            if len(agreeing) < limit:
                agreeing.append(candidate)
        elif value.key not in differing and len(differing) < limit:
            differing[value.key] = candidate
    return agreeing, list(differing.values())


def holds(question: Question, claims: Claims | None) -> bool:
    """The sentence binds a value of the asked type to the question as strongly as an answer
    would: a figure to the counted noun, a name or date to the question's verb, a statement to
    the asked speaker."""
    found = bound_value(question, claims)
    return found is not None and found.strong


# How firmly a sentence holds what a typed question asks for, for the confidence model: a value
# bound as strongly as an answer, bound weakly, of the asked type but bound to something else,
# nothing of the type at all ("Which judge ...?" where no judge is named).
STRONG, WEAK, PRESENT, ABSENT = 1.0, 0.5, 0.25, 0.0


def _named(question: Question, mention: Mention) -> bool:
    """The mention names what the question asks about (`Question.about`): a person by surname
    (and first name when both give one), a thing by its name or the start of it ("Aerolis" of
    "Aerolis Airways")."""
    asked = question.about
    if mention.kind not in ((Kind.PERSON,) if question.answer_type == PERSON else DESCRIBED):
        return False
    words = name_words(mention.text)
    if not words:
        return False
    if question.answer_type == PERSON:
        return words[-1] == asked[-1] and (len(words) < 2 or len(asked) < 2 or words[0] == asked[0])
    shorter = min(len(words), len(asked))
    return list(words[:shorter]) == list(asked[:shorter])


def _roles_given(question: Question, mentions: Sequence[Mention]) -> Iterator[Bound]:
    """The role a sentence gives the person asked about ("Dr. Miro Tessaly, director of the
    regional hospital ..."), or what it says a thing is ("Wipro, India's third-biggest
    software firm"), grouped by its nouns so "Mayor" and "mayor of Port Elara" agree."""
    for order, mention in enumerate(mentions):
        if not mention.role_text or not _named(question, mention):
            continue
        nouns = {stem(r) for r in mention.roles} or {stem(mention.role_text.split()[-1])}
        # "President Biden" for "Who is Hunter Biden?" may be another Biden: loosely bound.
        full = (question.answer_type != PERSON or len(question.about) < 2
                or len(name_words(mention.text)) > 1)  # fmt: skip
        yield Bound(" ".join(sorted(nouns)), mention.role_text, 1.0 - order / 100, strong=full)


def typed(question: Question) -> bool:
    """The question asks for something the claims can hold: a figure, a sum, a name, a date,
    a place, or what a named speaker said."""
    kind = question.answer_type
    if kind == QUOTE:  # "the other side" is no speaker the claims name
        return bool(question.agent) and not question.other_side
    # "Who is X?": the role given X; "What is X?": what X is said to be.
    return kind in (NUMBER, MONEY) or kind in _NAME_KINDS or bool(question.about)


def binding(question: Question, claims: Claims | None) -> float:
    """STRONG, WEAK, PRESENT or ABSENT (see above); ABSENT for an untyped question."""
    if claims is None or not typed(question):
        return ABSENT
    found = bound_value(question, claims)
    if found is not None:
        return STRONG if found.strong else WEAK
    return PRESENT if _of_type(question, claims) else ABSENT


def _of_type(question: Question, claims: Claims) -> bool:
    kind = question.answer_type
    if kind == NUMBER:
        return any(f.value is not None and not f.negated for f in claims.figures)
    if kind == MONEY:
        return any(_is_money(f) and not f.negated for f in claims.figures)
    if kind == QUOTE:
        return any(s.content and not s.negated for s in claims.statements)
    if question.about:  # the person or thing asked about, named
        return any(_named(question, m) for m in claims.mentions)
    if kind == PERSON and question.role:  # someone named as that role, whoever else is named
        return any(_in_role(question, m) for m in claims.mentions)
    return any(m.kind in _NAME_KINDS.get(kind or "", ()) for m in claims.mentions)


def asked_of(found: ShortAnswer, question: Question) -> tuple[int, ...]:
    """The citations of what the question's speaker asked for ("What did the EU chief ask
    for?"), when the best sentence states it with a verb of asking: the speaker and the verb
    bind it as a counted noun binds a figure. Empty otherwise."""
    if question.answer_type != QUOTE or question.verb != "ask" or not found.strong:
        return ()
    lead = found.agreement[0]
    return lead.citations if 1 in lead.citations else ()


def agreed(found: ShortAnswer, citations: Sequence[Citation]) -> tuple[int, ...]:
    """The citations of the leading value when it is stated by at least two independent
    stories (wire copies count once), the first citation among them, and no other article
    gives another value: agreement that makes closest evidence an answer. Empty otherwise."""
    if not found.agreement or found.conflict or len(found.agreement) > 1 or not found.strong:
        return ()
    lead = found.agreement[0]
    if 1 not in lead.citations:
        return ()
    stated_by = [c for c in citations if c.n in lead.citations]
    return lead.citations if stories(stated_by) >= 2 else ()


def disputed(found: ShortAnswer, citations: Sequence[Citation]) -> tuple[int, ...]:
    """The citations of every value when independent stories bind different values to the
    question as strongly as an answer ("three soldiers" from the ministry, "five" from the
    hospital), the first citation leading: that the sources differ, each cited, is an answer
    to give as such. Empty otherwise."""
    if not found.conflict or not found.exact or 1 not in found.agreement[0].citations:
        return ()
    kept = tuple(sorted({n for group in found.agreement for n in group.citations}))
    return kept if stories([c for c in citations if c.n in kept]) >= 2 else ()


def _agreement(members: list[tuple[Citation, Bound]]) -> Agreement:
    shown = max((v for _, v in members), key=lambda v: len(v.text)).text  # the fullest form
    return Agreement(shown, tuple(c.n for c, _ in members))


def _conflict(groups: dict[str, list[tuple[Citation, Bound]]]) -> bool:
    exact = [m for m in groups.values() if all(value.exact for _, value in m)]
    stories = [set().union(*(c.carriers for c, _ in members)) for members in exact]
    # Different values count as a conflict only from different stories: one article giving
    # two figures (a before and an after) is not two sources differing.
    return len(stories) > 1 and any(
        not (a & b) for i, a in enumerate(stories) for b in stories[i + 1 :]
    )


def bound_value(question: Question, claims: Claims | None) -> Bound | None:
    """The value of the asked type the sentence binds best to the question, or None."""
    if claims is None:
        return None
    if question.about:
        candidates = list(_roles_given(question, claims.mentions))
    elif question.answer_type in (NUMBER, MONEY):
        candidates = list(_figures(question, claims))
    elif question.answer_type in _NAME_KINDS:
        candidates = list(_names(question, claims.mentions, _NAME_KINDS[question.answer_type]))
    elif question.answer_type == QUOTE and question.agent:
        candidates = list(_statements(question, claims.statements))
    else:
        return None
    return max(candidates, key=lambda f: f.score, default=None)


# A question asking for a share is answered by a percentage, whatever the sentence says it
# is a percentage of ("What share of households ...?": "40% said ...").
_SHARE = frozenset(stem(w) for w in ["percent", "percentage", "share", "proportion", "%"])
# "By how much did revenue grow?": a percentage of change, bound by the verb of change.
_CHANGE = kin("rise") | kin("fall") | kin("cut")


def _figures(question: Question, claims: Claims) -> Iterator[Bound]:
    figures = claims.figures
    words = words_of(question.text)
    asked = asked_kin(words)
    counted = kin(question.counted) if question.counted else frozenset()
    if question.counted and _DEMONYM.search(question.text):
        counted |= kin("people")  # "How many Europeans ...?": "54 million people"
    # "What annual growth rate ...?", "At what level were interest rates held?": a rate is a
    # percentage, unless the question counts something else ("how many times ... rates").
    share = bool(_SHARE & words) or "%" in question.text or bool(_RATE & words and not counted)
    measure = _measure(question.text)
    # "How much is she worth?", "How much does she receive each time?": with no other noun
    # asked, the sentence's one sum of money ("a £67m fortune", "$30,000") answers, though
    # weakly bound.
    how_much = question.answer_type == MONEY or (
        bool(_HOW_MUCH.search(question.text)) and not counted
    )
    if _SCORE.search(question.text):
        yield from _scores(question, figures)
        return
    sums = _sums(figures)
    for figure in figures:
        if figure.negated or figure.value is None or figure.text in question.text:
            continue
        money = _is_money(figure)
        if question.answer_type == MONEY and not money:
            continue
        noun = stem(figure.counts) if figure.counts else None
        if _is_year(figure) or (noun == "time" and question.counted != "time"):
            continue  # a year or a multiple ("five times") answers no "how many" of things
        percent = figure.unit == "%"
        verb = bool(figure.verb and stem(figure.verb) in asked)
        # The counted noun itself binds; a word of its family ("people" for "residents") binds
        # as a noun of the question does: strongly only with the verb.
        counts = (
            bool(noun and noun == question.counted)
            or (percent and (share or (verb and stem(figure.verb or "") in _CHANGE)))
            or (question.counted == "age" and _is_age(figure, claims))
        )
        # "1,200 job cuts" for "How many jobs will Aerolis cut?": jobs, cut; "$120 million in
        # damage" for "How much damage did the storm cause?": a sum of the damage asked.
        of = stem(figure.of) if figure.of else None
        counts = counts or bool(of and of in counted and noun in asked)
        noun_asked = bool(noun and (noun in asked or noun in counted)) or bool(
            money and not noun and of and of in words
        )
        # "How far did he leap?": a length; "how long was he held?": a duration.
        measured = bool(
            measure and not money and (noun in measure or _UNIT_SUFFIX.search(figure.text))
        )
        only = how_much and len(sums) == 1 and figure is sums[0]
        score = (2.0 * counts + 1.0 * noun_asked + 1.0 * verb + 0.5 * money + 0.5 * only
                 + 1.0 * measured)  # fmt: skip
        if score >= 1.0:  # bound to the question, not merely near its words
            key = _key(figure, question.counted if noun in counted else None)
            strong = counts or (noun_asked and verb)
            yield Bound(key, _shown(figure), score, strong, strong and verb)


# "By what score did Charlton beat Norwich?": a result, "4-0", is its two numbers.
_SCORE = re.compile(r"\b(?:what|which) (?:was the )?(?:final )?score(?:line)?\b|\bby what "
                    r"score\b|\bwhat was the result\b", re.I)  # fmt: skip
MAX_GOALS = 200  # a side's points in a result: rugby reaches 100, cricket's runs are not this


def _scores(question: Question, figures: Sequence[Figure]) -> Iterator[Bound]:
    """Results written as two numbers joined by a dash ("2-0", "38-8"), which the annotator
    keeps as two figures one character apart; bound by the question's verb ("beat", "win")."""
    asked = asked_kin(words_of(question.text))
    for first, second in zip(figures, figures[1:], strict=False):
        if second.start - first.end != 1 or first.negated:
            continue
        if not all(f.value is not None and f.text.isdigit() and f.value <= MAX_GOALS
                   for f in (first, second)):  # fmt: skip
            continue
        text = f"{first.text}-{second.text}"
        verb = bool(first.verb and stem(first.verb) in asked)
        yield Bound(text, text, 1.5 + verb, verb, verb)


_RATE = frozenset(stem(w) for w in ["rate", "rates", "level", "growth", "inflation", "yield"])
_HOW_MUCH = re.compile(r"\bhow (?:much|big|large)\b", re.I)
# A counted noun that is a people's name: "How many Europeans / Americans ...?"
_DEMONYM = re.compile(r"\bhow many (?:more )?[A-Z][a-z]+(?:ans|ns|ese|is|ish)\b")
_LENGTHS = frozenset(
    stem(w)
    for w in ["metres", "meters", "kilometres", "kilometers", "km", "miles", "feet", "foot",
              "yards", "inches", "cm"]
)  # fmt: skip
_DURATIONS = frozenset(stem(w) for w in ["seconds", "minutes", "hours", "days", "weeks",
                                         "months", "years", "decades"])  # fmt: skip
_MEASURES = {"far": _LENGTHS, "tall": _LENGTHS, "high": _LENGTHS, "deep": _LENGTHS,
             "long": _LENGTHS | _DURATIONS}  # fmt: skip
_HOW_MEASURE = re.compile(r"\bhow (far|tall|high|deep|long)\b", re.I)
# "landed 17.30m", "a 5km race": a length written with its unit.
_UNIT_SUFFIX = re.compile(r"\d(?:m|km|cm|ft)$")


def _measure(question: str) -> frozenset[str]:
    """The unit nouns a "how far / how long ..." question is answered in; empty otherwise."""
    match = _HOW_MEASURE.search(question)
    return _MEASURES[match.group(1).lower()] if match else frozenset()


def _is_year(figure: Figure) -> bool:
    """A year read as a number ("in November 2003"): never a count or an amount."""
    return (
        figure.unit is None
        and figure.value is not None
        and 1900 <= figure.value <= 2100
        and figure.text.isdigit()
        and (figure.counts is None or stem(figure.counts) in _MONTHS)
    )


_MONTHS = frozenset(stem(m) for m in FULL_MONTHS)
PERSON_AGE = 120


def _is_age(figure: Figure, claims: Claims) -> bool:
    """An age: "26-year-old", "aged 29", or a number set after a person's name ("Mr Mubanga,
    29, from north London")."""
    if figure.value is None or not 0 < figure.value <= PERSON_AGE:
        return False
    # "26-year-old" counts "year"; "two years" is a time, not an age.
    if figure.counts in ("year", "age") or figure.verb == "age":
        return True
    return any(m.kind is Kind.PERSON and 0 < figure.start - m.end <= 2 for m in claims.mentions)


CONVERSION_GAP = 3  # characters between a sum and its conversion: "$40bn (£21bn)"


def _sums(figures: Sequence[Figure]) -> list[Figure]:
    """The sentence's sums of money, a converted amount right after one ("$40bn (£21bn)")
    counting as the same sum."""
    sums = [f for f in figures if _is_money(f) and not f.negated]
    return [f for n, f in enumerate(sums)
            if n == 0 or not 0 <= f.start - sums[n - 1].end <= CONVERSION_GAP]  # fmt: skip


def _key(figure: Figure, counted: str | None = None) -> str:
    """What values are grouped by: the number and what it counts ("4,200 people" and "4,200
    residents" are one value for a question counting residents)."""
    return f"{figure.value:g} {counted or stem(figure.counts or figure.unit or '')}"


def _shown(figure: Figure) -> str:
    if figure.unit == "%":
        return f"{figure.text}%"
    amount = f"{figure.unit}{figure.text}" if figure.unit in _CURRENCIES else figure.text
    noun = figure.counts if figure.counts and figure.counts != "%" else ""
    if noun and figure.of:
        noun = f"{figure.of} {noun}"  # "1,200 job cuts"
    return f"{amount} {noun}".strip()


def _names(
    question: Question, mentions: Sequence[Mention], kinds: tuple[Kind, ...]
) -> Iterator[Bound]:
    named = words_of(question.text) - STOPWORDS
    asked = asked_kin(words_of(question.text))
    year = kinds[0] is Kind.DATE and bool(_WHICH_YEAR.search(question.text))
    for order, mention in enumerate(mentions):
        if mention.kind not in kinds or (year and not _YEAR.search(mention.text)):
            continue
        # A name the question already gives ("second to Radcliffe") is not its answer; one
        # that shares a word with it ("the Ugandan Media Council" for "which Ugandan body")
        # may be.
        own = words_of(mention.text) - STOPWORDS
        last = mention.text.split()[-1] if mention.text.split() else ""
        if not own or own <= named or words_of(last) & named:
            continue
        # A person asked for by role ("which judge") is one the sentence names as that: none
        # other is the answer, however near.
        by_role = question.role is not None and kinds == (Kind.PERSON,)
        if by_role and not _in_role(question, mention):
            continue
        # Bound to the question's verb ("when did the river peak": "peaked ... before 3 a.m.",
        # not "since records began in 1961") before the order of mention; a person by the role
        # asked when the sentence also names whose role it is ("Who is the mayor of Port
        # Elara?": "PORT ELARA — Mayor Dana Whitcombe said ...").
        bound = bool(mention.verb and stem(mention.verb) in asked)
        strong = bound or (by_role and _of_whom(question, mentions))
        # Grouped by the last word, so "Michel" and "Charles Michel" agree.
        last = re.sub(r"['’]s$", "", last.casefold())
        score = 1.0 * bound + 1.0 - order / 100
        shown = re.sub(r"['’]s$", "", mention.text.removeprefix("the "))
        yield Bound(last, shown, score, strong, bound)


def _in_role(question: Question, mention: Mention) -> bool:
    """The sentence names the person in the role asked, or one news writes for it ("boss")."""
    return bool(kin(question.role or "") & {stem(r) for r in mention.roles})


def _of_whom(question: Question, mentions: Sequence[Mention]) -> bool:
    """Whether the role is the question's: the sentence names one of the question's names (the
    place, team or company a role is of), or names no place or organisation that could be
    another's ("Mayor Dana Whitcombe said ..." in a story about Port Elara). A role of nothing
    named ("Which judge is presiding?") is anyone's: a former judge named is no answer."""
    if not question.names:
        return False
    named = [words_of(m.text) for m in mentions if m.kind in _WHOSE]
    if not named:
        return True
    # Whole words: "UN" is not in "Hungary".
    return any(words_of(n) - STOPWORDS <= m for n in question.names for m in named)


_WHOSE = (Kind.PLACE, Kind.ORGANISATION)


_WHICH_YEAR = re.compile(r"\b(?:which|what) year\b|\bin what year\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")


# The verbs a statement asks something with: "What did the EU chief ask for?" is answered by
# what he urged, called for or demanded.
_ASKED_WITH = frozenset(["ask", "urge", "call for", "demand", "appeal", "request", "press"])
MAX_STATED = 160  # characters of a statement given as a short answer


def _statements(question: Question, statements: Sequence[Statement]) -> Iterator[Bound]:
    """What the question's speaker said (or asked for), bound by the speaker's words: "the EU
    chief" is "EU chief Charles Michel", never someone else quoted in the same sentence."""
    wanted = words_of(question.agent or "") - STOPWORDS
    for statement in statements:
        if not statement.content or statement.negated:
            continue
        speaker = words_of(statement.speaker) - STOPWORDS
        if not wanted or not wanted <= speaker:
            continue
        asked = question.verb != "ask" or statement.verb in _ASKED_WITH
        text = statement.content
        if len(text) > MAX_STATED:
            text = text[: MAX_STATED - 3].rsplit(" ", 1)[0] + "..."
        key = " ".join(sorted(words_of(statement.content) - STOPWORDS))
        yield Bound(key, text, 1.0 + asked, asked, asked)


__all__ = [
    "ABSENT",
    "Bound",
    "NONE",
    "PRESENT",
    "STRONG",
    "WEAK",
    "ShortAnswer",
    "agreed",
    "asked_of",
    "binding",
    "bound_value",
    "corroborating",
    "disputed",
    "holds",
    "short_answer",
    "typed",
]
