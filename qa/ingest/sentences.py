"""Sentence segmentation for news text: character spans of the sentences of an article.

Engine: nltk's Punkt (`PunktSentenceTokenizer`) with the trained English `punkt_tab` model that
llama-index-core ships, read once from the installed package (never downloaded, and without
importing llama_index). Punkt was chosen over pysbd and syntok: on news text it is about 4 times
faster than syntok and 20 times faster than pysbd (this module splits about 45,000 sentences/s of
news on the development machine, after a one-off ~1.5 s to import nltk and read the model), and
with the additions below it is right on every case in `tests/ingest/test_sentences.py`, which
pysbd and syntok each get about ten of wrong.

Every line is split on its own, so a sentence never crosses a line break and headlines or
crossheads without a full stop stay separate sentences. A line in which no `.`, `?` or `!` is
followed by whitespace (after any closing quotes or brackets) is one sentence without asking Punkt:
most news paragraphs are a single sentence, and this keeps the segmenter fast. A sentence longer
than `MAX_SENTENCE_CHARS` (a line without punctuation) is cut at whitespace into pieces no longer
than that, so no citation is a wall of text.

Additions to Punkt's trained parameters:

* `_ABBREVIATIONS`: news abbreviations the model lacks (Sgt., Capt., Gov., Corp., Ltd., etc., AP
  month and state abbreviations), so that they do not end a sentence.
* `_SENTENCE_STARTERS`: pronouns, determiners and conjunctions added to Punkt's frequent sentence
  starters. After an abbreviation, a capitalised word from this list starts a new sentence: "He
  moved to the U.S. The move was sudden." splits after "U.S." while "the U.S. capital" and "the
  U.S. Senate" do not. After an abbreviation followed by any other capitalised word Punkt splits
  only when its statistics say that word starts sentences, so "He joined Calder Inc. Former staff
  ..." stays one sentence: an accepted miss.

Post-processing rules: a piece Punkt cut off is joined to the sentence before it when

1. it is only punctuation or starts with a closing quote, bracket or `,;:` (`", he said.`,
   `” the mayor said.`): Punkt ends a sentence at every `?`/`!` (and full stop) even when a
   closing quote and a comma follow, and moves a closing quote back only if whitespace follows it;
2. it starts with a lowercase letter or a dash and the sentence before ends in `?`/`!` or a
   closing quote (`"Is it over?" he asked.`, `"Stop!" she shouted.`, `Yahoo! shares rose`):
   Punkt never looks at the word after `?` and `!`;
3. the sentence before ends in a closing quote and the piece is a short attribution: capitalised
   words, a speech verb, at most three capitalised words, then the end or a comma (`"Why?" Okafor
   asked Lindqvist.`, `“Who pays?” Mayor Hale asked, pointing at the ledger.`);
4. the sentence before ends in a personal title (Mr., Dr., Gen., Sen., ...) and the piece does not
   start with a word from `_SENTENCE_STARTERS`: a title never ends a sentence, but Punkt's
   orthographic heuristic splits "Mr. Wells" or "Ms. Tan" because "wells" and "tan" are mostly
   lowercase words (the exception keeps "... said Priya Sen. The ..." apart);
5. it starts with a digit and the sentence before ends in "No." (`No. 10 Downing Street`): "no"
   is deliberately not a Punkt abbreviation, so that "... he said no. Officials ..." splits;
6. the sentence before is only a list number (`1. The first point ...`): Punkt ends a sentence
   after a number when the next word looks like a sentence start;
7. the sentence before opens a quotation that closes later in the line (`"This is not yet
   peace. I thank both governments," Dr. Ostrander said.`), up to `MAX_QUOTE_CHARS`: a citation,
   chip or briefing line never starts mid-quote. Articles stored before this rule keep their
   sentences until they are ingested again.

Known misses: an abbreviation that ends a sentence before a capitalised word outside
`_SENTENCE_STARTERS` (`Calder Inc. Former staff`, `the U.N. Officials there`) gives one sentence;
an attribution with lowercase words after the verb (`"..." Hale told this newspaper.`) stays a
sentence of its own; "Dr." meaning Drive at the end of a sentence is joined to the next one.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# Lowercase, without the final full stop, as Punkt keeps them.
_ABBREVIATIONS = frozenset({
    "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "mr", "mrs", "ms", "messrs", "dr", "prof", "gen",
    "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "cpl", "pvt", "gov", "sen", "rep", "reps",
    "st", "jr", "sr", "rev", "hon", "fr", "pres", "inc", "corp", "ltd", "co", "cos", "bros",
    "vs", "etc", "e.g", "i.e", "a.m", "p.m", "approx", "dept", "est", "mt", "ft", "ave",
    "blvd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
    "md", "mich", "minn", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "tenn", "va", "vt",
    "wash", "wis", "wyo",
})  # fmt: skip
_SENTENCE_STARTERS = frozenset({
    "the", "an", "he", "she", "it", "we", "they", "you", "i", "his", "her", "its", "their", "our",
    "this", "that", "these", "those", "there", "here", "but", "and", "yet", "so", "or", "nor",
    "then", "in", "on", "at", "for", "as", "after", "before", "when", "while", "if", "since",
    "although", "though",
})  # fmt: skip
_TITLES = frozenset({
    "mr", "mrs", "ms", "messrs", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "maj", "cpl", "pvt", "gov", "sen", "rep", "reps", "rev", "hon", "fr", "pres",
})  # fmt: skip
_SPEECH_VERBS = (
    "said|says|asked|asks|added|adds|told|tells|replied|replies|wrote|writes|answered|responded|"
    "explained|insisted|noted|recalled|warned|stated|declared|argued|continued|shouted|tweeted"
)
_PUNKT_MODEL = ("_static", "nltk_cache", "tokenizers", "punkt_tab", "english")
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")
# A possible sentence end inside a line: `.?!`, maybe closing quotes/brackets, then whitespace.
_INNER_END = re.compile(r"[.?!][\"'’”»)\]}]*\s")
_ALNUM = re.compile(r"[^\W_]")
# Rule 1: a closing quote (followed by space or punctuation) or closing bracket/`,;:` first.
_CONTINUATION = re.compile(r"[\"'’](?:[\s,;:.!?\-–—]|$)|[”»)\]},;:]")
_CLOSING_QUOTES = "\"'’”»"
_CLOSERS = _CLOSING_QUOTES + ")]}"
_NAME = r"[A-Z][\w'’.-]*"
# Rule 3: capitalised words, a speech verb, maybe a name, then the end or a comma (not a colon:
# `Hale added: "..."` opens a new quote).
_ATTRIBUTION = re.compile(
    rf"(?:{_NAME}\s+){{1,5}}(?:{_SPEECH_VERBS})(?:\s+{_NAME}){{0,3}}\s*(?:,|[.!?]?$)"
)
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_NUMBER_SIGNS = frozenset({"No", "NO", "Nos"})
# Rule 6: a list number on its own ("1.", "(2)", "3)").
_LIST_MARKER = re.compile(r"\(?\d{1,3}[.)]")
# The longest citable unit, in characters. A line without sentence punctuation (a table dumped
# as text, a scraped blob) would otherwise be one "sentence" of megabytes: shown whole as a
# citation, and embedded from its first 256 tokens only.
MAX_SENTENCE_CHARS = 1_000
# Sentences of one quotation are kept together up to this length (rule 7): a longer one is a
# speech, or a quote mark that never closes, and is split as usual.
MAX_QUOTE_CHARS = 600
# An over-long sentence is cut at the last whitespace in its last this-many characters before
# the limit; without whitespace there, at the limit itself.
_CUT_WINDOW = 200
_SPACE = re.compile(r"\s")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans (start, end) of the sentences in `text`; text[start:end] is the sentence,
    stripped of surrounding whitespace. Sentences never cross a line break: every line (paragraph)
    is split on its own, so headlines and crossheads without a full stop stay separate sentences."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        for start, end in _split_line(text, line.start(), line.end()):
            if end - start > MAX_SENTENCE_CHARS:
                spans.extend(_bounded(text, start, end))
            else:
                spans.append((start, end))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] cut at whitespace into pieces of at most MAX_SENTENCE_CHARS, each stripped
    of surrounding whitespace (so text[s:e] is still exactly the piece)."""
    pieces: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = limit
        window = text[limit - _CUT_WINDOW : limit + 1]
        spaces = [m.start() for m in _SPACE.finditer(window)]
        if spaces:
            cut = limit - _CUT_WINDOW + spaces[-1]
        piece_end = cut
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        pieces.append((start, piece_end))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], a single line, as offsets into `text`."""
    line = text[start:end]
    body = line.strip()
    if not body:
        return []
    start += len(line) - len(line.lstrip())
    if not _INNER_END.search(body):
        return [(start, start + len(body))]
    return [(start + s, start + e) for s, e in _merge(body, _tokenizer().span_tokenize(body))]


def _merge(body: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Punkt's spans of `body`, with each fragment joined to the sentence before it."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        previous = body[merged[-1][0] : merged[-1][1]] if merged else ""
        if merged and (
            _continues(previous, body[start:end]) or _quoted(previous, body[start:], end - start)
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _continues(previous: str, piece: str) -> bool:
    """Whether Punkt's `piece` belongs to the sentence `previous` (rules: module docstring)."""
    if _LIST_MARKER.fullmatch(previous):
        return True
    first = piece[0]
    if first.isupper():  # the common case: only an attribution or a title can continue
        quoted = previous[-1] in _CLOSING_QUOTES
        if quoted and _ATTRIBUTION.match(piece):
            return True
        return _ends_in_title(previous) and not _starts_with_starter(piece)
    if first.islower() or first in "-–—":
        return previous.rstrip(_CLOSERS)[-1:] in ("?", "!") or previous[-1] in _CLOSING_QUOTES
    if first.isdigit():
        return _last_word(previous) in _NUMBER_SIGNS
    return _CONTINUATION.match(piece) is not None or _ALNUM.search(piece) is None


