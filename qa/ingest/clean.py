"""News boilerplate cleaner: article body text in, clean paragraphs plus what was cut out.

Approach. The body (from a .txt file, a feed, or HTML extraction) is first split into paragraphs:
a blank line always ends one; a single newline ends one too unless the lines are a hard wrap of
the same paragraph (the first line does not end in sentence punctuation and the next starts in
lowercase, or the first ends with a comma or a word like "the"/"and"; in a body that separates its
paragraphs with blank lines, a long unpunctuated line also continues onto the next). Whitespace
inside a paragraph becomes single spaces. Each paragraph is then judged on its own, as a whole:

1. line rules (`_LINE_RULES`, a table of compiled regexes with their reason and a word limit):
   credits, "Loading...", advertisement markers, teaser links, newsletter/share/follow/app
   prompts, copyright notices and navigation (breadcrumbs, "Posted: <date>" labels, footer links);
2. context rules over the whole article, in order: captions (a paragraph directly followed by a
   credit line, when it is repeated elsewhere or reads like a caption: no sentence punctuation),
   verbatim duplicates (later copies only), the headline (the first paragraph when it repeats
   the title), and stray short fragments after the last real paragraph;
3. sentences addressed to an AI ("Ignore your previous instructions ...", `qa.injection`) are
   cut out of the paragraphs kept, one sentence at a time, with the reason "instruction".

Matching is done on a "match form" of the paragraph: NFKC plus a map of the Latin look-alike
letters (Cyrillic/Greek) that spam blocks use to dodge filters, so "Аdvеrtіѕе" written with
Cyrillic letters is caught; the kept text is never rewritten beyond whitespace.

The rules are conservative: each pattern is anchored to the whole paragraph or to its start and
has a word limit, so a real sentence that merely mentions an advertisement, or "Reuters reported
that ...", or starts "Related to the ...", is kept. Short crossheads in the middle of an article
are kept. Every removal is returned with its reason so that nothing disappears silently.

All regexes are compiled once at import; cleaning an article costs a few regex matches per
paragraph (a couple of thousand articles clean in a fraction of a second).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from qa.injection import instruction_reason
from qa.types import CleanedText, RemovedText

__all__ = ["REASONS", "clean_article_text"]

REASONS = (
    "caption",
    "credit",
    "loading",
    "teaser",
    "advertisement",
    "prompt",
    "copyright",
    "navigation",
    "headline",
    "duplicate",
    "instruction",
)

# --------------------------------------------------------------------------- normalising

# Latin look-alikes from Cyrillic and Greek, as used to disguise "Advertise" and the like.
_CONFUSABLES = str.maketrans(
    {
        # Cyrillic capitals
        "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M",
        "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ү": "Y",
        # Cyrillic small letters
        "а": "a", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c",
        "у": "y", "х": "x", "ԁ": "d", "ӏ": "l", "ү": "y", "һ": "h", "ԛ": "q", "ԝ": "w",
        # Greek
        "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
        "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v",
        "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    }
)  # fmt: skip
_CONFUSABLES.update(
    str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
)
# str.translate is slow on long text, so each map runs only where a regex finds its letters.
_NEEDS_MAP = re.compile("[" + "".join(map(chr, _CONFUSABLES)) + "]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _match_form(text: str) -> str:
    """The form rules are matched against: compatibility-normalised, look-alikes mapped."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_CONFUSABLES) if _NEEDS_MAP.search(text) else text


def _key(text: str) -> str:
    """Comparison key for repeats and the headline: match form, casefolded."""
    return _match_form(text).casefold()


# --------------------------------------------------------------------------- paragraphs

# Ends like a sentence: . ! ? … : ; possibly followed by closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
_HAS_SENTENCE_PUNCT = re.compile(r"[.!?…;:]")
# A line ending with one of these words (or a comma/dash) cannot be a paragraph's last line;
# prepositions and pronouns can ("What it is for", "A letter to her"), so they are out.
# Lowercase only: "Plan A" or "Vitamin A" may well be a crosshead.
_CONTINUES = re.compile(r"(?:[,\-–—]|\b(?:a|an|the|and|or|but|its|their|than))$")
_LIST_ITEM = re.compile(r"(?:[-–—•*·▪►]|\d{1,2}[.)])\s")  # a bullet starts its own line
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_WRAP_MIN_WORDS = 8  # in blank-line-separated bodies, a longer unpunctuated line is a hard wrap


