"""Writes of the memory app: store or reject a candidate, retrieve-and-boost, expire."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection

from diagnosis.models import Diagnosis, Submission
from memory.core.embeddings import (
    EMBEDDING_DIMENSION,
    Embedder,
    Vector,
    embed_memory,
)
from memory.core.quality import MemoryConfig, memory_quality_score
from memory.models import (
    SUMMARY_MAX_CHARS,
    Memory,
    MemoryRejection,
    MemorySearchPending,
    MemorySearchVector,
    MemoryVector,
)
from memory.selectors import nearest_for_learner_query, vector_param
from mimsite.db import StatementPart, TypedValues, prepared_cursor, table

# What a recall returns of each boosted memory (never `memory.*`: a prepared statement's result
# columns must not change under it). Not the two timestamps: decoding them cost more than the
# rest of the row, and the request uses neither.
_RECALLED_COLUMNS = ("id", "summary", "subtype", "quality_score", "retrieval_count")
# The boost of the nearest memories; only the table's name is interpolated.
_BOOST_NEAREST = (
    f"UPDATE {Memory._meta.db_table} AS memory "
    "SET expires_at = memory.expires_at + %(boost_ttl)s::interval, "
    "quality_score = LEAST(1.0, memory.quality_score + %(boost_quality)s::double precision), "
    "retrieval_count = memory.retrieval_count + 1, "
    "last_retrieved_at = %(now)s::timestamptz "
    "FROM nearest WHERE memory.id = nearest.memory_id "
    f"RETURNING {', '.join(f'memory.{column}' for column in _RECALLED_COLUMNS)}, "
    "nearest.similarity"
)


@dataclass(frozen=True, slots=True)
class RecalledMemory:
    """A memory as a retrieval left it (boosted), with its cosine similarity to the query."""

    id: int
    summary: str
    subtype: str
    quality_score: float
    retrieval_count: int
    similarity: float


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    """A diagnosis scored as a memory: the row's own values (a `Memory`'s when `stored`, else a
    `MemoryRejection`'s; no id, submission or diagnosis yet), the embedding a memory is stored
    with, and the statement part that inserts both (`memory_candidate_score`)."""

    stored: bool
    values: dict[str, object]
    embedding: Vector | None
    part: StatementPart

    def row(self, *, pk: int, submission_id: int, diagnosis_id: int) -> Memory | MemoryRejection:
        """The inserted row as a model instance (a diagnosis never needs one: no instance is
        built on the request path)."""
        model = Memory if self.stored else MemoryRejection
        row = model(pk=pk, submission_id=submission_id, diagnosis_id=diagnosis_id, **self.values)
        row._state.adding = False
        return row


# Table names of the statement parts below, quoted once.
_MEMORY = table(Memory)
_MEMORY_VECTOR = table(MemoryVector)
_MEMORY_PENDING = table(MemorySearchPending)
_REJECTION = table(MemoryRejection)


def memory_candidate_score(
    *,
    user_id: str,
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
    submission_id_sql: str,
    diagnosis_id_sql: str,
    source_sql: str,
    embedding: Vector | None = None,
) -> ScoredCandidate:
    """Score a diagnosis as a memory (000 §3.1) and build the part of a statement that stores it
    (expiring after its quality's TTL) with its vector, or logs why not.

    The part's CTEs read the submission and diagnosis ids as ``submission_id_sql`` and
    ``diagnosis_id_sql`` from ``source_sql`` (for the diagnosis request, the ids its own write
    returns), so the memory is written by the same statement as the diagnosis. Only a stored
    memory is embedded; ``embedding`` is used when the caller has already embedded the same
    text (the diagnosis recalls with it). The summary is cut to ``SUMMARY_MAX_CHARS`` after
    scoring (its length credit is full long before).
    """
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
    ids = {"submission_id": submission_id_sql, "diagnosis_id": diagnosis_id_sql}
    if not quality.stored or quality.ttl_days is None:
        rejection: dict[str, object] = {
            "user_id": user_id,
            "score": quality.score,
            "components": quality.components,
            "reason": quality.reason,
            "created_at": now,
        }
        values = TypedValues(MemoryRejection, rejection, sql=ids)
        part = StatementPart(
            ctes=[
                f"rejection_row AS (INSERT INTO {_REJECTION} ({values.column_list}) "
                f"SELECT {values.placeholder_list} FROM {source_sql} RETURNING id)"
            ],
            params=values.params,
            result="(SELECT id FROM rejection_row)",
        )
        return ScoredCandidate(stored=False, values=rejection, embedding=None, part=part)
    if embedding is None:
        embedding = embed_memory(
            embedder,
            root_cause=root_cause,
            subtype=subtype,
            language=language,
            problem_tags=problem_tags,
            signal_tokens=signal_tokens,
            identifiers=identifiers,
        )
    memory: dict[str, object] = {
        "user_id": user_id,
        "root_cause": root_cause or "",
        "subtype": subtype or "",
        "problem_tags": list(problem_tags),
        "language": language,
        "summary": summary.strip()[:SUMMARY_MAX_CHARS],
        "embedder": embedder.name,
        "embedding_dimension": embedder.dimension,
        "quality_score": quality.score,
        "quality_components": quality.components,
        "expires_at": now + timedelta(days=quality.ttl_days),
        "retrieval_count": 0,
        "last_retrieved_at": None,
        "created_at": now,
    }
    values = TypedValues(Memory, memory, sql=ids)
    part = StatementPart(
        ctes=[
            f"memory_row AS (INSERT INTO {_MEMORY} ({values.column_list}) "
            f"SELECT {values.placeholder_list} FROM {source_sql} "
            "RETURNING id, user_id, embedder)",
            f"memory_vector_row AS (INSERT INTO {_MEMORY_VECTOR} "
            "(memory_id, user_id, embedder, embedding) "
            "SELECT id, user_id, embedder, %s::vector FROM memory_row)",
            # Queued for the global search index, which memories_index_for_search fills.
            f"memory_pending_row AS (INSERT INTO {_MEMORY_PENDING} (memory_id) "
            "SELECT id FROM memory_row)",
        ],
        params=[*values.params, vector_param(embedding)],
        result="(SELECT id FROM memory_row)",
    )
    return ScoredCandidate(stored=True, values=memory, embedding=embedding, part=part)


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
    """Score a stored diagnosis as a memory: store it or log why not (`memory_candidate_score`).

    One statement either way, so no transaction of its own: a rejection is one INSERT, a stored
    memory one INSERT of the row and its vector together. The diagnosis request does not call
    this: it writes the same part inside its own one write (diagnosis.services).
    """
    if diagnosis.submission_id != submission.pk or submission.user_id != user_id:
        raise ValueError("the diagnosis must be of this submission, and the submission this user's")
    scored = memory_candidate_score(
        user_id=user_id,
        root_cause=root_cause,
        subtype=subtype,
        problem_tags=problem_tags,
        language=language,
        category=category,
        summary=summary,
        mim_confidence=mim_confidence,
        is_recurring=is_recurring,
        recurrence_count=recurrence_count,
        signal_tokens=signal_tokens,
        identifiers=identifiers,
        config=config,
        embedder=embedder,
        now=now,
        submission_id_sql="source.submission_id",
        diagnosis_id_sql="source.diagnosis_id",
        source_sql="source",
    )
    part = scored.part
    # Only fixed CTEs built from the models' _meta are interpolated; values are parameters.
    sql = (
        "WITH source AS (SELECT %s::bigint AS submission_id, %s::bigint AS diagnosis_id), "
        f"{', '.join(part.ctes)} SELECT {part.result}"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql, [submission.pk, diagnosis.pk, *part.params])
        row_id = cursor.fetchone()[0]
    return scored.row(pk=row_id, submission_id=submission.pk, diagnosis_id=diagnosis.pk)


def memories_retrieve_and_boost(
    *,
    user_id: str,
    query_embedding: Vector | Sequence[float],
    embedder_name: str,
    k: int,
    config: MemoryConfig,
    root_cause: str | None = None,
    now: datetime,
) -> list[RecalledMemory]:
    """The learner's ``k`` most similar unexpired memories of this embedder, each boosted once.

    Most similar first (ties: newest first), as the boost left them. One statement, atomic on
    its own, prepared (mimsite.db): the exact learner-scoped query of
    ``memory.selectors.nearest_for_learner_query`` in a CTE, and an UPDATE of the rows it found
    (+TTL, +quality capped at 1, count, last retrieved) returning what the diagnosis uses. A row
    that expires between the two parts is still boosted: it was retrieved. The UPDATE touches
    only ``memory_memory`` (b-trees), never the HNSW-indexed vectors.
    """
    nearest, params = nearest_for_learner_query(
        user_id=user_id,
        query_embedding=query_embedding,
        embedder_name=embedder_name,
        k=k,
        now=now,
        root_cause=root_cause,
    )
    params |= {
        "boost_ttl": timedelta(days=config.boost_ttl_days),
        "boost_quality": config.boost_quality,
    }
    with prepared_cursor() as cursor:
        # Only the fixed query and statement above are interpolated; values are parameters.
        cursor.execute(f"WITH nearest AS ({nearest}) {_BOOST_NEAREST}", params)
        found = [RecalledMemory(*row) for row in cursor.fetchall()]
    found.sort(key=lambda memory: (-memory.similarity, -memory.id))
    return found


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


# One batch of the search-index backlog: the oldest queued memories (skipping any another run
# holds), removed from the queue and their vectors inserted into the HNSW-indexed table, in one
# statement (so one transaction: a failure leaves them queued).
_INDEX_BATCH = (
    f"WITH batch AS (DELETE FROM {table(MemorySearchPending)} WHERE memory_id IN ("
    f"SELECT memory_id FROM {table(MemorySearchPending)} ORDER BY memory_id "
    "LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING memory_id), "
    f"indexed AS (INSERT INTO {table(MemorySearchVector)} (memory_id, embedder, embedding) "
    f"SELECT vector.memory_id, vector.embedder, vector.embedding FROM {table(MemoryVector)} "
    "AS vector JOIN batch USING (memory_id) ON CONFLICT (memory_id) DO NOTHING RETURNING 1) "
    "SELECT (SELECT count(*) FROM batch), (SELECT count(*) FROM indexed)"
)


def memories_index_for_search(*, batch_size: int = 1000) -> dict[str, int]:
    """Add every queued memory's vector to the global search index (HNSW), ``batch_size`` per
    statement; counts of memories dequeued and indexed.

    The diagnosis request only queues a stored memory (``MemorySearchPending``), so the cost of
    an HNSW insertion, which grows with the index, is paid here instead of by a learner waiting
    for a diagnosis. Each batch is one statement, its own transaction outside a caller's: a
    crash leaves the batch queued, a rerun indexes nothing twice, and concurrent runs take
    different batches. A memory deleted while queued has left the queue with it.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    dequeued = indexed = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(_INDEX_BATCH, [batch_size])
            batch, added = cursor.fetchone()
        dequeued += batch
        indexed += added
        if batch < batch_size:
            return {"dequeued": dequeued, "indexed": indexed}


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
