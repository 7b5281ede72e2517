"""Benchmark memory retrieval at scale: the HNSW build, learner-scoped and global top-5, recall.

Loads N synthetic memories (100,000 by default; `--n 1000000` for the 1M target) into a dedicated
`mim_bench_memory` database (their vectors in the learner table and, as the indexing task would
have left them, in the global search table), rebuilds both vector indexes exactly as the models
declare them, and measures with the real selectors and services of `memory/`:

- **learner-scoped top-5** (`memories_nearest_for_learner`, the diagnosis path's retrieval): p50 /
  p99 separately for typical learners (tens of memories) and heavy ones (~1,000), and recall@5
  against NumPy brute force over that learner's unexpired vectors (it is exact, so 1.0 is
  expected);
- **retrieve-and-boost** (`memories_retrieve_and_boost`: the selector plus the boost UPDATE);
- **store** (`memory_candidate_store` of one new memory at size N: row, learner vector and search
  queue entry, as the diagnosis request writes them; no HNSW insertion);
- **index** (`memories_index_for_search` over the memories the store series queued: the HNSW
  insertion at size N, off the request path), per memory;
- **global top-5** (`memories_search`, HNSW with iterative scan) at several `ef_search` values:
  p50 / p99 and recall@5 against NumPy brute force over all N vectors (cross-checked against
  the same SQL with `enable_indexscan = off` on a few queries), and the chosen `ef_search`: the
  smallest tested value with recall@5 ≥ 0.95 and p99 ≤ 20 ms;
- the build time of both vector indexes (HNSW, and the learner b-tree that carries the vectors
  for index-only learner-scoped retrieval), the load time per phase, table and index sizes,
  and one `EXPLAIN (ANALYZE, BUFFERS)` plan of each path.

Data (seeded, deterministic): memory texts from `memory_text` over the real taxonomy, languages,
1–3 problem tags, 0–3 code-signal tokens (the code-signal finding kinds, biased towards those of
the subtype) and, for half of the memories, 1–5 identifiers; embedded with `HashingEmbedder`, so
repeated texts give identical vectors as in production. Learners are skewed: 10 % of the memories
belong to heavy learners (800–1,200 each), the rest to typical ones (log-normal, median 30).
Query texts are new draws of the same generator, never stored vectors. All times exclude
embedding the query and a warm-up of the first queries of each series.

Results go to bench/results/memory.json under `runs["<N>"]`, so runs of other sizes are kept.

    .venv/bin/python bench/memory.py [--n 100000] [--queries 500] [--reuse]

`--reuse` keeps an already loaded database of the same N (checked against the regenerated
vectors) and skips loading and the index builds (their earlier numbers are carried over).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
from common import RESULTS_DIR, database_kind, machine, percentiles, prepare_database

RESULTS = RESULTS_DIR / "memory.json"
BENCH_DB = "mim_bench_memory"
SEED = 2026
# Every timestamp is relative to a fixed "now", so data, expiry and queries are reproducible.
NOW = datetime(2026, 6, 1, tzinfo=UTC)
K = 5
WARMUP = 50
EF_SEARCH_VALUES = (40, 64, 100, 200, 400)
# A returned item counts as correct if its exact distance is within this of the k-th exact
# distance: identical texts give identical vectors, so the k-th place is often shared.
TIE_TOLERANCE = 1e-6
EXACT_SQL_QUERIES = 10

HEAVY_SHARE = 0.10
HEAVY_SIZE = (800, 1200)
TYPICAL_MEDIAN = 30
TYPICAL_SIGMA = 0.9
TYPICAL_MAX = 400
# Expiry deletes daily, so only the last day's expired memories are still in the table.
EXPIRED_SHARE = 0.02
IDENTIFIER_SHARE = 0.5

# Index build settings for a 2-core, 24 GiB machine: the 1M-vector graph (~2.3 GB in memory)
# must fit in maintenance_work_mem or pgvector falls back to a much slower on-disk build; one
# parallel worker plus the leader uses both cores.
MAINTENANCE_WORK_MEM = "4GB"
PARALLEL_MAINTENANCE_WORKERS = 1

TARGETS = {
    "stated_for_n": 1_000_000,
    "learner_top5_p99_ms": 5.0,
    "learner_recall_at_5": 1.0,
    "global_top5_p99_ms": 20.0,
    "global_recall_at_5": 0.95,
}

LANGUAGES = (("python", 0.45), ("cpp", 0.25), ("java", 0.15), ("javascript", 0.15))
ROOT_CAUSE_WEIGHTS = {
    "correctness": 0.40,
    "efficiency": 0.25,
    "implementation": 0.20,
    "understanding_gap": 0.15,
}
# Problem families: primary tag first (the category), then tags that come with it.
TAG_FAMILIES = (
    ("arrays", "prefix_sum", "implementation"),
    ("strings", "implementation", "hashing"),
    ("sorting", "greedy", "two_pointers"),
    ("binary_search", "sorting", "math"),
    ("dp", "recursion", "memoization"),
    ("graphs", "bfs", "dfs", "shortest_paths"),
    ("hashing", "counting", "strings"),
    ("math", "number_theory", "combinatorics"),
    ("two_pointers", "sliding_window", "arrays"),
    ("data_structures", "queries", "segment_tree", "stack"),
    ("trees", "dfs", "recursion", "binary_tree"),
    ("greedy", "sorting", "intervals"),
    ("bit_manipulation", "math"),
    ("geometry", "math", "implementation"),
)
# Code-signal finding kinds a subtype's code tends to show (the rest appear as noise).
SUBTYPE_SIGNALS = {
    "off_by_one": ("off_by_one", "boundary_risk"),
    "boundary_condition": ("boundary_risk", "off_by_one"),
    "comparison_error": ("boundary_risk",),
    "wrong_invariant": ("mutation_risk", "nested_loop"),
    "partial_case_handling": ("boundary_risk", "null_risk"),
    "wrong_complexity": ("nested_loop", "inefficiency"),
    "suboptimal_data_structure": ("inefficiency",),
    "redundant_operations": ("inefficiency", "nested_loop"),
    "missing_memoization": ("recursion", "memoization"),
    "null_reference": ("null_risk",),
    "type_mismatch": ("type_risk", "overflow_risk"),
    "state_mutation": ("mutation_risk",),
    "resource_leak": ("resource_risk",),
    "misread_constraints": ("overflow_risk", "inefficiency"),
    "wrong_problem_entirely": (),
    "missing_requirements": ("boundary_risk",),
}
SIGNAL_DETAILS = {
    "off_by_one": "loop bound range(len(arr) - 1)",
    "boundary_risk": "index i + 1 at the end of the array",
    "inefficiency": "list.index inside a loop",
    "overflow_risk": "product of two int values",
    "nested_loop": "nested loops over the same input",
    "recursion": "recursive call without a base case check",
    "memoization": "repeated subproblem without a cache",
    "null_risk": "dictionary get may return None",
    "type_risk": "string compared with a number",
    "mutation_risk": "list modified while iterating",
    "resource_risk": "file opened and never closed",
    "syntax_error": "unbalanced bracket",
}
IDENTIFIERS = (
    "i", "j", "k", "n", "m", "x", "y", "a", "b", "arr", "nums", "values", "grid", "matrix",
    "dp", "memo", "cache", "ans", "res", "result", "total", "count", "cnt", "best", "cur",
    "prev", "left", "right", "lo", "hi", "mid", "start", "end", "idx", "pos", "seen",
    "visited", "queue", "stack", "heap", "graph", "adj", "edges", "dist", "parent", "root",
    "node", "child", "freq", "counter", "window", "prefix", "suffix", "maxValue", "minValue",
    "sumSoFar", "isValid", "target", "limit", "word", "chars", "line", "tokens", "helper",
    "solve", "dfs", "bfs", "check", "readInts", "max_len", "min_cost", "num_ways",
)  # fmt: skip


@dataclass
class Dataset:
    """The N synthetic memories in id order (row i has id i + 1), and their learners."""

    n: int
    learner_names: list[str]
    learner_sizes: npt.NDArray[np.int64]
    heavy: npt.NDArray[np.bool_]
    learner_of: npt.NDArray[np.int64]
    rows: list[dict[str, Any]]
    vectors: npt.NDArray[np.float32]
    expires_at: npt.NDArray[np.float64]  # POSIX seconds
    distinct_texts: int
    rows_of_learner: list[npt.NDArray[np.int64]] = field(default_factory=list)


@dataclass(frozen=True)
class Query:
    user_id: str
    learner: int
    fields: dict[str, Any]
    embedding: npt.NDArray[np.float32]


# --------------------------------------------------------------------------------------------
# Synthetic data


def learner_sizes(n: int, rng: np.random.Generator) -> tuple[npt.NDArray[np.int64], int]:
    """Memories per learner, typical learners first; and how many learners are heavy (last)."""
    heavy_total = round(n * HEAVY_SHARE)
    n_heavy = max(1, round(heavy_total / statistics.fmean(HEAVY_SIZE))) if heavy_total else 0
    heavy = rng.integers(HEAVY_SIZE[0], HEAVY_SIZE[1] + 1, n_heavy)
    if n_heavy:
        heavy = np.floor(heavy * heavy_total / heavy.sum()).astype(np.int64)
        heavy[0] += heavy_total - heavy.sum()
    typical_total = n - int(heavy.sum())
    typical: list[int] = []
    remaining = typical_total
    while remaining > 0:
        draws = rng.lognormal(math.log(TYPICAL_MEDIAN), TYPICAL_SIGMA, 4096)
        for size in np.clip(np.rint(draws), 1, TYPICAL_MAX).astype(int):
            take = min(int(size), remaining)
            typical.append(take)
            remaining -= take
            if remaining == 0:
                break
    return np.array([*typical, *heavy.tolist()], dtype=np.int64), n_heavy


@cache
def _quality(confidence: float, recurrence: int, summary_chars: int, has_category: bool) -> Any:
    from memory.core.quality import memory_quality_score

    return memory_quality_score(
        mim_confidence=confidence,
        is_recurring=recurrence >= 2,
        recurrence_count=recurrence,
        summary="x" * summary_chars,
        root_cause="r",
        subtype="s",
        category="c" if has_category else None,
    )


def draw_memory(rnd: random.Random, language: str) -> dict[str, Any]:
    """One stored-quality memory as the diagnosis path would write it (texts, tags, quality)."""
    from diagnosis.core.code_signals import FINDING_KINDS
    from diagnosis.core.taxonomy import SUBTYPES, RootCause

    root = rnd.choices(list(ROOT_CAUSE_WEIGHTS), weights=list(ROOT_CAUSE_WEIGHTS.values()))[0]
    subtypes = SUBTYPES[RootCause(root)]
    # Zipf-like within a root cause: the first subtypes are the common mistakes.
    subtype = rnd.choices(subtypes, weights=[1 / (r + 1) for r in range(len(subtypes))])[0]
    family = rnd.choice(TAG_FAMILIES)
    extra = min(rnd.choice((0, 0, 1, 1, 2)), len(family) - 1)
    tags = [family[0], *rnd.sample(family[1:], extra)]
    signals: list[str] = []
    for _ in range(rnd.choices((0, 1, 2, 3), weights=(25, 40, 25, 10))[0]):
        preferred = SUBTYPE_SIGNALS[subtype]
        kind = rnd.choice(preferred) if preferred and rnd.random() < 0.7 else None
        signals.append(kind or rnd.choice(FINDING_KINDS))
    signals = sorted(set(signals))
    identifiers = (
        rnd.sample(IDENTIFIERS, rnd.randint(1, 5)) if rnd.random() < IDENTIFIER_SHARE else []
    )
    summary = f"{subtype.replace('_', ' ').capitalize()} ({root.replace('_', ' ')}) in {language}"
    if signals:
        summary += f": line {rnd.randint(2, 80)}, {SIGNAL_DETAILS[signals[0]]}"
    while True:
        confidence = round(rnd.betavariate(6, 2), 2)
        recurrence = min(6, int(rnd.expovariate(0.6)) + 1)
        quality = _quality(confidence, recurrence, len(summary), True)
        if quality.stored:
            break
    return {
        "root_cause": root,
        "subtype": subtype,
        "language": language,
        "problem_tags": tags,
        "signal_tokens": signals,
        "identifiers": identifiers,
        "summary": summary,
        "confidence": confidence,
        "recurrence": recurrence,
        "quality_score": quality.score,
        "quality_components": quality.components,
        "ttl_days": quality.ttl_days,
    }


def memory_text_of(fields: dict[str, Any]) -> str:
    from memory.core.embeddings import memory_text

    return memory_text(
        root_cause=fields["root_cause"],
        subtype=fields["subtype"],
        language=fields["language"],
        problem_tags=fields["problem_tags"],
        signal_tokens=fields["signal_tokens"],
        identifiers=fields["identifiers"],
    )


def learner_language(rnd: random.Random, primary: str) -> str:
    """Learners mostly write in one language."""
    if rnd.random() < 0.85:
        return primary
    return rnd.choices([lang for lang, _ in LANGUAGES], weights=[w for _, w in LANGUAGES])[0]


def generate_dataset(n: int, seed: int) -> Dataset:
    """N memories of a skewed learner population, ordered by creation time (id order)."""
    from memory.core.embeddings import EMBEDDING_DIMENSION, HashingEmbedder

    rng = np.random.default_rng(seed)
    rnd = random.Random(seed)
    sizes, n_heavy = learner_sizes(n, rng)
    n_learners = len(sizes)
    names = [f"learner-{i:07d}" for i in range(n_learners)]
    heavy = np.zeros(n_learners, dtype=bool)
    heavy[n_learners - n_heavy :] = True
    primary = rnd.choices(
        [lang for lang, _ in LANGUAGES], weights=[w for _, w in LANGUAGES], k=n_learners
    )
    owner = np.repeat(np.arange(n_learners), sizes)
    drawn = [draw_memory(rnd, learner_language(rnd, primary[int(i)])) for i in owner]
    # Ages: uniform over the memory's lifetime, except the not-yet-purged expired share.
    ages = np.empty(n)
    ttl = np.array([row["ttl_days"] for row in drawn], dtype=np.float64)
    expired = rng.random(n) < EXPIRED_SHARE
    ages[~expired] = rng.random(int((~expired).sum())) * ttl[~expired] * 86_400
    ages[expired] = (ttl[expired] + rng.random(int(expired.sum()))) * 86_400
    order = np.argsort(-ages, kind="stable")  # oldest first: ids grow with creation time
    now_s = NOW.timestamp()
    embedder = HashingEmbedder()
    vectors = np.empty((n, EMBEDDING_DIMENSION), dtype=np.float32)
    cache: dict[str, npt.NDArray[np.float32]] = {}
    rows = []
    for position, index in enumerate(order):
        row = drawn[index]
        text = memory_text_of(row)
        vector = cache.get(text)
        if vector is None:
            vector = cache[text] = embedder.embed(text)
        vectors[position] = vector
        row["created_at"] = now_s - ages[index]
        row["expires_at"] = row["created_at"] + row["ttl_days"] * 86_400
        rows.append(row)
    learner_of = owner[order]
    dataset = Dataset(
        n=n,
        learner_names=names,
        learner_sizes=sizes,
        heavy=heavy,
        learner_of=learner_of,
        rows=rows,
        vectors=vectors,
        expires_at=np.array([row["expires_at"] for row in rows]),
        distinct_texts=len(cache),
    )
    grouped = np.argsort(learner_of, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(learner_of, minlength=n_learners))))
    dataset.rows_of_learner = [grouped[bounds[i] : bounds[i + 1]] for i in range(n_learners)]
    return dataset


def learner_distribution(data: Dataset) -> dict[str, Any]:
    def describe(sizes: npt.NDArray[np.int64]) -> dict[str, Any]:
        if not len(sizes):
            return {"learners": 0}
        return {
            "learners": len(sizes),
            "memories": int(sizes.sum()),
            "min": int(sizes.min()),
            "p50": int(np.percentile(sizes, 50)),
            "p90": int(np.percentile(sizes, 90)),
            "p99": int(np.percentile(sizes, 99)),
            "max": int(sizes.max()),
            "mean": round(float(sizes.mean()), 1),
        }

    return {
        "all": describe(data.learner_sizes),
        "typical": describe(data.learner_sizes[~data.heavy]),
        "heavy": describe(data.learner_sizes[data.heavy]),
        "expired_not_yet_purged": int((data.expires_at <= NOW.timestamp()).sum()),
        "distinct_texts": data.distinct_texts,
        "identifier_share": IDENTIFIER_SHARE,
        "typical_sizes": f"log-normal, median {TYPICAL_MEDIAN}, sigma {TYPICAL_SIGMA}, "
        f"clipped to [1, {TYPICAL_MAX}]",
        "heavy_sizes": f"{HEAVY_SHARE:.0%} of the memories, {HEAVY_SIZE[0]}-{HEAVY_SIZE[1]} each",
    }


def make_queries(data: Dataset, count: int, *, heavy: bool, seed: int) -> list[Query]:
    """New memory texts (never stored vectors) for learners of one group."""
    from memory.core.embeddings import HashingEmbedder

    embedder = HashingEmbedder()
    rnd = random.Random(seed)
    group = np.flatnonzero(data.heavy == heavy)
    queries = []
    for _ in range(count):
        learner = int(group[rnd.randrange(len(group))])
        rows = data.rows_of_learner[learner]
        language = data.rows[int(rows[rnd.randrange(len(rows))])]["language"]
        fields = draw_memory(rnd, language)
        queries.append(
            Query(
                user_id=data.learner_names[learner],
                learner=learner,
                fields=fields,
                embedding=embedder.embed(memory_text_of(fields)),
            )
        )
    return queries


# --------------------------------------------------------------------------------------------
# Loading


def _raw_connection() -> Any:
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def _execute(sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> float:
    """Run one statement on Django's connection (autocommit); seconds taken."""
    started = time.perf_counter()
    with _raw_connection().cursor() as cursor:
        cursor.execute(sql, params)
    return time.perf_counter() - started


