"""Content words of a question or sentence, stemmed as SQLite's FTS5 porter tokenizer stems them,
so a question's words can be looked up in the lexical index's vocabulary."""

from __future__ import annotations

import functools
import re

_STOPWORD_TEXT = """a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with would you your yours yourself yourselves
say says said tell told according also many much whose anyone someone something"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@functools.cache
def _stemmer() -> object:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer().stem(word))  # type: ignore[attr-defined]


def content_terms(text: str) -> set[str]:
    """Stemmed words that carry meaning: no stopwords, no single letters."""
    words = (w.lower() for w in _WORD.findall(text))
    return {stem(w) for w in words if w not in STOPWORDS and (len(w) > 1 or w.isdigit())}
