"""Words a question and a news sentence use for the same count or the same act: "How many
people use Skype?" is answered by "28 million users", "How much profit did it make?" by "it
earned $10m", "When is filming due to start?" by "expected to begin in April".

A short hand-written table of news words, not a thesaurus: WordNet has no package with its data
on the registries we reach, lists "people" nowhere near "users", and gives rare senses ("make"
~ "brand") that would bind figures to the wrong question. Each family is a set of words a
reporter uses interchangeably for the thing counted or the act a figure hangs from; widen it
from questions that missed, never from the measuring set.

    kin("peopl")            # the stems of every word in the "people" family
    asked_kin({"make", "profit"}) >= {"earn"}
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from qa.question import stem

_FAMILIES: tuple[str, ...] = (
    # who is counted
    "people person individuals residents citizens inhabitants users customers subscribers "
    "members workers employees staff voters fans viewers listeners readers passengers visitors "
    "students pupils patients adults children",
    "jobs posts positions roles",
    "soldiers troops",
    "dead deaths killed fatalities lives",
    "texts messages",
    "films movies",
    "songs singles tracks records",
    "firms companies businesses",
    "homes houses households properties",
    "cars vehicles",
    "shops stores outlets",
    "games matches",
    # who a role question asks for: "Who is Chelsea's manager?" by "Chelsea boss Jose Mourinho"
    "manager boss",
    "executive boss",
    # what a figure hangs from
    "make earn post report record generate net take gross",
    "start begin launch open commence",
    "release debut publish",
    "rise increase grow climb jump gain surge soar",
    "fall drop decline slump plunge shrink dip slide lose",
    "cut shed axe ax lose scrap slash",
    "kill die",
    "disappear vanish lose",
    "hire recruit employ create",
    "pay spend cost",
    "attend watch visit",
    "win claim",
    "sell",
    "buy acquire purchase",
)


# Irregular past forms a question uses ("How many texts are sent?") for the lemma the claims
# store ("send"). simplemma reads these too, but loading its English table costs 0.17 s on the
# question path (cold `newsqa ask` is held under 2 s), and it reads "won" and "rose" as nouns.
_IRREGULAR = {
    "sent": "send", "paid": "pay", "sold": "sell", "won": "win", "lost": "lose", "made": "make",
    "spent": "spend", "held": "hold", "built": "build", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "told": "tell", "brought": "bring", "bought": "buy",
    "left": "leave", "met": "meet", "ran": "run", "fell": "fall", "fallen": "fall",
    "rose": "rise", "risen": "rise", "grew": "grow", "grown": "grow", "began": "begin",
    "begun": "begin", "wrote": "write", "written": "write", "chose": "choose",
    "chosen": "choose", "stole": "steal", "stolen": "steal", "fought": "fight",
    "caught": "catch", "said": "say", "went": "go", "gone": "go", "came": "come",
    "became": "become", "kept": "keep", "led": "lead", "sought": "seek", "spoke": "speak",
    "spoken": "speak", "broke": "break", "broken": "break", "beat": "beat", "beaten": "beat",
    "sank": "sink", "sunk": "sink", "shrank": "shrink", "shrunk": "shrink",
    "withdrew": "withdraw", "withdrawn": "withdraw", "stood": "stand", "struck": "strike",
    "threw": "throw", "thrown": "throw", "shot": "shoot", "hid": "hide", "hidden": "hide",
    "drove": "drive", "driven": "drive", "flew": "fly", "flown": "fly", "froze": "freeze",
    "frozen": "freeze", "swore": "swear", "sworn": "swear", "slid": "slide", "swept": "sweep",
    "taught": "teach", "understood": "understand", "wore": "wear", "worn": "wear",
    "died": "die", "dead": "die",
}  # fmt: skip


@functools.cache
def _lemmas() -> dict[str, str]:
    return {stem(form): stem(lemma) for form, lemma in _IRREGULAR.items()}


@functools.cache
def _families() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for family in _FAMILIES:
        stems = frozenset(stem(word) for word in family.split())
        for word in stems:
            out.setdefault(word, set()).update(stems)
    return {word: frozenset(stems) for word, stems in out.items()}


def kin(word: str) -> frozenset[str]:
    """The stems of every word in `word`'s families (a stem), itself included."""
    return _families().get(word, frozenset([word]))


def asked_kin(words: Iterable[str]) -> frozenset[str]:
    """Stems of a question's words (irregular forms read as their lemma: "sent" as "send")
    and of every word of their families."""
    lemmas = _lemmas()
    return frozenset().union(*(kin(word) | kin(lemmas.get(word, word)) for word in words))
