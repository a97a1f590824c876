"""Sentence segmentation of news text (all text here is fictional)."""

from __future__ import annotations

import random

import pytest

from qa.ingest.sentences import split_sentences

# (id, text, expected sentences)
CASES: list[tuple[str, str, list[str]]] = [
    # --- abbreviations mid-sentence
    (
        "titles-and-country",
        "Mr. Smith met Gen. Okonjo in the U.S. capital.",
        ["Mr. Smith met Gen. Okonjo in the U.S. capital."],
    ),
    (
        "mrs-dr",
        "Mrs. Alvarez and Dr. Chen arrived late. They spoke briefly.",
        ["Mrs. Alvarez and Dr. Chen arrived late.", "They spoke briefly."],
    ),
    (
        "military-ranks",
        "Prof. Lindqvist, Col. Haddad and Lt. Brandt attended. Sgt. Moreau and Capt. Iyer did not.",
        [
            "Prof. Lindqvist, Col. Haddad and Lt. Brandt attended.",
            "Sgt. Moreau and Capt. Iyer did not.",
        ],
    ),
    (
        "gov-sen-rep",
        "Gov. Tamsin Hale and Sen. Ruiz disagreed with Rep. Obi on the bill.",
        ["Gov. Tamsin Hale and Sen. Ruiz disagreed with Rep. Obi on the bill."],
    ),
    (
        "ms",
        "Ms. Varga, the finance minister, resigned on Friday.",
        ["Ms. Varga, the finance minister, resigned on Friday."],
    ),
    (
        "saint-street",
        "The march went down St. Mark's Avenue. Police watched.",
        ["The march went down St. Mark's Avenue.", "Police watched."],
    ),
    (
        "jr-sr",
        "Arthur Penhallow Jr. and Dana Penhallow Sr. founded the mill in 1961.",
        ["Arthur Penhallow Jr. and Dana Penhallow Sr. founded the mill in 1961."],
    ),
    (
        "company-suffixes",
        "Brightwater Inc. bought Calder Corp. and Harlow Ltd. from Fenwick & Co. last year.",
        ["Brightwater Inc. bought Calder Corp. and Harlow Ltd. from Fenwick & Co. last year."],
    ),
    (
        "number-sign",
        "The ferry, No. 7 in the fleet, sank near the harbour. Nobody died.",
        ["The ferry, No. 7 in the fleet, sank near the harbour.", "Nobody died."],
    ),
    (
        "number-sign-start",
        "No. 10 said the talks would go on.",
        ["No. 10 said the talks would go on."],
    ),
    (
        "answer-no",
        "Asked whether he would resign, he said no. Officials declined to comment.",
        ["Asked whether he would resign, he said no.", "Officials declined to comment."],
    ),
    (
        "versus",
        "It will be Valdoria vs. Ostrava in the final on Sunday.",
        ["It will be Valdoria vs. Ostrava in the final on Sunday."],
    ),
    (
        "etc-mid",
        "Stalls sold apples, pears, etc. to passing traders.",
        ["Stalls sold apples, pears, etc. to passing traders."],
    ),
    (
        "etc-end",
        "Stalls sold apples, pears, etc. The market closed at noon.",
        ["Stalls sold apples, pears, etc.", "The market closed at noon."],
    ),
    (
        "un-uk",
        "The U.N. envoy and U.K. officials met in Geneva.",
        ["The U.N. envoy and U.K. officials met in Geneva."],
    ),
    (
        "us-before-name",
        "The U.S. Senate passed the bill after U.S. President Dara Kell signed off.",
        ["The U.S. Senate passed the bill after U.S. President Dara Kell signed off."],
    ),
    (
        "us-ends-sentence",
        "He moved to the U.S. The move was sudden.",
        ["He moved to the U.S.", "The move was sudden."],
    ),
    (
        "us-ends-sentence-pronoun",
        "She studied in the U.K. She returned in 2019.",
        ["She studied in the U.K.", "She returned in 2019."],
    ),
    (
        "inc-ends-sentence",
        "He joined Brightwater Inc. The company declined to comment.",
        ["He joined Brightwater Inc.", "The company declined to comment."],
    ),
    (
        "months",
        "The vote moved from Jan. 5, 2026, to Feb. 9 and then to Aug. 30.",
        ["The vote moved from Jan. 5, 2026, to Feb. 9 and then to Aug. 30."],
    ),
    (
        "months-late",
        "Talks ran from Sept. 3 to Oct. 14; a deal came on Nov. 2 and was signed on Dec. 24.",
        ["Talks ran from Sept. 3 to Oct. 14; a deal came on Nov. 2 and was signed on Dec. 24."],
    ),
    (
        "am-pm",
        "The blast happened at 9 a.m. on Monday and power returned by 4 p.m. on Tuesday.",
        ["The blast happened at 9 a.m. on Monday and power returned by 4 p.m. on Tuesday."],
    ),
    (
        "consecutive-titles",
        "Lt. Col. Haddad and the Rev. Mara Okafor spoke at the funeral.",
        ["Lt. Col. Haddad and the Rev. Mara Okafor spoke at the funeral."],
    ),
    (
        "eg-ie",
        "Some states, e.g. Ostrava, refused. Others, i.e. the rest, agreed.",
        ["Some states, e.g. Ostrava, refused.", "Others, i.e. the rest, agreed."],
    ),
    (
        "possessive-abbreviation",
        "The U.S.'s allies objected. The U.K.'s did not.",
        ["The U.S.'s allies objected.", "The U.K.'s did not."],
    ),
    (
        "company-comma",
        "The company, Brightwater Corp., said it would appeal.",
        ["The company, Brightwater Corp., said it would appeal."],
    ),
    (
        "state-abbreviation",
        "Sen. Ruiz (D-Calif.) voted no. The bill failed.",
        ["Sen. Ruiz (D-Calif.) voted no.", "The bill failed."],
    ),
    (
        "street-ends-sentence",
        "The office is on Elm St. The rent is high.",
        ["The office is on Elm St.", "The rent is high."],
    ),
    (
        "pm-ends-sentence",
        "The polls closed at 8 p.m. They reopen on Sunday.",
        ["The polls closed at 8 p.m.", "They reopen on Sunday."],
    ),
    (
        "degree-and-saint",
        "She earned a Ph.D. in chemistry. Then she moved to St. Augusta.",
        ["She earned a Ph.D. in chemistry.", "Then she moved to St. Augusta."],
    ),
    (
        "list-number",
        "1. The first point is cost.",
        ["1. The first point is cost."],
    ),
    (
        "web-address",
        "Details are at www.example.org. Then call the hotline.",
        ["Details are at www.example.org.", "Then call the hotline."],
    ),
    # --- initials
    (
        "initials-spaced",
        "J. K. Rowling said the book was finished.",
        ["J. K. Rowling said the book was finished."],
    ),
    (
        "middle-initial",
        "George W. Bush visited the plant. Workers cheered.",
        ["George W. Bush visited the plant.", "Workers cheered."],
    ),
    (
        "initial-first",
        "A. Mensah scored twice for the visitors.",
        ["A. Mensah scored twice for the visitors."],
    ),
    (
        "initials-after-title",
        "Dr. E. M. Forsythe led the inquiry.",
        ["Dr. E. M. Forsythe led the inquiry."],
    ),
    # --- numbers and currency
    (
        "currency-bn",
        "Profits rose to $1.13bn in the quarter. Sales fell 3.5% over the year.",
        ["Profits rose to $1.13bn in the quarter.", "Sales fell 3.5% over the year."],
    ),
    (
        "pounds-version",
        "The club paid £600m for the ground. Version 2.0 of its app costs €4.99 a month.",
        ["The club paid £600m for the ground.", "Version 2.0 of its app costs €4.99 a month."],
    ),
    (
        "number-ends-sentence",
        "The death toll rose to 12. Rescuers kept searching.",
        ["The death toll rose to 12.", "Rescuers kept searching."],
    ),
    (
        "per-cent-end",
        "Shares in the lender rose 4.2 per cent. Analysts had expected a fall.",
        ["Shares in the lender rose 4.2 per cent.", "Analysts had expected a fall."],
    ),
    # --- quotes
    (
        "quote-never-closed-splits-as-usual",
        'A "scare quote opens. And never closes. Third sentence here.',
        ['A "scare quote opens.', "And never closes.", "Third sentence here."],
    ),
    (
        "quote-two-sentences-said",
        '"We will not back down. Our soldiers acted in self-defence," said Gen. Mara Okonjo.',
        # A quotation stays whole with its speaker: a citation never starts mid-quote.
        ['"We will not back down. Our soldiers acted in self-defence," said Gen. Mara Okonjo.'],
    ),
    (
        "quote-comma-he-said",
        '"We are ready," he said. "We have always been ready."',
        ['"We are ready," he said.', '"We have always been ready."'],
    ),
    (
        "quote-question-he-asked",
        '"Is this the end?" he asked. Nobody answered.',
        ['"Is this the end?" he asked.', "Nobody answered."],
    ),
    (
        "quote-exclamation",
        '"Stop!" she shouted, and the crowd fell silent.',
        ['"Stop!" she shouted, and the crowd fell silent.'],
    ),
    (
        "quote-exclamation-comma",
        '"We won!", the captain said. Fans poured onto the pitch.',
        ['"We won!", the captain said.', "Fans poured onto the pitch."],
    ),
    (
        "quote-question-asked-name",
        '"Why now?" asked Ms. Tan. "Because the money ran out."',
        ['"Why now?" asked Ms. Tan.', '"Because the money ran out."'],
    ),
    (
        "colon-quote",
        'He said: "The talks failed." Then he left.',
        ['He said: "The talks failed."', "Then he left."],
    ),
    (
        "quote-then-sentence",
        '"The harvest failed." The minister said nothing more.',
        ['"The harvest failed."', "The minister said nothing more."],
    ),
    (
        "curly-double",
        "“We will rebuild,” the mayor said. “It will take years.”",
        ["“We will rebuild,” the mayor said.", "“It will take years.”"],
    ),
    (
        "curly-double-two-sentences",
        "“The bridge is closed. Use the ferry,” the council said.",
        ["“The bridge is closed. Use the ferry,” the council said."],
    ),
    (
        "curly-question",
        "“Who will pay?” asked one resident. “Not us.”",
        ["“Who will pay?” asked one resident.", "“Not us.”"],
    ),
    (
        "curly-single",
        "‘It is over,’ she said. ‘We lost.’ Then she walked away.",
        ["‘It is over,’ she said.", "‘We lost.’", "Then she walked away."],
    ),
    (
        "quote-full-stop-lowercase",
        '"The vote was fair." he insisted.',
        ['"The vote was fair." he insisted.'],
    ),
    (
        "single-quoted-title",
        "The film 'Night Harbour' won. Its director wept.",
        ["The film 'Night Harbour' won.", "Its director wept."],
    ),
    (
        "scare-quote-end",
        'The minister called the plan "final." Critics disagreed.',
        ['The minister called the plan "final."', "Critics disagreed."],
    ),
    (
        "title-before-lowercase-word-name",
        'The plan "makes no sense at all," Mr. Wells said. Dr. Rivers and Ms. Tan agreed.',
        ['The plan "makes no sense at all," Mr. Wells said.', "Dr. Rivers and Ms. Tan agreed."],
    ),
    (
        "surname-like-title",
        "The award went to Priya Sen. The economist thanked her staff.",
        ["The award went to Priya Sen.", "The economist thanked her staff."],
    ),
    (
        "attribution-name-after-question",
        '"Why now?" Okafor asked Lindqvist. Nobody replied.',
        ['"Why now?" Okafor asked Lindqvist.', "Nobody replied."],
    ),
    (
        "attribution-with-clause",
        "“Who pays?” Mayor Hale asked, pointing at the ledger.",
        ["“Who pays?” Mayor Hale asked, pointing at the ledger."],
    ),
    (
        "attribution-after-full-stop-quote",
        '"We are done. It is over." Gen. Okonjo said.',
        ['"We are done. It is over." Gen. Okonjo said.'],
    ),
    (
        "attribution-colon-opens-new-quote",
        '"It works." Okafor added: "Nobody expected that."',
        ['"It works."', 'Okafor added: "Nobody expected that."'],
    ),
    (
        "not-attribution",
        '"We won." Hale said nothing more.',
        ['"We won."', "Hale said nothing more."],
    ),
    (
        "quote-question-dash",
        '"Can we stop it?" — the question hung over the meeting.',
        ['"Can we stop it?" — the question hung over the meeting.'],
    ),
    (
        "question-mid-sentence-quote-comma",
        'Asked "why now?", the minister shrugged.',
        ['Asked "why now?", the minister shrugged.'],
    ),
    (
        "two-quotes",
        '"Are you sure?" "Yes," she said.',
        ['"Are you sure?"', '"Yes," she said.'],
    ),
    (
        "colon-quote-question",
        'He asked: "What now?" Then he sat down.',
        ['He asked: "What now?"', "Then he sat down."],
    ),
    # --- ellipses
    (
        "ellipsis-in-quote",
        '"We urge all sides to exercise restraint ... and address the grievances," the envoy said.',
        [
            '"We urge all sides to exercise restraint ... and address the grievances,"'
            " the envoy said."
        ],
    ),
    (
        "ellipsis-no-space",
        '"We waited and waited... and nobody came," she said.',
        ['"We waited and waited... and nobody came," she said.'],
    ),
    (
        "ellipsis-then-sentence",
        "He paused... Then he spoke.",
        ["He paused...", "Then he spoke."],
    ),
    (
        "ellipsis-char",
        "He hesitated… and then signed the letter.",
        ["He hesitated… and then signed the letter."],
    ),
    # --- datelines
    (
        "dateline-em-dash",
        "WASHINGTON — The president said on Tuesday that talks would resume. Aides agreed.",
        ["WASHINGTON — The president said on Tuesday that talks would resume.", "Aides agreed."],
    ),
    (
        "dateline-agency",
        "PORT ELARA, Valdoria (GWS) — Officials said the port would reopen. Ships waited.",
        ["PORT ELARA, Valdoria (GWS) — Officials said the port would reopen.", "Ships waited."],
    ),
    (
        "dateline-double-hyphen",
        "NORTH VALE, Ostrava (GWS) -- Floods cut the town off on Friday.",
        ["NORTH VALE, Ostrava (GWS) -- Floods cut the town off on Friday."],
    ),
    (
        "dateline-with-abbreviation",
        "ST. AUGUSTA, Fla. — The storm weakened overnight.",
        ["ST. AUGUSTA, Fla. — The storm weakened overnight."],
    ),
    (
        "dateline-dc",
        "WASHINGTON, D.C. (GWS) — Sen. Ruiz spoke first.",
        ["WASHINGTON, D.C. (GWS) — Sen. Ruiz spoke first."],
    ),
    (
        "dateline-with-date",
        "LONDON, Jan. 5 (GWS) — Talks resumed on Monday. Both sides attended.",
        ["LONDON, Jan. 5 (GWS) — Talks resumed on Monday.", "Both sides attended."],
    ),
    # --- question and exclamation marks
    (
        "question-exclamation",
        "Who pays? The taxpayer does. It worked! Everyone cheered.",
        ["Who pays?", "The taxpayer does.", "It worked!", "Everyone cheered."],
    ),
    (
        "repeated-marks",
        "Really?! The board agreed. Nobody expected that!!! Shares jumped.",
        ["Really?!", "The board agreed.", "Nobody expected that!!!", "Shares jumped."],
    ),
    (
        "brand-exclamation",
        "Shares in Yahoo! fell on Monday.",
        ["Shares in Yahoo! fell on Monday."],
    ),
    # --- brackets
    (
        "parenthesis-sentence",
        "(The report was later withdrawn.) Officials declined to comment.",
        ["(The report was later withdrawn.)", "Officials declined to comment."],
    ),
    (
        "parenthesis-abbreviation",
        "The fund (managed by Calder Corp.) lost money.",
        ["The fund (managed by Calder Corp.) lost money."],
    ),
    # --- lines, headlines, whitespace
    (
        "headline-then-body",
        "Storm batters coast\nResidents fled as the river rose. Schools closed.",
        ["Storm batters coast", "Residents fled as the river rose.", "Schools closed."],
    ),
    (
        "crosshead-blank-lines",
        "The rescue\n\nFirefighters worked through the night.\n\nWhat next\n\nNobody knows.",
        ["The rescue", "Firefighters worked through the night.", "What next", "Nobody knows."],
    ),
    (
        "line-break-mid-sentence",
        "The minister said\nthat the talks failed.",
        ["The minister said", "that the talks failed."],
    ),
    (
        "crlf",
        "Harbour reopens\r\nShips returned on Monday. Trade resumed.\r\n",
        ["Harbour reopens", "Ships returned on Monday.", "Trade resumed."],
    ),
    (
        "surrounding-whitespace",
        "   Leading and trailing spaces are dropped.   \t",
        ["Leading and trailing spaces are dropped."],
    ),
    (
        "double-space-between",
        "First sentence here.  Second one here.\tThird one.",
        ["First sentence here.", "Second one here.", "Third one."],
    ),
    (
        "no-final-punctuation",
        "Officials said the bridge would reopen. No date was given",
        ["Officials said the bridge would reopen.", "No date was given"],
    ),
    ("only-punctuation-line", "***", ["***"]),
    ("empty", "", []),
    ("blank-lines", "\n \n\t\n", []),
    (
        "unicode",
        "Café owners in Zürich protested. Prices rose 10%.",
        ["Café owners in Zürich protested.", "Prices rose 10%."],
    ),
    (
        "non-breaking-space",
        "\u00a0Talks resumed.\u00a0Both sides attended.\u00a0",
        ["Talks resumed.", "Both sides attended."],
    ),
]


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in CASES], ids=[i for i, _, _ in CASES]
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


