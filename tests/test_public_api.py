"""The public namespace: every name in `qa.__all__` imports, the list is sorted, and importing
`qa` does not pull in the ingest pipeline (as httpx tests its own `__all__`)."""

from __future__ import annotations

import subprocess
import sys

import qa


def test_every_public_name_imports() -> None:
    namespace: dict[str, object] = {}
    exec("from qa import *", namespace)  # noqa: S102 - the star import is what is under test
    assert set(qa.__all__) <= set(namespace)
    for name in qa.__all__:
        assert getattr(qa, name) is namespace[name]


def test_the_public_list_is_sorted_and_has_no_duplicates() -> None:
    assert qa.__all__ == sorted(qa.__all__)
    assert len(set(qa.__all__)) == len(qa.__all__)


def test_importing_qa_stays_light() -> None:
    heavy = "('qa.ingest', 'torch', 'chromadb', 'llama_index')"
    code = f"import sys, qa; print(sorted(m for m in sys.modules if m.startswith({heavy})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