def _timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def load_rows(data: Dataset) -> dict[str, float]:
    """Submissions, diagnoses and memories, set-based from one COPY-loaded staging table."""
    from diagnosis.core.taxonomy import TAXONOMY_VERSION
    from diagnosis.models import Problem
    from memory.core.embeddings import EMBEDDING_DIMENSION, HashingEmbedder

    timings: dict[str, float] = {}
    problem = Problem.objects.create(external_id="bench-memory", title="bench", category="arrays")
    _execute(
        "CREATE UNLOGGED TABLE bench_memory_load (id bigint, user_id text, root_cause text, "
        "subtype text, language text, problem_tags text[], summary text, confidence float8, "
        "quality_score float8, quality_components jsonb, created_at timestamptz, "
        "expires_at timestamptz)"
    )
    started = time.perf_counter()
    with (
        _raw_connection().cursor() as cursor,
        cursor.copy("COPY bench_memory_load FROM STDIN") as copy,
    ):
        for position, row in enumerate(data.rows):
            copy.write_row(
                (
                    position + 1,
                    data.learner_names[int(data.learner_of[position])],
                    row["root_cause"],
                    row["subtype"],
                    row["language"],
                    row["problem_tags"],
                    row["summary"],
                    row["confidence"],
                    row["quality_score"],
                    json.dumps(row["quality_components"]),
                    _timestamp(row["created_at"]),
                    _timestamp(row["expires_at"]),
                )
            )
    timings["staging_copy_s"] = time.perf_counter() - started
    timings["submissions_insert_s"] = _execute(
        "INSERT INTO diagnosis_submission (id, external_id, user_id, problem_id, language, code, "
        "verdict, attempt_number, submitted_at, result, created_at) "
        "SELECT id, 'bench-' || id, user_id, %s, language, '', 'wrong_answer', 1, created_at, "
        "'{}', created_at FROM bench_memory_load",
        [problem.pk],
    )
    timings["diagnoses_insert_s"] = _execute(
        "INSERT INTO diagnosis_diagnosis (id, submission_id, root_cause, subtype, "
        "taxonomy_version, raw_confidence, combined_confidence, confidence_level, "
        "conservative_mode, calibration_applied, engine, feature_schema_version, feature_vector, "
        "raw_probabilities, top_signals, pattern_state, difficulty_action, difficulty_reason, "
        "explanation, hint, explanation_source, latency_ms, created_at) "
        "SELECT id, id, root_cause, subtype, %s, confidence, confidence, "
        "CASE WHEN confidence >= 0.8 THEN 'high' WHEN confidence >= 0.65 THEN 'medium' "
        "ELSE 'low' END, confidence < 0.65, true, 'model', 'bench', '[]', '{}', '[]', "
        "'confirmed', 'maintain', 'bench', '', '', 'template', 0, created_at "
        "FROM bench_memory_load",
        [TAXONOMY_VERSION],
    )
    timings["memories_insert_s"] = _execute(
        "INSERT INTO memory_memory (id, user_id, submission_id, diagnosis_id, root_cause, "
        "subtype, problem_tags, language, summary, embedder, embedding_dimension, quality_score, "
        "quality_components, expires_at, retrieval_count, created_at) "
        "SELECT id, user_id, id, id, root_cause, subtype, problem_tags, language, summary, %s, "
        "%s, quality_score, quality_components, expires_at, 0, created_at FROM bench_memory_load",
        [HashingEmbedder.name, EMBEDDING_DIMENSION],
    )
    _execute("DROP TABLE bench_memory_load")
    for table in ("diagnosis_submission", "diagnosis_diagnosis", "memory_memory"):
        _execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT max(id) FROM {table}))"
        )
    return timings