ALL_TEXTS = [text for _, text, _ in CASES] + ["\n\n".join(text for _, text, _ in CASES)]
LINE_BREAKS = ("\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\x85")


def _check_spans(text: str) -> None:
    """Spans in order, non-overlapping, non-empty, stripped, covering every non-space character."""
    spans = split_sentences(text)
    position = 0
    covered = [False] * len(text)
    for start, end in spans:
        assert position <= start < end <= len(text)
        sentence = text[start:end]
        assert sentence == sentence.strip()
        covered[start:end] = [True] * (end - start)
        position = end
    assert all(covered[i] or char.isspace() for i, char in enumerate(text))


@pytest.mark.parametrize("text", ALL_TEXTS, ids=[f"case{i}" for i in range(len(ALL_TEXTS))])
def test_spans_are_ordered_stripped_and_cover_the_text(text: str) -> None:
    _check_spans(text)


def test_spans_hold_on_random_punctuation_soup() -> None:
    pieces = [
        "a", "Word", "U.S.", "Mr.", "No.", "1.", "(2)", "3.5", " ", "  ", ".", "?", "!", "...",
        "…", '"', "'", "“", "”", "‘", "’", ",", ";", ":", "(", ")", "—", "-", "\n", "\t", "\u00a0",
        "he said", "Okafor asked", " The", " she",
    ]  # fmt: skip
    rng = random.Random(20260105)
    for _ in range(500):
        _check_spans("".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))))


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=[repr(b) for b in LINE_BREAKS])
def test_sentences_never_cross_a_line_break(line_break: str) -> None:
    text = line_break.join(text for _, text, _ in CASES)
    expected = [sentence for _, _, sentences in CASES for sentence in sentences]
    assert _sentences(text) == expected
    _check_spans(text)


def test_offsets_are_into_the_original_text() -> None:
    text = "  Headline here\n\n   One. Two?  Three!\n"
    assert split_sentences(text) == [(2, 15), (20, 24), (25, 29), (31, 37)]


def test_a_long_article_keeps_every_paragraph_apart() -> None:
    paragraph = 'Mr. Okafor said the U.S. plan "will fail." Officials disagreed. Why? Nobody knows.'
    text = "Harbour plan collapses\n\n" + "\n\n".join([paragraph] * 200)
    sentences = _sentences(text)
    assert sentences[0] == "Harbour plan collapses"
    assert sentences[1:5] == [
        'Mr. Okafor said the U.S. plan "will fail."',
        "Officials disagreed.",
        "Why?",
        "Nobody knows.",
    ]
    assert len(sentences) == 1 + 4 * 200
