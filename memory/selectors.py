"""Reads of the memory app: a learner's memories, their exact nearest, and global search."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import QuerySet
from pgvector.django import CosineDistance

from memory.core.embeddings import EMBEDDING_DIMENSION, Embedder, Vector, embedder_from_name
from memory.models import Memory, MemorySearchVector, MemoryVector
from mimsite.db import prepared_cursor

# Candidates the HNSW graph search keeps (pgvector's default is 40). Over 1M memories on the
# graph of m 32 and ef_construction 128, bench/memory.py measured recall@5 0.991 with p99
# 12.3 ms at 64, against 0.979 at 40 and 0.996 at 100 (p99 19.1 ms, near the 20 ms bound): 64
# keeps room on both. Re-run the bench before changing it or the index.
DEFAULT_EF_SEARCH = 64
# pgvector accepts hnsw.ef_search in [1, 1000].
MAX_EF_SEARCH = 1000


@functools.lru_cache(maxsize=1)
def embedder_get() -> Embedder:
    """The embedder named by settings.MIM_EMBEDDER, built once per process."""
    return embedder_from_name(getattr(settings, "MIM_EMBEDDER", "hashing"))


def memory_list_for_learner(*, user_id: str) -> QuerySet[Memory]:
    """Every memory held about a learner, expired-but-not-yet-deleted included, newest first.

    Vectors live in their own table and are not read: lists show summaries, never vectors.
    """
    return Memory.objects.filter(user_id=user_id).order_by("-created_at", "-id")


def _check_query(*, query_embedding: Vector | Sequence[float], k: int) -> None:
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if len(query_embedding) != EMBEDDING_DIMENSION:
        raise ValueError(
            f"query embedding has {len(query_embedding)} dimensions, expected {EMBEDDING_DIMENSION}"
        )


# The learner-scoped nearest query, written out rather than built with the ORM: compiling it
# cost ~0.8 ms per diagnosis, more than running it. Only the models' table names are
# interpolated; every value is a named, typed parameter (the diagnosis path runs it prepared,
# see mimsite.db).
_NEAREST_FOR_LEARNER_SQL = (
    "SELECT vector.memory_id, "  # noqa: S608
    "1.0 - (vector.embedding <=> %(query)s::vector) AS similarity "
    f"FROM {MemoryVector._meta.db_table} AS vector "
    "WHERE vector.user_id = %(user_id)s::varchar AND vector.embedder = %(embedder)s::varchar "
    "AND vector.memory_id IN ("
    f"SELECT memory.id FROM {Memory._meta.db_table} AS memory "
    "WHERE memory.user_id = %(user_id)s::varchar AND memory.embedder = %(embedder)s::varchar "
    "AND memory.embedding_dimension = %(dimension)s::smallint "
    "AND memory.expires_at > %(now)s::timestamptz{filter}) "
    "ORDER BY similarity DESC, vector.memory_id DESC LIMIT %(k)s::integer"
)
_NEAREST_SQL = _NEAREST_FOR_LEARNER_SQL.format(filter="")
_NEAREST_OF_ROOT_CAUSE_SQL = _NEAREST_FOR_LEARNER_SQL.format(
    filter=" AND memory.root_cause = %(root_cause)s::varchar"
)
_MEMORY_COLUMNS = tuple(field.attname for field in Memory._meta.concrete_fields)
# Fields whose database value needs converting, as the ORM would (JSON arrives as text).
_MEMORY_CONVERTERS = tuple(
    (index, field)
    for index, field in enumerate(Memory._meta.concrete_fields)
    if hasattr(field, "from_db_value")
)
_SELECT_NEAREST = (
    f"SELECT {', '.join(f'memory.{column}' for column in _MEMORY_COLUMNS)}, "  # noqa: S608
    "nearest.similarity "
    f"FROM {Memory._meta.db_table} AS memory JOIN nearest ON memory.id = nearest.memory_id"
)


def vector_param(embedding: Vector | Sequence[float]) -> str:
    """An embedding as the text a `%s::vector` parameter takes (pgvector's text format).

    A diagnosis sends its embedding twice (recall, then the stored memory), so the text of the
    last few embeddings is kept, keyed by their bytes.
    """
    return _vector_text(np.asarray(embedding, dtype=np.float32).tobytes())


@functools.lru_cache(maxsize=16)
def _vector_text(raw: bytes) -> str:
    # repr() of a float32's exact double value parses back to the same float32; hashing
    # embeddings are mostly zeros, written as "0".
    values = np.frombuffer(raw, dtype=np.float32).tolist()
    return "[" + ",".join("0" if value == 0.0 else repr(value) for value in values) + "]"


def nearest_for_learner_query(
    *,
    user_id: str,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    now: datetime,
    root_cause: str | None = None,
) -> tuple[str, dict[str, object]]:
    """The learner's ``k`` nearest unexpired memories of this embedder, as SQL and parameters
    (columns ``memory_id``, ``similarity``) for a statement to use as ``WITH nearest AS (...)``.

    Exact, read by index-only scans: the learner's vectors from ``memory_vector_learner``, the
    unexpired memories from ``memory_learner`` (see the models), hash-joined, every distance
    computed and the top ``k`` kept. Its sort is by similarity *descending*, an order the HNSW
    index cannot provide, so the planner can never pick the approximate index scan that filters
    after the fact and may return fewer than ``k`` rows (DESIGN §8). Ties are broken by the
    newest memory (the larger id) first.
    """
    _check_query(query_embedding=query_embedding, k=k)
    params: dict[str, object] = {
        "query": vector_param(query_embedding),
        "user_id": user_id,
        "embedder": embedder_name,
        "dimension": EMBEDDING_DIMENSION,
        "now": now,
        "k": k,
    }
    if root_cause is None:
        return _NEAREST_SQL, params
    return _NEAREST_OF_ROOT_CAUSE_SQL, {**params, "root_cause": root_cause}


def memories_nearest_for_learner(
    *,
    user_id: str,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    now: datetime,
    root_cause: str | None = None,
) -> list[tuple[Memory, float]]:
    """The learner's ``k`` unexpired memories of this embedder most similar to the query (exact),
    as ``(memory, cosine similarity)``, most similar first (ties: newest first); one SELECT."""
    sql, params = memories_nearest_for_learner_statement(
        user_id=user_id,
        query_embedding=query_embedding,
        embedder_name=embedder_name,
        k=k,
        now=now,
        root_cause=root_cause,
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = [(_memory_from_row(row[:-1]), float(row[-1])) for row in rows]
    found.sort(key=lambda pair: (-pair[1], -pair[0].pk))
    return found


def memories_nearest_for_learner_statement(
    *,
    user_id: str,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    now: datetime,
    root_cause: str | None = None,
) -> tuple[str, dict[str, object]]:
    """The SELECT `memories_nearest_for_learner` runs (memory columns, then the similarity)
    and its parameters, also for a benchmark to EXPLAIN."""
    nearest, params = nearest_for_learner_query(
        user_id=user_id,
        query_embedding=query_embedding,
        embedder_name=embedder_name,
        k=k,
        now=now,
        root_cause=root_cause,
    )
    # Only the fixed query above is interpolated; values are parameters.
    return f"WITH nearest AS ({nearest}) {_SELECT_NEAREST}", params


def _memory_from_row(row: Sequence[object]) -> Memory:
    values = list(row)
    for index, field in _MEMORY_CONVERTERS:
        values[index] = field.from_db_value(values[index], None, connection)
    return Memory.from_db(DEFAULT_DB_ALIAS, _MEMORY_COLUMNS, values)


def memories_search(
    *,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    ef_search: int = DEFAULT_EF_SEARCH,
    now: datetime | None = None,
    root_cause: str | None = None,
) -> list[tuple[Memory, float]]:
    """The ``k`` memories of any learner nearest to the query, via the HNSW index (approximate).

    With ``now``, memories expired by then are left out; with ``root_cause``, only that one's.
    It searches the global index (``MemorySearchVector``), which holds a memory once
    ``memory.index_for_search`` has run after it was stored (every minute).

    For staff debugging and the benchmark's global search; learner-scoped retrieval is exact and
    lives in ``memories_nearest_for_learner``. The filters are applied after the index scan, so
    pgvector 0.8's iterative scan (``relaxed_order``) keeps scanning until ``k`` rows pass them;
    relaxed order may return rows slightly out of order, so they are re-sorted here. Both settings
    are ``SET LOCAL`` (``set_config(..., true)``) inside a transaction, so they never leak to other
    queries on a pooled connection. Returns ``(memory, cosine similarity)``, most similar first.
    """
    _check_query(query_embedding=query_embedding, k=k)
    if not 1 <= ef_search <= MAX_EF_SEARCH:
        raise ValueError(f"ef_search must be within [1, {MAX_EF_SEARCH}], got {ef_search}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), "
            "set_config('hnsw.iterative_scan', 'relaxed_order', true)",
            [str(ef_search)],
        )
        vectors = MemorySearchVector.objects.filter(
            embedder=embedder_name, memory__embedding_dimension=EMBEDDING_DIMENSION
        )
        if now is not None:
            vectors = vectors.filter(memory__expires_at__gt=now)
        if root_cause is not None:
            vectors = vectors.filter(memory__root_cause=root_cause)
        found = list(
            vectors.select_related("memory")
            .defer("embedding")
            .annotate(distance=CosineDistance("embedding", query_embedding))
            .order_by("distance")[:k]
        )
    found.sort(key=lambda vector: (vector.distance, -vector.pk))
    return [(vector.memory, 1.0 - float(vector.distance)) for vector in found]


def memories_search_text(
    *,
    query: str,
    k: int,
    now: datetime,
    user_id: str | None = None,
    root_cause: str | None = None,
    ef_search: int = DEFAULT_EF_SEARCH,
) -> tuple[Embedder, list[tuple[Memory, float]]]:
    """Unexpired memories nearest to a free-text query, in the configured embedder's space.

    For debugging retrieval: with ``user_id`` it runs the learner-scoped exact plan that the
    diagnosis path uses (without boosting anything); without, the global HNSW search. Returns
    the embedder (its name says which vectors were compared) and ``(memory, similarity)`` pairs.
    """
    embedder = embedder_get()
    vector = embedder.embed(query)
    if user_id is not None:
        found = memories_nearest_for_learner(
            user_id=user_id,
            query_embedding=vector,
            embedder_name=embedder.name,
            k=k,
            now=now,
            root_cause=root_cause,
        )
    else:
        found = memories_search(
            query_embedding=vector,
            embedder_name=embedder.name,
            k=k,
            ef_search=ef_search,
            now=now,
            root_cause=root_cause,
        )
    return embedder, found
