"""Citation markers as models actually write them, read into (sentence, cited numbers) pairs.

Models asked for `[n]` also write `[1, 3]`, `[1][3]`, `[1-3]`, `【1】`, `[Source 2]`, `(Source 1)`,
`(sources 1 and 2)` and "according to source 2". All of them become plain numbers attached to
the answer sentence they end (a marker right after a full stop belongs to the sentence before
it). Whether a number points at anything is for the caller to decide.

    split_claims("Talks failed. [1] Aerolis walked out (Source 3).")
    # [Claim(text='Talks failed.', cited=(1,)), Claim(text='Aerolis walked out.', cited=(3,))]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_RANGE = 10  # "[1-3]" is three citations; "[1-500]" is not five hundred
# What the citation check (`qa.check`) puts after a sentence nothing supports; the page shows it.
UNSUPPORTED_MARK = "[unsupported]"

_NUMBERS = r"\d{1,3}(?:\s*(?:,|;|、|，|&|\band\b|-|–|—|\bto\b)\s*\d{1,3})*"
_MARKER = re.compile(
    rf"\s*(?:"
    rf"【\s*(?P<cjk>{_NUMBERS})\s*】"
    rf"|\[\^?\s*(?:(?:sources?|sentences?|refs?|s)\s*)?(?P<square>{_NUMBERS})\s*\]"
    rf"|\(\s*(?:sources?|sentences?|refs?)\s*(?P<paren>{_NUMBERS})\s*\)"
    rf")",
    re.I,
)
_ACCORDING = re.compile(
    rf"\baccording to (?:the )?(?:sources?|sentences?)\s+(?P<numbers>{_NUMBERS})\s*,?\s*", re.I
)
_SENTINEL = re.compile(r"\x00([\d,]+)\x00")
# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and any word, a quote
# or a marker; not after an initial ("J. Smith", "a.m.") or a short title or month abbreviation.
# A lowercase word after ". " starts a sentence too: models glue sentences that way, and the
# second must be checked on its own, not inherit the first's citations.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?P<close>[\"'”’)]*)(?:\s+(?=[A-Za-z0-9\"“‘(\x00])|(?=\x00))"
)
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b[A-Za-z]|\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Prof|St|Jan|Feb|Mar|Apr|Jun|"
    r"Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|vs|U\.S|U\.K|U\.N|Inc|Ltd|Co|Corp|etc|approx|incl|"
    r"est|cf|al))\.$"
)


@dataclass(frozen=True)
class Claim:
    """One sentence of a model's answer: its text without markers, and the numbers it cites."""

    text: str
    cited: tuple[int, ...]
    new_line: bool = False  # the model started it on a new line (a list item, a paragraph)


def split_claims(reply: str) -> list[Claim]:
    """The reply's sentences with the numbers each one cites, in order of appearance."""
    marked = _mark(reply)
    claims: list[Claim] = []
    for line_number, line in enumerate(marked.splitlines()):
        pieces = _split_sentences(line.strip())
        for piece_number, piece in enumerate(pieces):
            leading = re.match(r"(?:\s*\x00[\d,]+\x00)+", piece)
            if leading and claims:
                # "Talks failed. [1]": a marker after the full stop belongs to the sentence before.
                previous = claims[-1]
                claims[-1] = Claim(
                    previous.text, previous.cited + _numbers_in(leading.group()), previous.new_line
                )
                piece = piece[leading.end() :]
            text = _clean(_SENTINEL.sub("", piece))
            if not re.search(r"\w", text):
                continue
            claims.append(
                Claim(text, _numbers_in(piece), new_line=line_number > 0 and piece_number == 0)
            )
    return claims


def has_markers(reply: str) -> bool:
    return bool(_MARKER.search(reply) or _ACCORDING.search(reply))


def parse_numbers(numbers: str) -> tuple[int, ...]:
    """'1, 3' -> (1, 3); '2-4' -> (2, 3, 4); ranges longer than MAX_RANGE keep their ends."""
    out: list[int] = []
    for part in re.split(r"\s*(?:,|;|、|，|&|\band\b)\s*", numbers.strip(), flags=re.I):
        bounds = re.split(r"\s*(?:-|–|—|\bto\b)\s*", part, flags=re.I)
        values = [int(b) for b in bounds if b.isdigit()]
        if len(values) == 2 and 0 < values[1] - values[0] < MAX_RANGE:
            out.extend(range(values[0], values[1] + 1))
        else:
            out.extend(values)
    return tuple(dict.fromkeys(out))


def complete_markers(text: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """(start, end, numbers) of every complete marker in a piece of streamed text."""
    return [
        (m.start(), m.end(), parse_numbers(m.group("cjk") or m.group("square") or m.group("paren")))
        for m in _MARKER.finditer(text)
    ]


def open_marker_start(text: str) -> int | None:
    """Where a marker that may still be completing begins ("... failed [1" at the stream's
    end), so streamed text can be held back from there."""
    match = re.search(r"(?:\[|【|\()[^\]】)]{0,24}$", text)
    return match.start() if match else None


def _mark(reply: str) -> str:
    def sentinel(numbers: tuple[int, ...]) -> str:
        return f"\x00{','.join(map(str, numbers))}\x00" if numbers else ""

    def according(match: re.Match[str]) -> str:
        # "According to source 2, the talks failed." -> "the talks failed." + [2] at the end.
        pending.append(parse_numbers(match.group("numbers")))
        return ""

    pending: list[tuple[int, ...]] = []
    out_lines = []
    for line in reply.splitlines():
        line = _MARKER.sub(
            lambda m: sentinel(
                parse_numbers(m.group("cjk") or m.group("square") or m.group("paren"))
            ),
            line,
        )
        pieces = _split_sentences(line)
        rebuilt = []
        for piece in pieces:
            pending.clear()
            piece = _ACCORDING.sub(according, piece)
            if pending:
                piece = _capitalise(piece) + "".join(sentinel(n) for n in pending)
            rebuilt.append(piece)
        out_lines.append(" ".join(rebuilt))
    return "\n".join(out_lines)


def _split_sentences(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        if _NO_BREAK_BEFORE.search(line[start : match.start()]):
            continue
        pieces.append(line[start : match.end("close")])  # a closing quote stays with its sentence
        start = match.end()
    pieces.append(line[start:])
    return [p for p in pieces if p.strip()]


def _numbers_in(piece: str) -> tuple[int, ...]:
    found: list[int] = []
    for match in _SENTINEL.finditer(piece):
        found.extend(int(n) for n in match.group(1).split(",") if n)
    return tuple(dict.fromkeys(found))


def _clean(text: str) -> str:
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)  # "failed ." left where a marker was
    text = re.sub(r"([.,;:!?])\1+", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _capitalise(text: str) -> str:
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)] + stripped[:1].upper() + stripped[1:]
