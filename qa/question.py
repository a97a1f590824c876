"""What a question asks for: the kind of answer, the words it is about, and who does what.

Read from the question's own words with a small grammar of English question forms ("how many X",
"who does X blame", "what did X say about Y"), not with spaCy: its English pipeline loads offline
and reads names well, but importing it takes 3.6 s on this machine (the whole budget of a cold
`newsqa ask` is 2 s) and it parsed "who does Valdoria's defence ministry blame" with "blame" as a
noun (measured; see CHANGELOG). Questions are short and formulaic; sentences are where names
matter, and their features are read in `qa.features`.

    q = analyse("How many soldiers did the ministry say were killed?")
    q.answer_type == "number" and q.counted == "soldier"
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from qa.lexicon import FULL_MONTHS, PERSON_NOUNS, STOPWORDS, TITLE_WORD, WEEKDAYS

_QUESTION_ONLY = """get got make made take took give gave go went new old latest recent current
currently still yet ever happen happened"""

# The kinds of answer a question can ask for.
PERSON, ORGANISATION, NAME, NUMBER, MONEY, DATE, PLACE, REASON, QUOTE = (
    "person", "organisation", "name", "number", "money", "date", "place", "reason", "quote",
)  # fmt: skip

# Beyond the lexical search's stop words: verbs and time words every question may use.
_STOP = STOPWORDS | frozenset(_QUESTION_ONLY.split())

_ROLE_VERBS = (
    "blame", "accuse", "criticise", "criticize", "attack", "sue", "fire", "sack", "replace",
    "beat", "defeat", "appoint", "name", "hire", "buy", "acquire", "sell", "warn", "thank",
    "praise", "support", "back", "oppose", "reject", "ban", "fine", "charge", "arrest", "hold",
    "choose", "elect", "nominate", "sign", "invite", "meet", "call", "ask", "urge", "blamed",
)  # fmt: skip
_SAY_VERBS = ("say", "said", "says", "tell", "told", "claim", "announce", "respond", "react",
              "reply", "think", "argue", "comment", "state", "describe", "call")  # fmt: skip

_HOW_NUMBER = re.compile(
    r"\bhow (?:many|much|long|far|old|big|large|high|low|often|fast|tall|heavy)\b"
    r"|\bwhat (?:percentage|proportion|share|number|amount|figure|total|rate|price|sum|score|"
    r"age|size|value|cost|toll|tally)\b|\bby how\b|\bhow many\b"
    r"|^\s*what (?:is|was|were|are) the (?:\w+ ){0,3}(?:toll|tally|figure|total|number|"
    r"percentage|rate|price|cost|score|count)\b",
    re.I,
)
_MONEY = re.compile(
    r"\bhow much (?:money|cash|did .{1,60}(?:cost|pay|spend|raise|earn|lose|make|sell|charge|"
    r"invest|fetch)|does .{1,60}(?:cost|pay|spend|earn|charge)|is .{1,40}worth)|\bhow much\b.*\b(?:"
    r"cost|worth|price|paid|pay|spend|spent|fund|budget|deal|profit|loss|revenue|sales|fine|"
    r"salary|bonus|fee|tax|debt|invest\w*)\b|\bwhat (?:price|cost|value|sum)\b",
    re.I,
)
_WHEN = re.compile(r"^\s*when\b|\bwhat (?:day|date|time|year|month|week)\b|\bin which year\b"
                   r"|\bwhen (?:did|does|will|was|is|were|are|do)\b", re.I)  # fmt: skip
_WHERE = re.compile(r"^\s*where\b|\bwhich (?:city|country|town|region|venue|place|stadium)\b"
                    r"|\bwhere (?:did|does|will|was|is|were|are|do)\b", re.I)  # fmt: skip
_WHY = re.compile(r"^\s*why\b|\bwhat (?:reasons?|caused|led to|prompted|explanation)\b"
                  r"|\bhow come\b|\bfor what reason\b|\bwhy (?:did|does|was|is|were|are|do)\b",
                  re.I)  # fmt: skip
_WHO = re.compile(r"^\s*(?:who|whom)\b|\bwhich (?:\w+ ){0,2}?(?:official|minister|person|man|"
                  r"woman|player|"
                  r"manager|coach|actor|actress|singer|star|director|executive|boss|leader|"
                  r"politician|mp|judge|athlete|member|figure)s?\b|\bwho\b", re.I)  # fmt: skip
_WHICH_ORG = re.compile(r"\bwhich (?:company|firm|group|agency|organisation|organization|team|"
                        r"band|film|album|show|programme|game|brand|"
                        r"club|party|bank|airline|network|country|government|union|studio|"
                        r"broadcaster|newspaper|body|authority|carrier)s?\b"
                        # "which union leader" asks for a person of the organisation
                        r"(?!\s+(?:leader|chief|boss|head|president|chairman|chairwoman|"
                        r"spokes(?:man|woman|person)|official|member|figure|executive)s?\b)",
                        re.I)  # fmt: skip
_WHAT_SAY = re.compile(
    r"\b(?:what|how) (?:did|does|has|have|do|had|was|is) (?P<who>.{2,80}?) "
    r"(?P<verb>say|said|tell|told|claim|announce|respond|react|reply|think|argue|comment|"
    r"state|describe|call|make of|reported?|explain|justify|defend|feel|view|see|ask|urge|"
    r"demand|want|request|seek|appeal|warn|promise|propose|pledge)\b",
    re.I,
)
# "What did the EU chief ask for?": what was asked of someone, read from statements made with
# these verbs (`qa.claims`), not from anything the speaker said.
ASKING = frozenset(["ask", "urge", "demand", "want", "request", "seek", "appeal"])
_ROLE = re.compile(
    r"\b(?:who|whom|which \w+|what) (?:does|did|do|has|have|will|is|was) (?P<agent>.{2,80}?) "
    r"(?P<verb>" + "|".join(_ROLE_VERBS) + r")\b",
    re.I,
)
_CALLED = re.compile(r"\bwhat (?:is|was|are|were) (?:\w+ ){1,4}(?:called|named|known as)\b"
                     r"|\bwhat(?:'s| is) the name of\b", re.I)  # fmt: skip
_OTHER_SIDE = re.compile(
    r"\b(?:the other side|other side|the others?|the opposing side|the rival|their rivals?|"
    r"the opposition|the other (?:party|country|team|camp|government)|the critics|the "
    r"other one)\b",
    re.I,
)
_LATEST = re.compile(
    r"\b(?:latest|most recent|newest|now|currently|current|so far|recent|updated|revised|"
    r"corrected|final|new)\b",
    re.I,
)
# The nouns a who-question can ask a person by (the last word of the role: "chief executive"
# asks an executive, as the claims keep "executive" beside "Marsh chief executive Michael
# Cherkasky").
_ROLES_TEXT = """judge director manager coach minister president chairman chairwoman mayor governor
founder captain spokesman spokeswoman spokesperson referee mediator prosecutor lawyer producer
editor author writer composer presenter host chancellor secretary executive boss umpire architect
economist analyst envoy ambassador commissioner counterpart adviser"""
_ROLES = _ROLES_TEXT.split()
# "Which judge is presiding?", "Who is the judge in the Balco case?", "Who is Spain's Davis Cup
# coach?" (the names capitalised): the person must be named as that (`qa.claims` keeps the role
# nouns beside each name). "the president's adviser" asks for the adviser.
_ROLE_ASKED = re.compile(
    r"\b(?:which|who (?:is|was|are|were|will be) the|name of the)\s+(?:[a-z]+\s+){0,2}?"
    rf"(?P<role>{'|'.join(_ROLES)})s?\b(?!['’])"
    r"|\bwho (?:is|was|are|were|will be) (?:the )?(?:(?-i:[A-Z])[\w.&-]*\s+){0,4}?"
    rf"(?:(?-i:[A-Z])[\w.&-]*['’]s?\s+)(?:[A-Za-z]+\s+){{0,2}}?(?P<role_of>{'|'.join(_ROLES)})s?"
    r"\b(?!['’])",
    re.I,
)
_COUNTED = re.compile(r"\bhow many (?P<phrase>[a-z][\w'’-]*(?:\s+[\w'’-]+){0,4})", re.I)
# Where the counted phrase ends: "How many civil service jobs | will be ...".
_PHRASE_ENDS = frozenset(
    ["are", "is", "were", "was", "did", "do", "does", "have", "has", "had", "will", "would",
     "can", "could", "might", "may", "should", "been", "be", "in", "of", "at", "on", "for", "to",
     "from", "by", "with", "that", "who", "which", "than", "since", "during", "a", "the"]
)  # fmt: skip
_OF_THE = frozenset(["of", "the", "these", "those", "its", "their", "his", "her", "our"])
_NOT_PLURAL = frozenset(["its", "his", "this", "has", "was", "yes", "plus", "news"])
_PLURALS = frozenset(["people", "men", "women", "children", "staff", "police", "personnel"])
_AGE = re.compile(r"\bhow old\b|\bwhat age\b|\bat what age\b", re.I)  # counts an age
_NAME = re.compile(
    r"\b[A-Z][\w'’.-]*[a-z0-9][\w'’.-]*(?:\s+(?:of\s+|de\s+|van\s+)?[A-Z][\w'’.-]+)*"
)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")
_QUESTION_WORDS = frozenset(
    ["what", "who", "whom", "whose", "when", "where", "why", "how", "which", "did", "does", "do",
     "is", "are", "was", "were", "has", "have", "and", "but", "according", "in", "on", "after",
     "before", "since", "the", "a", "an", "can", "could", "would", "will", "should"]
)  # fmt: skip
_CALENDAR = frozenset(FULL_MONTHS) | frozenset(WEEKDAYS)


# Verbs that do the same act in news prose: "who does X blame" is answered by "X accused Y".
VERB_FAMILIES: dict[str, tuple[str, ...]] = {
    "blam": ("blam", "accus", "charg", "fault", "provok", "responsib"),
    "accus": ("accus", "blam", "charg", "alleg"),
    "criticis": ("criticis", "criticiz", "attack", "condemn", "slam", "hit out"),
    "criticiz": ("criticis", "criticiz", "attack", "condemn", "slam", "hit out"),
    "beat": ("beat", "defeat", "won", "win"),
    "defeat": ("beat", "defeat", "won", "win"),
    "replac": ("replac", "succeed", "tak over"),
    "buy": ("buy", "bought", "acquir", "purchas", "takeover"),
    "acquir": ("buy", "bought", "acquir", "purchas", "takeover"),
    "sell": ("sell", "sold"),
    "appoint": ("appoint", "nam", "hir"),
    "sack": ("sack", "fir", "dismiss"),
}


def verb_family(verb: str) -> tuple[str, ...]:
    """The stems that count as the question's verb in a sentence."""
    return VERB_FAMILIES.get(verb, (verb,))


