import codecs

import pytest

from qa.errors import InputError
from qa.ingest.decode import decode_text

TEXT = "Café owners in Port Élara said “the water came fast” — £2.5m lost."


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        TEXT.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1252"],
)
def test_decodes_common_news_encodings(data: bytes) -> None:
    assert decode_text(data, "a.txt").lstrip("\ufeff") == TEXT


def test_latin1_only_bytes_decode() -> None:
    assert decode_text("Müller: 5°C".encode("latin-1"), "a.txt") == "Müller: 5°C"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (bytes(range(256)) * 40, "binary"),
    ],
)
def test_unreadable_bytes_name_the_input(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        decode_text(data, "photo.txt")
    assert str(caught.value).startswith("photo.txt: ")