def copy_vectors(data: Dataset, chunk: int = 50_000) -> float:
    """All vectors in one binary COPY, rows laid out with NumPy: memory id, the learner and
    embedder copies (fixed-width in this data set), and pgvector's binary format (int16
    dimension, int16 unused, float32 big-endian values)."""
    from memory.core.embeddings import HashingEmbedder

    dim = data.vectors.shape[1]
    names = np.array(data.learner_names, dtype=np.bytes_)
    embedder = HashingEmbedder.name.encode()
    assert len({len(name) for name in data.learner_names}) == 1, "learner names vary in length"
    layout = np.dtype(
        [
            ("fields", ">i2"),
            ("id_len", ">i4"),
            ("id", ">i8"),
            ("user_len", ">i4"),
            ("user", f"S{names.itemsize}"),
            ("embedder_len", ">i4"),
            ("embedder", f"S{len(embedder)}"),
            ("vec_len", ">i4"),
            ("dim", ">i2"),
            ("unused", ">i2"),
            ("vec", ">f4", (dim,)),
        ]
    )
    started = time.perf_counter()
    with (
        _raw_connection().cursor() as cursor,
        cursor.copy(
            "COPY memory_memoryvector (memory_id, user_id, embedder, embedding) "
            "FROM STDIN (FORMAT BINARY)"
        ) as copy,
    ):
        copy.write(b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0))
        for start in range(0, data.n, chunk):
            stop = min(start + chunk, data.n)
            block = np.zeros(stop - start, dtype=layout)
            block["fields"] = 4
            block["id_len"] = 8
            block["id"] = np.arange(start + 1, stop + 1)
            block["user_len"] = names.itemsize
            block["user"] = names[data.learner_of[start:stop]]
            block["embedder_len"] = len(embedder)
            block["embedder"] = embedder
            block["vec_len"] = 4 + 4 * dim
            block["dim"] = dim
            block["vec"] = data.vectors[start:stop]
            copy.write(block.tobytes())
        copy.write(struct.pack(">h", -1))
    return time.perf_counter() - started