@dataclass(frozen=True)
class Question:
    """A question read for what it asks.

    `focus` are its content words, folded (lower case, light stem); `names` the names it
    mentions as written; `agent` who acts in a role question ("who does X blame" -> X) and
    `verb` the act, folded; `counted` what a "how many" question counts, folded.
    """

    text: str
    answer_type: str | None
    focus: tuple[str, ...]
    names: tuple[str, ...]
    agent: str | None = None
    verb: str | None = None
    counted: str | None = None
    latest: bool = False
    other_side: bool = False
    role: str | None = None  # the role a who-question names, folded: "judge" in "which judge"
    # The name "Who is Miro Tessaly?" or "What is Wipro?" asks about (what the person or thing
    # is), as `name_words` folds it: ("miro", "tessaly"). Empty for any other question.
    about: tuple[str, ...] = ()


# "Who is Ursula von der Leyen?": a name's lower-case particles are part of it.
_WHO_IS_NAMED = re.compile(
    r"\s*[Ww]ho\s+(?:is|was)\s+(?P<name>[A-Z][\w'’.-]*(?:\s+(?:(?:von|van|der|den|de|da|di|"
    r"du|le|la|al|bin|ibn)\s+)*[A-Z][\w'’.-]*)*)\s*\??\s*$"
)
# "What is Wipro?", "What was Enron?": a named thing, asked what it is.
_WHAT_IS_NAMED = re.compile(
    r"\s*[Ww]hat\s+(?:is|was)\s+(?:the\s+)?(?P<name>[A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*)\?"
    r"?\s*$"
)


