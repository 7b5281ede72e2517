"""Migrations that move memory data keep it: run on a database that holds memories."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from memory.core.embeddings import HashingEmbedder
from memory.models import Memory, MemorySearchPending, MemorySearchVector
from memory.services import memories_expire
from tests.conftest import at
from tests.memory.conftest import diagnosed

BEFORE_SEARCH_INDEX = ("memory", "0004_memory_learner_index_only")


def _migrate(target: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_0005_copies_existing_vectors_into_the_global_search_index() -> None:
    diagnosis = diagnosed("before-0005", submitted_at=at(1))
    vector = HashingEmbedder().embed("correctness off_by_one python arrays")
    _migrate([BEFORE_SEARCH_INDEX])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO memory_memory (user_id, submission_id, diagnosis_id, root_cause, "
            "subtype, problem_tags, language, summary, embedder, embedding_dimension, "
            "quality_score, quality_components, expires_at, retrieval_count, created_at) "
            "VALUES ('learner-1', %s, %s, 'correctness', 'off_by_one', '{}', 'python', 's', "
            "'hashing-v1', 384, 0.9, '{}', %s, 0, %s) RETURNING id",
            [diagnosis.submission_id, diagnosis.pk, at(20), at(1)],
        )
        (memory_id,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO memory_memoryvector (memory_id, user_id, embedder, embedding) "
            "VALUES (%s, 'learner-1', 'hashing-v1', %s::vector)",
            [memory_id, "[" + ",".join(map(str, vector.tolist())) + "]"],
        )

    _migrate([])

    indexed = MemorySearchVector.objects.get(memory_id=memory_id)
    assert indexed.embedder == "hashing-v1"
    assert np.allclose(np.asarray(indexed.embedding), vector)
    assert not MemorySearchPending.objects.exists()
    # The database cascades from the memory to its search vector.
    assert memories_expire(now=at(21)) == 1
    assert not MemorySearchVector.objects.exists()
    assert not Memory.objects.exists()