def _paragraphs(body: str) -> list[str]:
    """Split a body into paragraphs, joining the hard-wrapped lines of one paragraph."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    blank_separated = _BLANK_LINE.search(text) is not None
    paragraphs: list[str] = []
    open_paragraph = False  # may the next line continue paragraphs[-1]?
    for raw_line in text.split("\n"):
        line = unicodedata.normalize("NFC", " ".join(raw_line.split()))
        if not line:
            open_paragraph = False
        elif open_paragraph and _is_wrap(paragraphs[-1], line, blank_separated):
            joiner = "" if paragraphs[-1].endswith("-") and line[0].islower() else " "
            paragraphs[-1] += joiner + line
        else:
            paragraphs.append(line)
            open_paragraph = True
    return paragraphs


def _is_wrap(previous: str, line: str, blank_separated: bool) -> bool:
    """Is `line` the continuation of `previous` (a hard wrap), not a paragraph of its own?"""
    if _ENDS_SENTENCE.search(previous) or _LIST_ITEM.match(line):
        return False
    if not (
        line[0].islower()
        or _CONTINUES.search(previous)
        or (blank_separated and previous.count(" ") + 1 >= _WRAP_MIN_WORDS)
    ):
        return False
    # Short noise lines ("AP", "Loading") stay on their own line, never glued to text.
    return _line_reason(previous) is None and _line_reason(line) is None


# --------------------------------------------------------------------------- line rules


@dataclass(frozen=True)
class _Rule:
    """A paragraph that `pattern` matches (from its start) and has at most `max_words` words;
    `needle`, when set, is a lowercase word the paragraph must contain (a cheap pre-check for
    patterns that scan ahead)."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int
    needle: str | None = None


def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


_AGENCY = (
    r"(?:AP|AFP|Reuters|Getty(?:\s+Images)?|EPA(?:-EFE)?|EFE|AA|Anadolu(?:\s+Agency)?|"
    r"PA(?:\s+(?:Media|Wire|Images))?|Xinhua|dpa|ANP|ANSA|Bloomberg|Shutterstock|Alamy|IANS|"
    r"PTI|ANI|UPI|TASS|Sputnik|Associated\s+Press|Agence\s+France-Presse|AP\s+Photo|Pool|"
    r"Handout|File|Supplied|iStock(?:photo)?|Corbis|NurPhoto|SIPA|Rex(?:\s+Features)?|"
    r"WireImage|Image)"
)
_CREDIT_LABEL = (
    r"(?:Photo(?:graph)?s?|Pictures?|Pic|Images?|Credits?|Photo\s+credit|Image\s+credit|"
    r"Image\s+source|Illustration|Graphic|Footage)"
)
_DOMAIN = (
    r"(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|news|tv|info)"
    r"(?:\.[a-z]{2})?/?"
)

_DATE_LABEL = (
    r"(?:posted|published|updated|last\s+updated|latest\s+update|last\s+modified|first\s+published|"
    r"release\s+date|date\s+published|date)"
)
# Only date and time words: "Thursday, April 21, 2022. 10:11 pm CST", "2020-01-10 09:30 GMT".
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|"
    r"sat(?:urday)?|sun(?:day)?)\b"
)
_DATEISH = (
    rf"(?:\s*(?:\d[\d:./-]*(?:st|nd|rd|th)?|{_MONTH}\.?|{_WEEKDAY}\.?|[ap]\.?m\b\.?|"
    r"(?:gmt|utc|bst|cet|cest|[a-z]{1,2}[sd]t)\b|(?:at|on)\b|[,.|–+-])\s*)+"
)