def _quoted(previous: str, rest: str, length: int) -> bool:
    """Rule 7: `previous` opens a quotation that closes later in the line, and the two
    together stay under MAX_QUOTE_CHARS."""
    closes = '"' in rest or "”" in rest
    return closes and _open_quote(previous) and len(previous) + length <= MAX_QUOTE_CHARS


def _open_quote(sentence: str) -> bool:
    """A quotation opened and not yet closed: an odd number of straight double quotes, or more
    opening curly quotes than closing ones."""
    return sentence.count('"') % 2 == 1 or sentence.count("“") > sentence.count("”")


def _ends_in_title(sentence: str) -> bool:
    word = _last_word(sentence)
    return word[:1].isupper() and word.lower() in _TITLES


def _starts_with_starter(piece: str) -> bool:
    word = _FIRST_WORD.match(piece)
    return word is not None and word.group().lower() in _SENTENCE_STARTERS


def _last_word(sentence: str) -> str:
    """The word before the final full stop of `sentence`, without opening punctuation, or ''."""
    if not sentence.endswith("."):
        return ""
    words = sentence[:-1].rsplit(None, 1)
    return words[-1].lstrip("\"'‘“([{") if words else ""


@functools.lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """Punkt with the English model from llama-index-core plus the news additions (loaded once)."""
    from nltk.tabdata import PunktDecoder
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = _model_dir()
    decoder = PunktDecoder()
    params = PunktParameters()
    with (model / "collocations.tab").open(encoding="utf-8") as f:
        params.collocations = set(decoder.tab2tups(f))
    with (model / "sent_starters.txt").open(encoding="utf-8") as f:
        params.sent_starters = decoder.txt2set(f) | _SENTENCE_STARTERS
    with (model / "abbrev_types.txt").open(encoding="utf-8") as f:
        params.abbrev_types = (decoder.txt2set(f) | _ABBREVIATIONS) - {"no"}
    with (model / "ortho_context.tab").open(encoding="utf-8") as f:
        params.ortho_context = decoder.tab2intdict(f)
    return PunktSentenceTokenizer(params)


def _model_dir() -> Path:
    """The `punkt_tab/english` directory of the installed llama-index-core (found, not imported)."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llama-index-core is not installed: no Punkt model for sentences")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*_PUNKT_MODEL)