def name_words(name: str) -> list[str]:
    """A name's words, folded, without "the", titles or roles ("President Ewa Randall": ewa
    randall), to compare the names of questions and sentences."""
    words = name.casefold().replace("’", "'").removesuffix("'s").split()
    if words[:1] == ["the"]:
        words = words[1:]
    return [w for w in words if not TITLE_WORD.match(w) and w not in PERSON_NOUNS]


def _about(question: str, kind: str | None, role: str | None) -> tuple[str, ...]:
    if role:  # "Who is Port Elara's Mayor?" asks for a name, not what one is
        return ()
    pattern = _WHO_IS_NAMED if kind == PERSON else _WHAT_IS_NAMED if kind is None else None
    found = pattern.match(question) if pattern else None
    return tuple(name_words(found["name"])) if found else ()


def analyse(question: str) -> Question:
    """The answer type, focus words, names and roles of one question."""
    role = _ROLE.search(question)
    says = _WHAT_SAY.search(question)
    agent = verb = None
    if role:
        agent, verb = role["agent"], stem(role["verb"].lower())
    elif says:
        agent, verb = says["who"], "ask" if says["verb"].lower() in ASKING else "say"
    counted = _COUNTED.search(question)
    role_asked = _ROLE_ASKED.search(question)
    role_noun = stem((role_asked["role"] or role_asked["role_of"]).lower()) if role_asked else None
    kind = answer_type(question, says is not None)
    return Question(
        text=question,
        answer_type=kind,
        focus=tuple(dict.fromkeys(focus_words(question))),
        names=tuple(dict.fromkeys(names_in(question))),
        agent=_strip_determiners(agent) if agent else None,
        verb=verb,
        counted=_counted_noun(counted["phrase"]) if counted else _AGE.search(question) and "age",
        latest=bool(_LATEST.search(question)),
        other_side=bool(_OTHER_SIDE.search(question)),
        role=role_noun,
        about=_about(question, kind, role_noun),
    )