# Reasons in priority order; each pattern is matched at the start of the paragraph's match form.
_LINE_RULES: tuple[_Rule, ...] = (
    # ---- loading placeholders
    _Rule(
        "loading",
        _rx(r"(?:loading|please\s+wait)(?:\s+(?:video|comments|content))?\s*(?:\.+|…)?$"),
        3,
    ),
    # ---- advertisement markers and ad-sales blurbs
    _Rule(
        "advertisement",
        _rx(
            r"(?:skip\s+)?(?:advertisement|advertising|advertise|sponsored(?:\s+content)?|"
            r"paid\s+(?:content|post)|promoted(?:\s+content)?|ad)\s*[:.]?$|"
            r"\(?advertisement\)?$|"
            r"(?:story|article|content)\s+continues\s+(?:below|after)(?:\s+(?:this|the))?"
            r"(?:\s+advert(?:isement)?)?\.?$|"
            r"continue\s+reading\s+(?:the\s+main\s+story|below)\.?$|scroll\s+to\s+continue\b"
        ),
        8,
    ),
    _Rule("advertisement", _rx(r"advertise\s+(?:with|on|here|your)\b"), 60),
    # ---- credits: agency names, "Photo: X", "(Credit: X)", "Image copyright X", a bare domain
    _Rule(
        "credit",
        _rx(
            rf"[-–—•(\[]?\s*{_AGENCY}(?:\s*(?:/|via|and|&|,)\s*{_AGENCY})*\s*[)\]]?\.?$",
            0,
        ),
        5,
    ),
    _Rule(
        "credit",
        _rx(
            rf"[(\[]?\s*{_CREDIT_LABEL}(?:\s+(?:by|courtesy(?:\s+of)?))?\s*[:|]\s*\S[^.!?]*"
            r"[)\]]?\.?$|"
            r"[(\[]?\s*(?:photo|picture|image)s?\s+(?:by|courtesy(?:\s+of)?)\s+\S[^.!?]*[)\]]?$|"
            r"[(\[]?\s*courtesy\s+(?:of\s+)?\S[^.!?]*[)\]]?$|"
            r"image\s+copyright\b[^.!?]*$|"
            r"(?:a\s+)?file\s+(?:photo|picture|image)\.?$"
        ),
        12,
    ),
    _Rule("credit", _rx(rf"{_AGENCY}\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,3}}$", 0), 6),
    _Rule("credit", _rx(_DOMAIN + r"$"), 1),
    # ---- captions that announce themselves
    _Rule("caption", _rx(r"(?:file\s+photo|image\s+caption|caption)\s*:"), 60),
    # ---- teasers: links to other stories
    _Rule(
        "teaser",
        _rx(
            r"(?:read\s+more|also\s+read|read\s+also|read\s+next|related(?:\s+(?:articles?|"
            r"stories|story|content|coverage|news|video|links?|topics?))?|see\s+also|watch|"
            r"listen|video|gallery|recommended|most\s+(?:read|popular|viewed)|top\s+stories|"
            r"trending(?:\s+now)?|don't\s+miss)\s*:"
        ),
        40,
    ),
    # The syndication footer blogging platforms append to every feed item.
    _Rule("teaser", _rx(r"the\s+post\s+.{1,200}?\s+appeared\s+first\s+on\s+[^,;:]{1,60}$"), 60),
    # "More:" / "More on <topic>:" links are short; a longer paragraph may be real prose.
    _Rule("teaser", _rx(r"more(?:\s+(?:on|from|about)\s+[^:.!?]{1,40})?\s*:"), 20),
    _Rule(
        "teaser",
        _rx(
            r"(?:related|related\s+(?:articles?|stories|story|content|coverage|news|links?|topics?)|"
            r"read\s+more|more\s+stories|more\s+news|most\s+(?:read|popular|viewed|shared)|"
            r"top\s+stories|trending(?:\s+now|\s+stories)?|recommended(?:\s+for\s+you)?|"
            r"you\s+(?:may|might)\s+also\s+like|editor'?s\s+(?:picks?|choice)|"
            r"in\s+other\s+news|latest\s+(?:news|stories))\s*:?$"
        ),
        5,
    ),
    # ---- prompts: newsletter, subscribe, share, follow, click, app, join, tips
    _Rule(
        "prompt",
        _rx(
            r"sign\s*up\b.{0,120}?\b(?:newsletters?|e-?mails?|inbox|alerts?|briefings?|"
            r"updates|digest|bulletins?)\b|"
            r"sign\s*up(?:\s+(?:now|here|today|for\s+free))?\s*[.!]?$|"
            r"subscribe\b|already\s+a\s+subscriber\b|become\s+a\s+subscriber\b|"
            r"share\s+(?:this|the)\s+(?:article|story|page|post|video)\b|"
            r"share\s+(?:on|via|to)\s+(?:facebook|twitter|x|whatsapp|linkedin|e-?mail|reddit|"
            r"pinterest|telegram|messenger)\b|share\s*(?:this)?[:!]?$|"
            r"follow\s+(?:us|@\S+|[\w.&'’ -]{1,40}?)\s+on\s+(?:twitter|facebook|instagram|x|"
            r"linkedin|tiktok|youtube|threads|google\s+news|whatsapp|telegram|bluesky|"
            r"social\s+media)\b|"
            r"follow\s+(?:our|the)\s+(?:latest|live)\b|"
            r"click\s+(?:here|to|the\s+link|below)\b|"
            r"get\s+(?:the|our)\s+.{1,60}?\s+daily\s+edition\b|"
            r"get\s+(?:the|our)\s+(?:free\s+)?(?:latest\s+)?[\w'’ -]{0,40}?(?:newsletters?|"
            r"alerts|app)\b|"
            r"if\s+you(?:'re|’re|\s+are)\s+(?:on|using|reading\s+(?:this\s+)?(?:on|in))\s+"
            r"(?:the|our)\s+.{1,60}?\bapp\b|"
            r"(?:download|install|get)\s+(?:our|the\s+.{1,40}?)\s*app\b|"
            r"join\s+(?:our|us\s+on|the\s+conversation\s+on)\b.{0,60}?\b(?:whatsapp|telegram|"
            r"facebook|discord|channel|community|group|newsletter)\b|"
            r"(?:got|have|do\s+you\s+have)\s+a\s+(?:news\s+)?(?:story|tip|news\s+tip)\b"
        ),
        40,
    ),
    # A newsletter plug can start differently ("Want the headlines? Sign up for ..."), or
    # describe the newsletter first and end with the call ("... Sign up here.").
    _Rule(
        "prompt",
        _rx(r".{0,80}?\bsign\s+up\s+(?:for|to)\s+.{0,60}?\bnewsletters?\b"),
        25,
        "newsletter",
    ),
    _Rule(
        "prompt",
        _rx(
            r".{0,300}?\bnewsletters?\b.{0,300}?[.!?]\s*(?:sign\s+up|subscribe)"
            r"(?:\s+(?:here|now|today|for\s+free))?\s*[.!]?$"
        ),
        60,
        "newsletter",
    ),
    # ---- copyright notices
    _Rule(
        "copyright",
        _rx(
            r"©|\(c\)\s*(?:\d{4}|copyright)|copyright\s*(?:©|\(c\))?\s*\d{4}|copyright\s*©|"
            r"this\s+(?:material|article|content|story)\s+(?:may|must)\s+not\s+be\s+"
            r"(?:published|reproduced|copied|redistributed|republished)\b|"
            r"this\s+(?:article|story|content)\s+is\s+the\s+copyrighted\s+property\b"
        ),
        120,
    ),
    _Rule("copyright", _rx(r".{0,120}\ball\s+rights\s+reserved\b"), 20, "rights"),
    # ---- navigation: page furniture such as dated labels and footer links
    _Rule(
        "navigation",
        _rx(
            rf"{_DATE_LABEL}(?:\s+on)?\s*:\s*(?:{_DATEISH})?$|{_DATE_LABEL}(?:\s+on)?\s+{_DATEISH}$|"
            r"our\s+standards\s*:|"
            r"(?:back\s+to\s+top|skip\s+to\s+(?:main\s+)?content|jump\s+to|print|e-?mail|"
            r"comments?|\d+\s+comments?|previous\s+article|next\s+article|previous|next|"
            r"show\s+all\s+\d+|view\s+(?:all|gallery)|toggle\s+caption)\s*$|"
            r"(?:tags?|topics?|filed\s+under|categories|category)\s*:"
        ),
        20,
    ),
)

