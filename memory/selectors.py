"""Reads of the memory app: a learner's memories, and global nearest-neighbour search."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, transaction
from django.db.models import QuerySet
from pgvector.django import CosineDistance

from memory.core.embeddings import EMBEDDING_DIMENSION, Vector
from memory.models import Memory

# Candidates the HNSW graph search keeps (pgvector's default is 40). bench/memory.py measures
# recall@5 against exact search at this value; change it there and here together.
DEFAULT_EF_SEARCH = 100
# pgvector accepts hnsw.ef_search in [1, 1000].
MAX_EF_SEARCH = 1000


def memory_list_for_learner(*, user_id: str) -> QuerySet[Memory]:
    """Every memory held about a learner, expired-but-not-yet-deleted included, newest first.

    The embedding (384 floats) is deferred: lists show summaries, never vectors.
    """
    return Memory.objects.filter(user_id=user_id).defer("embedding").order_by("-created_at", "-id")


def memories_search(
    *,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    ef_search: int = DEFAULT_EF_SEARCH,
) -> list[tuple[Memory, float]]:
    """The ``k`` memories of any learner nearest to the query, via the HNSW index (approximate).

    For staff debugging and the benchmark's global search; learner-scoped retrieval is exact and
    lives in ``memories_retrieve_and_boost``. The embedder filter is applied after the index scan,
    so pgvector 0.8's iterative scan (``relaxed_order``) keeps scanning until ``k`` rows pass it;
    relaxed order may return rows slightly out of order, so they are re-sorted here. Both settings
    are ``SET LOCAL`` (``set_config(..., true)``) inside a transaction, so they never leak to other
    queries on a pooled connection. Returns ``(memory, cosine similarity)``, most similar first.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    if not 1 <= ef_search <= MAX_EF_SEARCH:
        raise ValueError(f"ef_search must be within [1, {MAX_EF_SEARCH}], got {ef_search}")
    if len(query_embedding) != EMBEDDING_DIMENSION:
        raise ValueError(
            f"query embedding has {len(query_embedding)} dimensions, expected {EMBEDDING_DIMENSION}"
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('hnsw.ef_search', %s, true), "
            "set_config('hnsw.iterative_scan', 'relaxed_order', true)",
            [str(ef_search)],
        )
        found = list(
            Memory.objects.filter(embedder=embedder_name, embedding_dimension=EMBEDDING_DIMENSION)
            .defer("embedding")
            .annotate(distance=CosineDistance("embedding", query_embedding))
            .order_by("distance")[:k]
        )
    found.sort(key=lambda memory: (memory.distance, -memory.pk))
    return [(memory, 1.0 - float(memory.distance)) for memory in found]