def _counted_noun(phrase: str) -> str:
    """The noun a "how many" phrase counts: its first plural before the verb ("How many civil
    service jobs will ..." -> job, "How many more London UKIP members" -> member), else its
    first word ("How many died" -> died, as before)."""
    tokens = phrase.lower().split()
    if tokens[0] == "of":  # "How many of the 40 staff ..."
        while tokens and (tokens[0] in _OF_THE or tokens[0][0].isdigit()):
            tokens.pop(0)
    words = []
    for word in tokens:
        if word in _PHRASE_ENDS:
            break
        words.append(word)
    for word in words:
        if word in _PLURALS or (
            word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) >= 3
            and word not in _NOT_PLURAL
        ):  # fmt: skip
            return stem(word)
    return stem(words[0] if words else phrase.split()[0].lower())


def _kind(nouns: str, kind: str) -> dict[str, str]:
    return dict.fromkeys(nouns.split(), kind)


# "Which accountancy firm ...?", "Which UBS chief economist ...?", "From which year ...?",
# "What was Wipro's net income?": the kind of thing asked for is the head noun after "which" or
# "what", looked up here (a word list: no tagger is loaded at question time).
_KIND_NOUNS: dict[str, str] = {
    **dict.fromkeys(PERSON_NOUNS, PERSON),
    **_kind(
        "company firm group agency organisation organization team band club party bank airline "
        "network government union studio broadcaster newspaper body authority carrier movement "
        "council committee commission ministry department court charity institute university "
        "college association federation league business retailer supermarket operator "
        "manufacturer maker insurer lender publisher label channel magazine website regulator "
        "watchdog consortium bidder chain brand",
        ORGANISATION,
    ),
    **_kind(
        "city country town region venue place stadium airport hall seat constituency ground "
        "state province capital village island street area district county port prison "
        "circuit course arena theatre",
        PLACE,
    ),
    **_kind(
        "day date year month week season decade century",
        DATE,
    ),
    **_kind(
        "income profit profits revenue revenues sales turnover earnings price cost value fee "
        "fine salary budget loss losses debt payout bonus sum",
        MONEY,
    ),
    **_kind(
        "growth rate figure total number amount level percentage proportion share speed score "
        "margin majority age temperature height distance length weight toll tally",
        NUMBER,
    ),
}
_WHICH_PHRASE = re.compile(
    r"\b(?:which|what)\s+(?:(?:is|was|are|were)\s+)?(?P<phrase>(?:[\w'’&.-]+\s+){0,5}[\w'’&.-]+)",
    re.I,
)
# Where the asked phrase ends: its verb or a preposition ("Which manager left ...",
# "Which economist in Tokyo ...").
_PHRASE_STOP = frozenset(
    _kind(
        "is was are were did does do has have had will would can could may might should said "
        "says say told in of at on for to from by with that who which than since during about "
        "after before",
        "",
    )
)