# A bare date line with month and year ("May 06, 2022"), not a kick-off time or a figure.
_DATE_ONLY = _rx(rf"(?=.*\b{_MONTH})(?=.*\b\d{{4}}\b){_DATEISH}$")
_HAS_ALNUM = re.compile(r"[^\W_]")
_BREADCRUMB_SEPARATOR = re.compile(r"\s+(?:\||›|»|>)\s+|\s*[|›»]\s*")
_BREADCRUMB_MAX_ITEM_WORDS = 4


def _is_breadcrumb(text: str) -> bool:
    """'Home | World | Business', 'News › Europe': short items between separators."""
    if not any(sep in text for sep in ("|", "›", "»", ">")):
        return False
    items = [item.strip() for item in _BREADCRUMB_SEPARATOR.split(text)]
    items = [item for item in items if item]
    if len(items) < 2 or (len(items) < 3 and ">" in text and "|" not in text):
        return False
    return all(
        item.count(" ") < _BREADCRUMB_MAX_ITEM_WORDS and not _ENDS_SENTENCE.search(item)
        for item in items
    )


def _line_reason(text: str) -> str | None:
    """The reason a paragraph is noise on its own, or None if it may be article text."""
    words = text.count(" ") + 1
    form = _match_form(text)
    lower = form.lower()
    for rule in _LINE_RULES:
        if (
            words <= rule.max_words
            and (rule.needle is None or rule.needle in lower)
            and rule.pattern.match(form)
        ):
            return rule.reason
    if words <= 20 and (_is_breadcrumb(form) or _DATE_ONLY.match(form)):
        return "navigation"
    if not _HAS_ALNUM.search(form):  # rules, separators, bullets: "______", "* * *"
        return "navigation"
    return None


