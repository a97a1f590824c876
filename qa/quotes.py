"""Quotes joined to their speaker across sentences and paragraphs.

The claims of a sentence are read from its text alone (`qa.claims`, cached by text so wire
copies are read once), so a quote that goes on past its attribution has no speaker there:

    "We came with proposals to save 400 jobs," said Teresa Kwan, the union's president.
    "Management would not even take the paper from the table."      <- Kwan's too
    "It is a fabrication," he added.                                 <- "he" is Kwan

Joining needs the article's order and paragraphs, so it is done where an article's sentences
are read together (briefings, the first view, `show --claims`, answers to "what did X say"),
from the stored claims, without the parser:
- a speaker named by a pronoun ("he added") is the last speaker named before it, in the same
  paragraph or the one before;
- a sentence that goes on with a quotation left open ('Kovacs said: "The bloc is ready. / We
  will send monitors."') is said by its speaker;
- a sentence that is only a quotation is said by the speaker named just before it, in the same
  paragraph or the one before, when no sentence of narration came between (news goes on
  quoting the last speaker paragraph after paragraph); else by the speaker named after it in
  the same paragraph ('"We will not accept this." ... Marek said.'); else by no one.

    joined(article.sentences, store.claims_of(s.text for s in article.sentences))[1].statements
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from qa.claims import Claims, Statement

if TYPE_CHECKING:
    from qa.types import Sentence

# Speakers that name no one: pronouns, and the relative "who" of "..., who said".
_PRONOUNS = frozenset(["he", "she", "they", "we", "i", "it", "who", "which", "that", "you"])
_OPENING = "\"“‘'"
_QUOTE_MARKS = re.compile(r"[\"“”]")
PARAGRAPHS_BACK = 1  # how far back (in paragraphs) a speaker is still the one talking


@dataclass(frozen=True)
class _Speaker:
    statement: Statement
    paragraph: int  # of the sentence that names it


def joined(sentences: Sequence[Sentence], claims: Mapping[str, Claims]) -> dict[int, Claims]:
    """Each sentence's claims by its index, with the statements its neighbours give it (see
    the module's docstring). A sentence without stored claims is left out, as before."""
    out = {s.index: claims[s.text] for s in sentences if s.text in claims}
    ordered = [s for s in sentences if s.index in out]
    last: _Speaker | None = None  # the last speaker named: whom "he" or "she" is
    quoting: _Speaker | None = None  # ... unless a sentence of narration came after them
    open_by: _Speaker | None = None  # the speaker of a quotation not yet closed
    waiting: list[Sentence] = []  # bare quotations whose speaker may come after them
    for sentence in ordered:
        statements = out[sentence.index].statements
        near = last is not None and sentence.paragraph - last.paragraph <= PARAGRAPHS_BACK
        if statements:
            resolved = tuple(
                replace(st, speaker=last.statement.speaker)
                if _pronoun(st.speaker) and near and last is not None
                else st
                for st in statements
            )
            out[sentence.index] = replace(out[sentence.index], statements=resolved)
            named = [st for st in resolved if not _pronoun(st.speaker)]
            if named:
                last = quoting = _Speaker(named[-1], sentence.paragraph)
                for bare in waiting:  # said before their attribution, in this paragraph
                    if bare.paragraph == sentence.paragraph:
                        out[bare.index] = _said_by(out[bare.index], bare, named[0])
                waiting = []
            open_by = last if _left_open(sentence.text) and last is not None else None
            continue
        # A quotation left open goes on only into a sentence that closes it: a sentence
        # without quotation marks after one is narration (the open mark was a split's).
        if open_by is not None and not _QUOTE_MARKS.search(sentence.text):
            open_by = None
        if open_by is not None or _bare_quotation(sentence.text):
            speaker = open_by or quoting
            follows = speaker is not None and (
                open_by is not None
                or (speaker.statement.content != "" and sentence.paragraph - speaker.paragraph
                    <= PARAGRAPHS_BACK)
            )  # fmt: skip
            if follows and speaker is not None:
                out[sentence.index] = _said_by(out[sentence.index], sentence, speaker.statement)
            else:
                waiting.append(sentence)
            if open_by is not None and _QUOTE_MARKS.findall(sentence.text):
                open_by = None  # closed here
            continue
        open_by = quoting = None
        waiting = []
    return out


def _pronoun(speaker: str) -> bool:
    return speaker.strip().lower() in _PRONOUNS


def _bare_quotation(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped[0] in _OPENING and len(_QUOTE_MARKS.findall(stripped)) >= 2


def _left_open(text: str) -> bool:
    """An odd number of double quotation marks: the quotation goes on in the next sentence."""
    return len(_QUOTE_MARKS.findall(text)) % 2 == 1


def _said_by(claims: Claims, sentence: Sentence, by: Statement) -> Claims:
    content = sentence.text.strip().strip(_OPENING + "”’").rstrip(".,").strip()
    start = sentence.text.find(content[:20]) if content else 0
    statement = Statement(
        speaker=by.speaker,
        verb=by.verb,
        content=content,
        target=None,
        negated=False,
        start=max(0, start),
        end=max(0, start) + len(content),
    )
    return replace(claims, statements=(*claims.statements, statement))


__all__ = ["joined"]