def _kind_of_phrase(question: str) -> str | None:
    """The kind the head noun after "which"/"what" names, or None."""
    match = _WHICH_PHRASE.search(question)
    if match is None:
        return None
    kind = None
    for word in match.group("phrase").split():
        folded = word.lower().strip("'’.")
        if folded in _PHRASE_STOP:
            break
        if folded.endswith(("'s", "’s")):
            continue  # "Wipro's net income": the owner, not the thing
        if word[:1].isupper() and folded not in _KIND_NOUNS:
            continue  # a name in the phrase ("Which UBS Securities chief economist")
        singular = _singular(folded)
        if singular in _KIND_NOUNS:
            kind = _KIND_NOUNS[singular]  # the last one is the head: "record company"
        elif kind is not None:
            break  # a word after the head noun ends the phrase
    return kind


def _singular(word: str) -> str:
    """The word as `_KIND_NOUNS` lists it: "countries" -> "country", "firms" -> "firm"."""
    for plural, single in (("ies", "y"), ("s", "")):
        if word.endswith(plural) and word[: -len(plural)] + single in _KIND_NOUNS:
            return word[: -len(plural)] + single
    return word


def answer_type(question: str, says: bool = False) -> str | None:
    if _MONEY.search(question):
        return MONEY
    if _HOW_NUMBER.search(question):
        return NUMBER
    if _WHEN.search(question):
        return DATE
    if _WHY.search(question):
        return REASON
    if _WHERE.search(question):
        return PLACE
    if _WHICH_ORG.search(question):
        return ORGANISATION
    if says:
        return QUOTE
    if _CALLED.search(question):
        return NAME
    if _WHO.search(question) or re.match(r"\s*whose\b", question, re.I):
        return PERSON
    return _kind_of_phrase(question)


def focus_words(text: str) -> list[str]:
    """Content words, folded: what a sentence that answers should mention."""
    return [
        stem(w)
        for w in (m.lower().replace("’", "'") for m in _WORD.findall(text))
        if w not in _STOP and (len(w) > 2 or w.isdigit())
    ]


def names_in(text: str) -> list[str]:
    """Capitalised names, not the first word of the question nor a question word."""
    found = []
    for match in _NAME.finditer(text):
        name = match.group(0).rstrip(".'’")
        words = name.split()
        while words and (words[0].lower() in _QUESTION_WORDS or words[0].lower() in _STOP):
            words = words[1:]
        if not words:
            continue
        if words[0].lower() in _CALENDAR:
            continue
        for part in re.split(r"['’]s\b\s*", " ".join(words)):
            if part.strip() and part.strip().lower() not in _STOP:
                found.append(part.strip())
    return found


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix fold, enough to match "killed"/"killing"/"kills" and "soldiers"."""
    word = word.lower().removesuffix("'s").removesuffix("’s")
    for suffix, keep in (("ies", 3), ("ing", 4), ("ed", 4), ("es", 4), ("s", 3), ("ly", 4)):
        if word.endswith(suffix) and len(word) - len(suffix) >= keep:
            word = word[: -len(suffix)]
            if suffix == "ies":
                word += "y"
            break
    return word.removesuffix("e") if len(word) > 4 else word


def words_of(text: str) -> set[str]:
    """The folded words of a sentence, to compare with a question's focus."""
    return {stem(w.lower().replace("’", "'")) for w in _WORD.findall(text)}


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Each two neighbouring words, folded, stopwords kept: "first week", "hedge fund",
    "killed in" are phrases a sentence shares with the question it answers."""
    words = [stem(w.lower().replace("’", "'")) for w in _WORD.findall(text)]
    return set(zip(words, words[1:], strict=False))


def _strip_determiners(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in ("the", "a", "an", "its", "their", "his", "her"):
        words = words[1:]
    return " ".join(words)