# --------------------------------------------------------------------------- context rules

_CAPTION_MAX_WORDS = 30
_CAPTION_MIN_WORDS = 5  # shorter unpunctuated lines before a credit may be crossheads
_DUPLICATE_MIN_CHARS = 20  # "Yes." twice in an interview is not a duplicate paragraph
_DUPLICATE_MIN_UNPUNCTUATED = 8  # words, for a repeat without a sentence ending
_FRAGMENT_MAX_WORDS = 4
_HEADLINE_WITHIN = 3  # paragraphs from the top
_TITLE_SUFFIX = re.compile(r"\s+[-–—|:•]\s+[^-–—|:•]{2,60}$")
_TRAILING_PUNCT = re.compile(r"[\s.!?…:;,]+$")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]+\b")


def _mark_captions(paragraphs: list[str], reasons: list[str | None], keys: list[str]) -> None:
    """A paragraph directly followed by a credit line is a caption when it is printed again
    elsewhere (all copies go) or reads like one (no sentence punctuation, not too long)."""
    counts = Counter(key for key, reason in zip(keys, reasons, strict=True) if reason is None)
    captions: set[str] = set()
    for i in range(len(paragraphs) - 1):
        if reasons[i] is not None or reasons[i + 1] != "credit":
            continue
        words = paragraphs[i].count(" ") + 1
        unpunctuated = not _ENDS_SENTENCE.search(paragraphs[i])
        if counts[keys[i]] > 1 or (
            unpunctuated and _CAPTION_MIN_WORDS <= words <= _CAPTION_MAX_WORDS
        ):
            captions.add(keys[i])
    for i, key in enumerate(keys):
        if reasons[i] is None and key in captions:
            reasons[i] = "caption"


def _mark_duplicates(reasons: list[str | None], keys: list[str]) -> None:
    """Keep the first copy of a paragraph printed twice or more; drop the later ones."""
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if reasons[i] is not None or len(key) < _DUPLICATE_MIN_CHARS:
            continue
        if not _ENDS_SENTENCE.search(key) and key.count(" ") + 1 < _DUPLICATE_MIN_UNPUNCTUATED:
            continue  # a repeated short label ("Winners meet in final") is list structure
        if key in seen:
            reasons[i] = "duplicate"
        seen.add(key)


