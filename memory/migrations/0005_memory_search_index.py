"""Global search moves to a table of its own (MemorySearchVector), filled off the request path.

The HNSW graph leaves memory_memoryvector, so storing a memory in the diagnosis request no
longer inserts into it; the request queues the memory in memory_memorysearchpending and the
memory.index_for_search task copies queued vectors into memory_memorysearchvector. Existing
vectors are copied now; the HNSW index is built once, after the copy, and the foreign keys are
added after that.
"""

import django.db.models.deletion
import pgvector.django.indexes
import pgvector.django.vector
from django.db import migrations, models


def _cascade(table: str, name: str) -> migrations.RunSQL:
    """The database deletes the row with its memory (as migration 0003 does for vectors), so
    expiry and erasure stay one DELETE of memories."""
    return migrations.RunSQL(
        f"ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY (memory_id) "
        "REFERENCES memory_memory (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
        reverse_sql=f"ALTER TABLE {table} DROP CONSTRAINT {name}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("memory", "0004_memory_learner_index_only"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemorySearchPending",
            fields=[
                (
                    "memory",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_pending",
                        serialize=False,
                        to="memory.memory",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MemorySearchVector",
            fields=[
                (
                    "memory",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_vector",
                        serialize=False,
                        to="memory.memory",
                    ),
                ),
                (
                    "embedder",
                    models.CharField(help_text="The memory's embedder (a copy).", max_length=64),
                ),
                ("embedding", pgvector.django.vector.VectorField(dimensions=384)),
            ],
        ),
        migrations.RunSQL(
            "INSERT INTO memory_memorysearchvector (memory_id, embedder, embedding) "
            "SELECT memory_id, embedder, embedding FROM memory_memoryvector",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveIndex(
            model_name="memoryvector",
            name="memory_vector_hnsw",
        ),
        migrations.AddIndex(
            model_name="memorysearchvector",
            index=pgvector.django.indexes.HnswIndex(
                ef_construction=64,
                fields=["embedding"],
                m=16,
                name="memory_search_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
        # Last: rows inserted under a deferred constraint leave trigger events pending, and
        # PostgreSQL refuses CREATE INDEX on a table with pending events in the same transaction.
        _cascade("memory_memorysearchpending", "memory_search_pending_memory_fk"),
        _cascade("memory_memorysearchvector", "memory_search_vector_memory_fk"),
    ]
