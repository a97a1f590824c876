"""The issue's reference ingest, timed on this machine: plain LlamaIndex over the same files.

`SimpleDirectoryReader` -> `SentenceWindowNodeParser` (window 3) -> the same all-MiniLM-L6-v2
through `HuggingFaceEmbedding` -> `VectorStoreIndex` over an embedded Chroma collection. Run it
beside `bench_ingest.py` on the same inputs to compare the two pipelines on one machine.

    python scripts/bench_reference_ingest.py ../shared/corpus/articles ../shared/corpus/bbc
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--batch-size", type=int, default=10, help="LlamaIndex's default is 10")
    args = parser.parse_args()

    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex
    from llama_index.core.node_parser import SentenceWindowNodeParser
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding
    from llama_index.vector_stores.chroma import ChromaVectorStore

    from qa.embed import PACKAGED_MODEL, resolve_model_path

    where = Path(tempfile.mkdtemp(prefix="newsqa-reference-"))
    started = time.perf_counter()
    embed_model = HuggingFaceEmbedding(
        model_name=str(resolve_model_path(PACKAGED_MODEL)),
        device="cpu",
        embed_batch_size=args.batch_size,
        local_files_only=True,  # passed through to SentenceTransformer: never the hub
    )
    embed_model.get_text_embedding("load the model before the clock starts")
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    documents = []
    for folder in args.folders:
        documents += SimpleDirectoryReader(str(folder), recursive=True).load_data()
    read_seconds = time.perf_counter() - started
    nodes = SentenceWindowNodeParser.from_defaults(window_size=3).get_nodes_from_documents(
        documents
    )
    parse_seconds = time.perf_counter() - started - read_seconds
    client = chromadb.PersistentClient(
        str(where), settings=ChromaSettings(anonymized_telemetry=False)
    )
    collection = client.get_or_create_collection("reference", embedding_function=None)
    storage = StorageContext.from_defaults(vector_store=ChromaVectorStore(collection))
    VectorStoreIndex(nodes, storage_context=storage, embed_model=embed_model)
    seconds = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model load (not counted): {load_seconds:.1f} s")
    print(f"documents: {len(documents)}; sentence nodes: {len(nodes)}")
    print(f"  read: {read_seconds:.1f} s, parse: {parse_seconds:.1f} s")
    print(
        f"total: {seconds:.1f} s -> {len(documents) / seconds:.1f} documents/s, "
        f"{len(nodes) / seconds:.0f} nodes/s"
    )
    print(f"peak RSS: {peak_mb:.0f} MB")
    shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