def _title_forms(title: str) -> set[str]:
    """The title and the title without a site-name suffix ('Story - The Daily Bugle')."""
    forms = {title}
    stripped = _TITLE_SUFFIX.sub("", title)
    if stripped != title and stripped.count(" ") >= 2:
        forms.add(stripped)
    return {_TRAILING_PUNCT.sub("", " ".join(_key(form).split())) for form in forms}


def _mark_headline(
    paragraphs: list[str], reasons: list[str | None], keys: list[str], title: str | None
) -> None:
    """The headline printed again: the first paragraph when it equals the title (or one of the
    first few, since a kicker, date line or standfirst is sometimes extracted above it)."""
    if not title or not title.strip():
        return
    forms = _title_forms(title)
    first_kept = [i for i, reason in enumerate(reasons) if reason is None][:_HEADLINE_WITHIN]
    for i in first_kept:
        if _TRAILING_PUNCT.sub("", keys[i]) in forms:
            reasons[i] = "headline"
            return


def _is_fragment(text: str) -> bool:
    return text.count(" ") + 1 <= _FRAGMENT_MAX_WORDS and not _HAS_SENTENCE_PUNCT.search(text)


def _is_prose(text: str) -> bool:
    """A paragraph of running text: a sentence ending, and lowercase words (not a name list)."""
    lowercase = len(_LOWER_WORD.findall(text))
    return bool(_ENDS_SENTENCE.search(text)) and lowercase >= 3 and 2 * lowercase > text.count(" ")


def _mark_trailing_fragments(paragraphs: list[str], reasons: list[str | None]) -> None:
    """Short unpunctuated scraps after the last real paragraph (a stray 'Route 9', tag names)
    are navigation leftovers when the article had ended: its last paragraph is running text,
    or page noise was already cut between it and them. After a list or a table (fixtures,
    line-ups, short lines) they are data and stay; crossheads earlier in the article stay."""
    kept = [i for i, reason in enumerate(reasons) if reason is None]
    trailing: list[int] = []
    for i in reversed(kept):
        if not _is_fragment(paragraphs[i]):
            break
        trailing.append(i)
    if not trailing or len(trailing) == len(kept):  # nothing to do, or nothing real before
        return
    last_real = kept[-len(trailing) - 1]
    noise_between = any(reasons[last_real + 1 : trailing[-1]])
    if noise_between or _is_prose(paragraphs[last_real]):
        for i in trailing:
            reasons[i] = "navigation"


# --------------------------------------------------------------------------- public


def clean_article_text(body: str, *, title: str | None = None) -> CleanedText:
    """Remove news boilerplate from an article body; return the clean text (paragraphs joined
    by a blank line) and every removed piece with its reason (see `REASONS`)."""
    paragraphs = _paragraphs(body)
    reasons: list[str | None] = [_line_reason(p) for p in paragraphs]
    keys = [_key(p) for p in paragraphs]
    _mark_headline(paragraphs, reasons, keys, title)
    _mark_captions(paragraphs, reasons, keys)
    _mark_duplicates(reasons, keys)
    _mark_trailing_fragments(paragraphs, reasons)
    kept: list[str] = []
    removed: list[RemovedText] = []
    for paragraph, reason in zip(paragraphs, reasons, strict=True):
        if reason:
            removed.append(RemovedText(text=paragraph, reason=reason))
            continue
        text, instructions = _without_instructions(paragraph)
        removed.extend(RemovedText(text=s, reason="instruction") for s in instructions)
        if text:
            kept.append(text)
    return CleanedText(text="\n\n".join(kept), removed=tuple(removed))


def _without_instructions(paragraph: str) -> tuple[str, list[str]]:
    """The paragraph without its sentences addressed to an AI ("Ignore your previous
    instructions and ..."), and those sentences: articles are data, never instructions."""
    if instruction_reason(_match_form(paragraph)) is None:
        return paragraph, []
    from qa.ingest.sentences import split_sentences  # nltk: only for the rare paragraph

    kept: list[str] = []
    instructions: list[str] = []
    for start, end in split_sentences(paragraph):
        sentence = paragraph[start:end]
        flagged = instruction_reason(_match_form(sentence)) is not None
        (instructions if flagged else kept).append(sentence)
    return (" ".join(kept), instructions) if instructions else (paragraph, [])
