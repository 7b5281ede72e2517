"""Writes of the memory app: store or reject a candidate, retrieve-and-boost, expire."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection

from diagnosis.models import Diagnosis, Submission
from memory.core.embeddings import (
    EMBEDDING_DIMENSION,
    Embedder,
    Vector,
    memory_text,
)
from memory.core.quality import MemoryConfig, memory_quality_score
from memory.models import SUMMARY_MAX_CHARS, Memory, MemoryRejection, MemoryVector
from memory.selectors import embedder_get, memories_with_nearest

# The boost of what memories_with_nearest found; only the table's name is interpolated.
_BOOST_NEAREST = (
    f"UPDATE {Memory._meta.db_table} AS memory "  # noqa: S608
    "SET expires_at = memory.expires_at + %(boost_ttl)s, "
    "quality_score = LEAST(1.0, memory.quality_score + %(boost_quality)s), "
    "retrieval_count = memory.retrieval_count + 1, "
    "last_retrieved_at = %(now)s "
    "FROM nearest WHERE memory.id = nearest.memory_id "
    "RETURNING memory.*, nearest.similarity"
)


def memory_candidate_store(
    *,
    user_id: str,
    submission: Submission,
    diagnosis: Diagnosis,
    root_cause: str | None,
    subtype: str | None,
    problem_tags: Sequence[str],
    language: str,
    category: str | None,
    summary: str,
    mim_confidence: float,
    is_recurring: bool,
    recurrence_count: int,
    signal_tokens: Sequence[str],
    identifiers: Sequence[str],
    config: MemoryConfig,
    embedder: Embedder,
    now: datetime,
) -> Memory | MemoryRejection:
    """Score a diagnosis as a memory: store it (expiring after its quality's TTL) or log why not.

    One statement either way, so no transaction of its own: a rejection is one INSERT, a stored
    memory one INSERT of the row and its vector together. Only a stored memory is embedded. The
    summary is cut to ``SUMMARY_MAX_CHARS`` after scoring (its length credit is full long
    before).
    """
    if diagnosis.submission_id != submission.pk or submission.user_id != user_id:
        raise ValueError("the diagnosis must be of this submission, and the submission this user's")
    if embedder.dimension != EMBEDDING_DIMENSION:
        raise ValueError(
            f"embedder {embedder.name!r} has {embedder.dimension} dimensions; the memory column "
            f"has {EMBEDDING_DIMENSION}"
        )
    quality = memory_quality_score(
        mim_confidence=mim_confidence,
        is_recurring=is_recurring,
        recurrence_count=recurrence_count,
        summary=summary,
        root_cause=root_cause,
        subtype=subtype,
        category=category,
        config=config,
    )
    if not quality.stored or quality.ttl_days is None:
        return MemoryRejection.objects.create(
            user_id=user_id,
            submission=submission,
            diagnosis=diagnosis,
            score=quality.score,
            components=quality.components,
            reason=quality.reason,
            created_at=now,
        )
    text = memory_text(
        root_cause=root_cause,
        subtype=subtype,
        language=language,
        problem_tags=problem_tags,
        signal_tokens=signal_tokens,
        identifiers=identifiers,
    )
    memory = Memory(
        user_id=user_id,
        submission=submission,
        diagnosis=diagnosis,
        root_cause=root_cause or "",
        subtype=subtype or "",
        problem_tags=list(problem_tags),
        language=language,
        summary=summary.strip()[:SUMMARY_MAX_CHARS],
        embedder=embedder.name,
        embedding_dimension=embedder.dimension,
        quality_score=quality.score,
        quality_components=quality.components,
        expires_at=now + timedelta(days=quality.ttl_days),
        created_at=now,
    )
    memory.pk = _memory_insert_with_vector(memory=memory, embedding=embedder.embed(text))
    memory._state.adding = False
    return memory


def _memory_insert_with_vector(*, memory: Memory, embedding: Vector) -> int:
    """INSERT the memory row and its vector in one statement (atomic without a transaction, and
    one round trip on the diagnosis path); the new memory's id."""
    fields = [field for field in Memory._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    values = [field.get_db_prep_save(field.pre_save(memory, True), connection) for field in fields]
    vector = MemoryVector._meta.get_field("embedding").get_db_prep_save(embedding, connection)
    placeholders = ", ".join(["%s"] * len(fields))
    # Only the model's own table and column names are interpolated; values are parameters.
    sql = (
        f"WITH memory AS (INSERT INTO {Memory._meta.db_table} ({columns}) "  # noqa: S608
        f"VALUES ({placeholders}) RETURNING id, user_id, embedder) "
        f"INSERT INTO {MemoryVector._meta.db_table} (memory_id, user_id, embedder, embedding) "
        "SELECT id, user_id, embedder, %s FROM memory RETURNING memory_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, vector])
        return cursor.fetchone()[0]


def memories_retrieve_and_boost(
    *,
    user_id: str,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    config: MemoryConfig,
    root_cause: str | None = None,
    now: datetime,
) -> list[tuple[Memory, float]]:
    """The learner's ``k`` most similar unexpired memories of this embedder, each boosted once.

    Returns ``(memory, cosine similarity)`` pairs, most similar first (ties: newest first), the
    objects showing their boosted values. One statement, atomic on its own: the exact
    learner-scoped query of ``memories_with_nearest`` in a CTE, and an UPDATE of the rows
    it found (+TTL, +quality capped at 1, count, last retrieved) returning them. A row that
    expires between the two parts is still boosted: it was retrieved. The UPDATE touches only
    ``memory_memory`` (b-trees), never the HNSW-indexed vectors.
    """
    return memories_with_nearest(
        statement=_BOOST_NEAREST,
        extra_params={
            "boost_ttl": timedelta(days=config.boost_ttl_days),
            "boost_quality": config.boost_quality,
        },
        user_id=user_id,
        query_embedding=query_embedding,
        embedder_name=embedder_name,
        k=k,
        now=now,
        root_cause=root_cause,
    )


def memories_expire(*, now: datetime, batch_size: int = 1000) -> int:
    """Delete memories whose ``expires_at`` has passed, ``batch_size`` ids per DELETE; the count.

    Each batch is one short statement (its own transaction when called outside one), so expiry
    never holds many row locks. The expiry test is repeated in the outer DELETE: a row boosted by
    a retrieval while its batch was chosen is re-checked by PostgreSQL and kept.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    expired = Memory.objects.filter(expires_at__lte=now)
    total = 0
    while True:
        batch = expired.order_by("id").values("id")[:batch_size]
        deleted, _ = expired.filter(id__in=batch).delete()
        total += deleted
        if deleted < batch_size:
            return total


def memories_recall(
    *,
    user_id: str,
    root_cause: str,
    subtype: str,
    language: str,
    problem_tags: Sequence[str],
    signal_tokens: Sequence[str],
    config: MemoryConfig,
    now: datetime,
) -> list[tuple[Memory, float]]:
    """The learner's most relevant unexpired memories for a new diagnosis (boosted as
    retrieved): the diagnosis's own memory text is the query."""
    embedder = embedder_get()
    query = embedder.embed(
        memory_text(
            root_cause=root_cause,
            subtype=subtype,
            language=language,
            problem_tags=problem_tags,
            signal_tokens=signal_tokens,
        )
    )
    return memories_retrieve_and_boost(
        user_id=user_id,
        query_embedding=query,
        embedder_name=embedder.name,
        k=config.retrieval_k,
        config=config,
        now=now,
    )


def memories_erase_for_learner(*, user_id: str) -> dict[str, int]:
    """Delete every memory and rejected candidate of a learner; rows deleted per table.

    Expired-but-not-yet-deleted memories go too. Part of learner erasure, which calls it inside
    its own transaction; on its own it is two DELETE statements.
    """
    _, memories = Memory.objects.filter(user_id=user_id).delete()
    _, rejections = MemoryRejection.objects.filter(user_id=user_id).delete()
    return {
        "memories": memories.get(Memory._meta.label, 0),
        "memory_rejections": rejections.get(MemoryRejection._meta.label, 0),
    }
