"""The one time format of every table in the index's file, whichever module keeps the table."""

from __future__ import annotations

from datetime import UTC, datetime


def timestamp() -> str:
    """Now, as every table in the index's file records it: UTC, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")