HNSW_INDEX = "memory_search_hnsw"
LEARNER_INDEX = "memory_vector_learner"


def vector_index(name: str) -> tuple[Any, Any]:
    """The model that declares index ``name`` (global search or learner table), and the index."""
    from memory.models import MemorySearchVector, MemoryVector

    for model in (MemorySearchVector, MemoryVector):
        for index in model._meta.indexes:
            if index.name == name:
                return model, index
    raise LookupError(name)


def drop_vector_indexes() -> None:
    """Both secondary indexes of the vector table go before the COPY and are built after it."""
    for name in (HNSW_INDEX, LEARNER_INDEX):
        _execute(f"DROP INDEX IF EXISTS {name}")


def build_index(name: str) -> dict[str, Any]:
    """CREATE INDEX exactly as the model declares it, timed, with the build settings recorded."""
    from django.db import connection

    notices: list[str] = []
    raw = _raw_connection()

    def keep(diagnostic: Any) -> None:
        notices.append(diagnostic.message_primary)

    raw.add_notice_handler(keep)
    _execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
    _execute(f"SET max_parallel_maintenance_workers = {PARALLEL_MAINTENANCE_WORKERS}")
    model, index = vector_index(name)
    try:
        started = time.perf_counter()
        with connection.schema_editor() as editor:
            editor.add_index(model, index)
        seconds = time.perf_counter() - started
    finally:
        raw.remove_notice_handler(keep)
        _execute("RESET maintenance_work_mem")
        _execute("RESET max_parallel_maintenance_workers")
    return {
        "index_build_s": round(seconds, 1),
        "definition": _scalar("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [index.name]),
        "maintenance_work_mem": MAINTENANCE_WORK_MEM,
        "max_parallel_maintenance_workers": PARALLEL_MAINTENANCE_WORKERS,
        "notices": notices,
    }


def build_missing_indexes() -> dict[str, Any]:
    """Build whichever vector index is missing; their build reports by index name."""
    return {
        name: build_index(name)
        for name in (HNSW_INDEX, LEARNER_INDEX)
        if not _scalar("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
    }


def vacuum_analyze() -> float:
    started = time.perf_counter()
    for table in ("diagnosis_submission", "diagnosis_diagnosis", "memory_memory"):
        _execute(f"VACUUM (ANALYZE) {table}")
    for table in ("memory_memoryvector", "memory_memorysearchvector"):
        _execute(f"VACUUM (ANALYZE) {table}")
    return time.perf_counter() - started


def copy_search_vectors() -> float:
    """The global search table as `memories_index_for_search` leaves it: every vector in it."""
    started = time.perf_counter()
    _execute(
        "INSERT INTO memory_memorysearchvector (memory_id, embedder, embedding) "
        "SELECT memory_id, embedder, embedding FROM memory_memoryvector"
    )
    return time.perf_counter() - started


def load(data: Dataset) -> dict[str, Any]:
    """Drop the vector indexes, load rows and vectors, VACUUM ANALYZE, rebuild them (timed)."""
    drop_vector_indexes()
    started = time.perf_counter()
    timings = load_rows(data)
    timings["vectors_copy_s"] = copy_vectors(data)
    timings["search_vectors_copy_s"] = copy_search_vectors()
    timings["vacuum_analyze_s"] = vacuum_analyze()
    timings["load_total_s"] = time.perf_counter() - started
    builds = build_missing_indexes()
    for table in ("memory_memoryvector", "memory_memorysearchvector"):
        _execute(f"VACUUM (ANALYZE) {table}")
    return {
        "timings_s": {name: round(seconds, 1) for name, seconds in timings.items()},
        "index_build": builds[HNSW_INDEX],
        "learner_index_build": builds[LEARNER_INDEX],
    }


def _scalar(sql: str, params: Sequence[Any] | None = None) -> Any:
    with _raw_connection().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def loaded_matches(data: Dataset, samples: int = 200) -> bool:
    """Whether the database holds exactly this dataset's N memories and vectors (sampled)."""
    from memory.models import Memory, MemorySearchVector, MemoryVector

    if Memory.objects.count() != data.n or MemoryVector.objects.count() != data.n:
        return False
    if MemorySearchVector.objects.count() != data.n:
        return False
    ids = np.random.default_rng(0).choice(data.n, size=min(samples, data.n), replace=False) + 1
    stored = {
        vector.memory_id: np.asarray(vector.embedding, dtype=np.float32)
        for vector in MemoryVector.objects.filter(memory_id__in=ids.tolist())
    }
    return len(stored) == len(ids) and all(
        np.array_equal(stored[int(i)], data.vectors[int(i) - 1]) for i in ids
    )


def reset_tables() -> None:
    _execute(
        "TRUNCATE memory_memorysearchpending, memory_memorysearchvector, memory_memoryvector, "
        "memory_memory, memory_memoryrejection, "
        "diagnosis_diagnosis, diagnosis_submission, diagnosis_problem RESTART IDENTITY CASCADE"
    )


def sizes() -> dict[str, Any]:
    relations = (
        "memory_memory",
        "memory_memoryvector",
        "memory_memorysearchvector",
        "memory_search_hnsw",
        "memory_vector_learner",
        "memory_learner",
        "memory_expiry",
        "memory_memory_pkey",
        "memory_memoryvector_pkey",
        "diagnosis_submission",
        "diagnosis_diagnosis",
    )
    out: dict[str, Any] = {}
    for name in relations:
        out[f"{name}_mb"] = round(_scalar("SELECT pg_relation_size(%s)", [name]) / 2**20, 1)
    for table in ("memory_memory", "memory_memoryvector", "memory_memorysearchvector"):
        total = _scalar("SELECT pg_total_relation_size(%s)", [table])
        out[f"{table}_total_with_indexes_and_toast_mb"] = round(total / 2**20, 1)
    return out


def server_settings() -> dict[str, str]:
    names = (
        "server_version",
        "shared_buffers",
        "effective_cache_size",
        "work_mem",
        "jit",
        "max_parallel_workers_per_gather",
        "hnsw.ef_search",
        "hnsw.iterative_scan",
        "hnsw.max_scan_tuples",
    )
    settings = {name: _scalar("SELECT current_setting(%s, true)", [name]) for name in names}
    settings["pgvector"] = _scalar("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
    return settings


# --------------------------------------------------------------------------------------------
# Measuring


def timed_series(queries: Sequence[Query], call: Callable[[Query], Any]) -> tuple[list, list]:
    """Run ``call`` for every query; results of all, milliseconds of those after the warm-up."""
    results, samples = [], []
    for position, query in enumerate(queries):
        started = time.perf_counter()
        results.append(call(query))
        elapsed = (time.perf_counter() - started) * 1000
        if position >= WARMUP:
            samples.append(elapsed)
    return results, samples


def cosine_distances(vectors: npt.NDArray[np.float32], query: npt.NDArray[np.float32]) -> Any:
    """Exact cosine distances in float64, as pgvector's `<=>` defines them."""
    v = vectors.astype(np.float64)
    q = query.astype(np.float64)
    return 1.0 - (v @ q) / (np.linalg.norm(v, axis=1) * np.linalg.norm(q))


def recall_of(returned_ids: Sequence[int], data: Dataset, query: Any, kth: float) -> int:
    """Returned items whose exact distance is within TIE_TOLERANCE of the k-th exact distance."""
    if not returned_ids:
        return 0
    rows = np.array(returned_ids, dtype=np.int64) - 1
    return int((cosine_distances(data.vectors[rows], query) <= kth + TIE_TOLERANCE).sum())


def learner_exact_kth(data: Dataset, query: Query) -> tuple[float, int]:
    """The k-th exact distance over the learner's unexpired vectors, and how many there are."""
    rows = data.rows_of_learner[query.learner]
    rows = rows[data.expires_at[rows] > NOW.timestamp()]
    if not len(rows):
        return math.inf, 0
    distances = np.sort(cosine_distances(data.vectors[rows], query.embedding))
    return float(distances[min(K, len(rows)) - 1]), len(rows)


def learner_recall(data: Dataset, queries: Sequence[Query], found: Sequence[list]) -> dict:
    correct = expected = short = 0
    eligible = []
    for query, result in zip(queries, found, strict=True):
        kth, count = learner_exact_kth(data, query)
        ids = [memory.pk for memory, _ in result]
        correct += recall_of(ids, data, query.embedding, kth)
        expected += min(K, count)
        short += len(ids) < min(K, count)
        eligible.append(count)
    return {
        "recall_at_5": round(correct / expected, 6) if expected else None,
        "queries_with_fewer_than_k": short,
        "unexpired_memories_per_queried_learner": {
            "p50": int(np.percentile(eligible, 50)),
            "max": int(max(eligible)),
        },
    }


def bench_learner(data: Dataset, queries: Sequence[Query]) -> dict[str, Any]:
    from memory.core.embeddings import HashingEmbedder
    from memory.selectors import memories_nearest_for_learner

    found, samples = timed_series(
        queries,
        lambda q: memories_nearest_for_learner(
            user_id=q.user_id,
            query_embedding=q.embedding,
            embedder_name=HashingEmbedder.name,
            k=K,
            now=NOW,
        ),
    )
    return {**percentiles(samples), **learner_recall(data, queries, found)}


def bench_retrieve_and_boost(queries: Sequence[Query]) -> dict[str, Any]:
    from memory.core.embeddings import HashingEmbedder
    from memory.core.quality import MemoryConfig
    from memory.services import memories_retrieve_and_boost

    config = MemoryConfig()
    found, samples = timed_series(
        queries,
        lambda q: memories_retrieve_and_boost(
            user_id=q.user_id,
            query_embedding=q.embedding,
            embedder_name=HashingEmbedder.name,
            k=K,
            config=config,
            now=NOW,
        ),
    )
    return {**percentiles(samples), "retrieved_per_query": statistics.fmean(map(len, found))}


def global_exact(data: Dataset, queries: Sequence[Query], shortlist: int = 64) -> list[float]:
    """The k-th exact distance over all N vectors per query: a float32 matrix product picks a
    shortlist, float64 decides its order (float32 rounding is far below TIE_TOLERANCE)."""
    out: list[float] = []
    matrix = np.stack([q.embedding for q in queries])
    for start in range(0, len(queries), 32):
        similarities = matrix[start : start + 32] @ data.vectors.T
        for row, similarity in enumerate(similarities):
            candidates = np.argpartition(-similarity, shortlist)[:shortlist]
            exact = np.sort(cosine_distances(data.vectors[candidates], matrix[start + row]))
            out.append(float(exact[K - 1]))
    return out


def bench_global(data: Dataset, queries: Sequence[Query]) -> dict[str, Any]:
    from memory.core.embeddings import HashingEmbedder
    from memory.selectors import memories_search

    kth = global_exact(data, queries)
    per_ef: dict[str, Any] = {}
    for ef in EF_SEARCH_VALUES:
        found, samples = timed_series(
            queries,
            lambda q, ef=ef: memories_search(
                query_embedding=q.embedding, embedder_name=HashingEmbedder.name, k=K, ef_search=ef
            ),
        )
        correct = sum(
            recall_of([m.pk for m, _ in result], data, q.embedding, kth[i])
            for i, (q, result) in enumerate(zip(queries, found, strict=True))
        )
        per_ef[str(ef)] = {
            **percentiles(samples),
            "recall_at_5": round(correct / (K * len(queries)), 6),
            "queries_with_fewer_than_k": sum(len(r) < K for r in found),
        }
    chosen = next(
        (
            ef
            for ef in EF_SEARCH_VALUES
            if per_ef[str(ef)]["recall_at_5"] >= TARGETS["global_recall_at_5"]
            and per_ef[str(ef)]["p99_ms"] <= TARGETS["global_top5_p99_ms"]
        ),
        None,
    )
    return {
        "per_ef_search": per_ef,
        "chosen_ef_search": chosen,
        "exact_sql_check": exact_sql_check(queries[:EXACT_SQL_QUERIES], kth),
    }


def captured_sql(call: Callable[[], Any]) -> list[str]:
    """The SQL a selector ran, with its parameters inlined (Django's client-side binding)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def _search_sql(query: Query, ef: int) -> tuple[str, str]:
    from memory.core.embeddings import HashingEmbedder
    from memory.selectors import memories_search

    statements = captured_sql(
        lambda: memories_search(
            query_embedding=query.embedding, embedder_name=HashingEmbedder.name, k=K, ef_search=ef
        )
    )
    settings = next(sql for sql in statements if "set_config" in sql)
    select = next(sql for sql in statements if "<=>" in sql)
    return settings, select


def exact_sql_check(queries: Sequence[Query], kth: Sequence[float]) -> dict[str, Any]:
    """The global selector's own SQL with index scans off (a sequential scan, exact): its k-th
    distance must equal NumPy's, which proves the brute force that recall is measured against."""
    from django.db import connection, transaction

    differences = []
    started = time.perf_counter()
    for query, expected in zip(queries, kth, strict=False):
        _, select = _search_sql(query, 100)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(select)
            names = [column.name for column in cursor.description]
            distances = [row[names.index("distance")] for row in cursor.fetchall()]
        differences.append(abs(distances[K - 1] - expected))
    return {
        "queries": len(differences),
        "max_abs_difference_of_kth_distance": float(max(differences)),
        "seconds_per_query": round((time.perf_counter() - started) / len(differences), 2),
    }


def explain(
    sql: str, settings_sql: str | None = None, params: dict[str, Any] | None = None
) -> list[str]:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if settings_sql:
            cursor.execute(settings_sql)
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def explain_plans(heavy_query: Query, global_query: Query, ef: int) -> dict[str, Any]:
    from memory.core.embeddings import HashingEmbedder
    from memory.selectors import memories_nearest_for_learner_statement

    learner_sql, learner_params = memories_nearest_for_learner_statement(
        user_id=heavy_query.user_id,
        query_embedding=heavy_query.embedding,
        embedder_name=HashingEmbedder.name,
        k=K,
        now=NOW,
    )
    settings_sql, global_sql = _search_sql(global_query, ef)
    learner_plan = explain(learner_sql, params=learner_params)
    global_plan = explain(global_sql, settings_sql)
    return {
        "learner_heavy": learner_plan,
        "learner_index_only_scans": sorted(
            name
            for name in ("memory_learner", "memory_vector_learner")
            if any(f"Index Only Scan using {name} " in line for line in learner_plan)
        ),
        "learner_avoids_hnsw": not any("memory_search_hnsw" in line for line in learner_plan),
        f"global_ef_search_{ef}": global_plan,
        "global_uses_hnsw": any("memory_search_hnsw" in line for line in global_plan),
    }


def bench_store(data: Dataset, count: int, seed: int) -> dict[str, Any]:
    """Store one new memory per call at size N as the diagnosis request does (no HNSW
    insertion: the memory is queued for the search index), each for a fresh submission and
    diagnosis created set-based beforehand; then index the queued memories as the beat task
    does, timed per memory (the HNSW insertion at size N). The new rows are deleted after."""
    from diagnosis.models import Diagnosis, Submission
    from memory.core.embeddings import HashingEmbedder
    from memory.core.quality import MemoryConfig
    from memory.models import Memory
    from memory.services import memories_index_for_search, memory_candidate_store

    queries = make_queries(data, count, heavy=False, seed=seed)
    base = int(_scalar("SELECT max(id) FROM diagnosis_submission"))
    problem = int(_scalar("SELECT id FROM diagnosis_problem WHERE external_id = 'bench-memory'"))
    _execute(
        "INSERT INTO diagnosis_submission (id, external_id, user_id, problem_id, language, code, "
        "verdict, attempt_number, submitted_at, result, created_at) "
        "SELECT %(base)s + g, 'bench-store-' || (%(base)s + g), u, %(problem)s, 'python', '', "
        "'wrong_answer', 1, %(now)s, '{}', %(now)s "
        "FROM unnest(%(users)s::text[]) WITH ORDINALITY AS t(u, g)",
        {"base": base, "problem": problem, "now": NOW, "users": [q.user_id for q in queries]},
    )
    _execute(
        "INSERT INTO diagnosis_diagnosis (id, submission_id, root_cause, subtype, "
        "taxonomy_version, raw_confidence, combined_confidence, confidence_level, "
        "conservative_mode, calibration_applied, engine, feature_schema_version, feature_vector, "
        "raw_probabilities, top_signals, pattern_state, difficulty_action, difficulty_reason, "
        "explanation, hint, explanation_source, latency_ms, created_at) "
        "SELECT g, g, 'correctness', 'off_by_one', 'bench', 0.9, 0.9, 'high', false, true, "
        "'model', 'bench', '[]', '{}', '[]', 'confirmed', 'maintain', 'bench', '', '', "
        "'template', 0, %(now)s FROM generate_series(%(first)s, %(last)s) AS g",
        {"first": base + 1, "last": base + len(queries), "now": NOW},
    )
    config = MemoryConfig()
    embedder = HashingEmbedder()
    ids = iter(range(base + 1, base + len(queries) + 1))

    def store(query: Query) -> Any:
        pk = next(ids)
        fields = query.fields
        return memory_candidate_store(
            user_id=query.user_id,
            submission=Submission(pk=pk, user_id=query.user_id),
            diagnosis=Diagnosis(pk=pk, submission_id=pk),
            root_cause=fields["root_cause"],
            subtype=fields["subtype"],
            problem_tags=fields["problem_tags"],
            language=fields["language"],
            category=fields["problem_tags"][0],
            summary=fields["summary"],
            mim_confidence=fields["confidence"],
            is_recurring=fields["recurrence"] >= 2,
            recurrence_count=fields["recurrence"],
            signal_tokens=fields["signal_tokens"],
            identifiers=fields["identifiers"],
            config=config,
            embedder=embedder,
            now=NOW,
        )

    try:
        stored, samples = timed_series(queries, store)
        assert all(isinstance(memory, Memory) for memory in stored), "a candidate was rejected"
        started = time.perf_counter()
        indexed = memories_index_for_search()
        index_s = time.perf_counter() - started
        assert indexed["indexed"] == len(stored), indexed
    finally:
        # Back to exactly N memories, so --reuse finds the dataset it expects.
        _execute("DELETE FROM memory_memory WHERE submission_id > %s", [base])
        _execute("DELETE FROM diagnosis_diagnosis WHERE id > %s", [base])
        _execute("DELETE FROM diagnosis_submission WHERE id > %s", [base])
    return {
        **percentiles(samples),
        "includes": (
            "quality score, embedding, one INSERT of row, learner vector and search-queue "
            "entry, index inserts (no HNSW)"
        ),
        "index_for_search": {
            "memories": indexed["indexed"],
            "seconds": round(index_s, 3),
            "per_memory_ms": round(index_s * 1000 / indexed["indexed"], 3),
            "includes": "memories_index_for_search: dequeue, copy, HNSW insertion (batches)",
        },
    }


# --------------------------------------------------------------------------------------------
# Report


def targets_met(n: int, learner: dict, global_: dict) -> dict[str, Any]:
    chosen = global_["chosen_ef_search"]
    at_chosen = global_["per_ef_search"][str(chosen)] if chosen else None
    met = {
        f"learner_{group}_p99": learner[group]["p99_ms"] <= TARGETS["learner_top5_p99_ms"]
        for group in ("typical", "heavy")
    }
    met |= {
        f"learner_{group}_recall": learner[group]["recall_at_5"] == TARGETS["learner_recall_at_5"]
        for group in ("typical", "heavy")
    }
    met["global_p99_and_recall_at_some_ef_search"] = at_chosen is not None
    return {
        "targets": TARGETS,
        "evaluated_at_n": n,
        "applies": n == TARGETS["stated_for_n"],
        "met": met,
        "all_met": all(met.values()),
    }


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def write_result(n: int, run: dict[str, Any]) -> None:
    existing: dict[str, Any] = {}
    if RESULTS.exists():
        existing = json.loads(RESULTS.read_text())
    runs = existing.get("runs", {})
    runs[str(n)] = run
    document = {
        "benchmark": "memory",
        "runs": {key: runs[key] for key in sorted(runs, key=int)},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")


def previous_run(n: int) -> dict[str, Any] | None:
    if not RESULTS.exists():
        return None
    return json.loads(RESULTS.read_text()).get("runs", {}).get(str(n))


def print_summary(n: int, run: dict[str, Any]) -> None:
    learner, global_ = run["learner_top5"], run["global_top5"]
    build = run["load"].get("index_build", {})
    print(f"memory bench, N = {n:,} ({run['wall_s']:.0f} s; load average {run['load_average']})")
    print(
        f"  load {run['load'].get('timings_s', {}).get('load_total_s')} s, "
        f"HNSW build {build.get('index_build_s')} s, "
        f"learner index build {run['load'].get('learner_index_build', {}).get('index_build_s')} s, "
        f"HNSW {run['sizes']['memory_search_hnsw_mb']} MB, "
        f"vectors {run['sizes']['memory_memoryvector_mb']} MB"
    )
    for group in ("typical", "heavy"):
        r = learner[group]
        print(
            f"  learner top-5 {group:8s}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
            f"recall@5 {r['recall_at_5']}"
        )
    for name in ("retrieve_and_boost_typical", "retrieve_and_boost_heavy", "store_one"):
        print(f"  {name}: p50 {run[name]['p50_ms']} ms, p99 {run[name]['p99_ms']} ms")
    print(f"  index for search: {run['store_one']['index_for_search']['per_memory_ms']} ms/memory")
    for ef, r in global_["per_ef_search"].items():
        print(
            f"  global top-5 ef_search {ef:>3}: p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, "
            f"recall@5 {r['recall_at_5']}"
        )
    print(f"  chosen ef_search: {global_['chosen_ef_search']}; targets: {run['targets']['met']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100_000, help="memories to load")
    parser.add_argument("--queries", type=int, default=500, help="measured queries per series")
    parser.add_argument("--reuse", action="store_true", help="keep a loaded database of this N")
    args = parser.parse_args()
    if args.n < 1_000 or args.queries < 1:
        parser.error("--n must be >= 1000 and --queries >= 1")

    started = time.perf_counter()
    load_before = load_average()
    prepare_database(BENCH_DB, fresh=not args.reuse)
    generating = time.perf_counter()
    data = generate_dataset(args.n, SEED)
    generate_s = time.perf_counter() - generating
    from django.db import connection

    from memory.models import MemoryVector

    if args.reuse and loaded_matches(data):
        loaded = (previous_run(args.n) or {}).get("load", {}) | {"reused": True}
        for name, build in build_missing_indexes().items():
            loaded["index_build" if name == HNSW_INDEX else "learner_index_build"] = build
    else:
        if args.reuse:
            reset_tables()
        loaded = load(data)
    loaded["generate_and_embed_s"] = round(generate_s, 1)
    assert MemoryVector.objects.count() == args.n
    connection.close()  # measure on a fresh connection, as a worker would have

    count = args.queries + WARMUP
    typical = make_queries(data, count, heavy=False, seed=SEED + 1)
    heavy = make_queries(data, count, heavy=True, seed=SEED + 2)
    learner = {"typical": bench_learner(data, typical), "heavy": bench_learner(data, heavy)}
    boost_typical = bench_retrieve_and_boost(make_queries(data, count, heavy=False, seed=SEED + 3))
    boost_heavy = bench_retrieve_and_boost(make_queries(data, count, heavy=True, seed=SEED + 4))
    global_ = bench_global(data, make_queries(data, count, heavy=False, seed=SEED + 5))
    plans = explain_plans(heavy[0], typical[0], global_["chosen_ef_search"] or 100)
    store = bench_store(data, count, seed=SEED + 6)

    run = {
        "created_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": database_kind(),
        "server_settings": server_settings(),
        "load_average": {"before": load_before, "after": load_average()},
        "parameters": {
            "n": args.n,
            "seed": SEED,
            "now": NOW.isoformat(),
            "k": K,
            "measured_queries_per_series": args.queries,
            "warmup_queries_excluded": WARMUP,
            "ef_search_values": list(EF_SEARCH_VALUES),
            "embedder": "hashing-v1 (384 dimensions)",
            "recall": (
                "recall@5 = correct returned / min(5, eligible); a returned item is correct if "
                f"its exact cosine distance <= the 5th exact distance + {TIE_TOLERANCE} (ties: "
                "identical texts give identical vectors). Exact = NumPy brute force in float64: "
                "over the learner's unexpired vectors (learner-scoped), over all N vectors "
                "(global; checked against the selector's SQL with enable_indexscan = off)."
            ),
            "timing": "the selector or service call only (query embedding precomputed)",
        },
        "learners": learner_distribution(data),
        "load": loaded,
        "sizes": sizes(),
        "learner_top5": learner,
        "retrieve_and_boost_typical": boost_typical,
        "retrieve_and_boost_heavy": boost_heavy,
        "store_one": store,
        "global_top5": global_,
        "explain": plans,
    }
    run["targets"] = targets_met(args.n, learner, global_)
    run["wall_s"] = round(time.perf_counter() - started, 1)
    write_result(args.n, run)
    print_summary(args.n, run)


if __name__ == "__main__":
    main()
