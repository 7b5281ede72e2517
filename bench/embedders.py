"""Benchmark the memory embedders: what one embedding costs, as a diagnosis pays it once.

Embeds the texts of synthetic memories (the generator of `bench/memory.py`, the real
`memory_text`) with every embedder of `memory.core.embeddings.EMBEDDER_NAMES` that this
environment can build: the default `hashing` always; `sentence-transformers` only where the
extra of `requirements-semantic.txt` is installed (otherwise the result says why not). Times one
`embed` per text after a warm-up, in one thread as a request runs it, and writes
bench/results/embedders.json. Needs no database.

    .venv/bin/python bench/embedders.py [--texts 500]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from pathlib import Path

from common import RESULTS_DIR, percentiles, result_header

RESULTS = RESULTS_DIR / "embedders.json"
WARMUP = 20
SEED = 2026


def texts(count: int) -> list[str]:
    # bench/memory.py by path: as `memory` the import would find the app of that name.
    spec = importlib.util.spec_from_file_location(
        "bench_memory", Path(__file__).with_name("memory.py")
    )
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator
    spec.loader.exec_module(generator)
    rnd = random.Random(SEED)
    return [generator.memory_text_of(generator.draw_memory(rnd, "python")) for _ in range(count)]


def bench_embedder(name: str, corpus: list[str]) -> dict[str, object]:
    from memory.core.embeddings import EmbedderUnavailableError, embedder_from_name

    started = time.perf_counter()
    try:
        embedder = embedder_from_name(name)
    except EmbedderUnavailableError as error:
        return {"available": False, "reason": str(error)}
    load_s = time.perf_counter() - started
    for text in corpus[:WARMUP]:
        embedder.embed(text)
    samples = []
    for text in corpus:
        begin = time.perf_counter()
        embedder.embed(text)
        samples.append((time.perf_counter() - begin) * 1000)
    return {
        "available": True,
        "embedder": embedder.name,
        "dimension": embedder.dimension,
        "load_s": round(load_s, 2),
        "embed": percentiles(samples),
    }


def main() -> None:
    from memory.core.embeddings import EMBEDDER_NAMES

    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--texts", type=int, default=500, help="measured texts per embedder")
    args = parser.parse_args()
    corpus = texts(args.texts)
    document = {
        **result_header("embedders", database=False),
        "texts": len(corpus),
        "mean_text_chars": round(sum(map(len, corpus)) / len(corpus), 1),
        "embedders": {name: bench_embedder(name, corpus) for name in EMBEDDER_NAMES},
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(json.dumps(document["embedders"], indent=2))


if __name__ == "__main__":
    main()
