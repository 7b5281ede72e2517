"""Memory embeddings move to a table of their own (MemoryVector), keeping existing vectors."""

import django.db.models.deletion
import pgvector.django.indexes
import pgvector.django.vector
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("memory", "0002_memory_and_rejection"),
    ]

    operations = [
        migrations.CreateModel(
            name="MemoryVector",
            fields=[
                (
                    "memory",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="vector",
                        serialize=False,
                        to="memory.memory",
                    ),
                ),
                ("embedding", pgvector.django.vector.VectorField(dimensions=384)),
            ],
        ),
        # The database deletes a memory's vector with it (Django 5.2 cannot declare that; the
        # field has db_constraint=False so this is the only foreign key), so a memory DELETE
        # stays one statement: expiry's batches and erasure never load rows to cascade.
        migrations.RunSQL(
            "ALTER TABLE memory_memoryvector ADD CONSTRAINT memory_vector_memory_fk "
            "FOREIGN KEY (memory_id) REFERENCES memory_memory (id) "
            "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",
            reverse_sql="ALTER TABLE memory_memoryvector DROP CONSTRAINT memory_vector_memory_fk",
        ),
        # Copy before the column goes; the HNSW index is built once, after the copy.
        migrations.RunSQL(
            "INSERT INTO memory_memoryvector (memory_id, embedding) "
            "SELECT id, embedding FROM memory_memory",
            reverse_sql=(
                "UPDATE memory_memory SET embedding = v.embedding "
                "FROM memory_memoryvector v WHERE v.memory_id = memory_memory.id"
            ),
        ),
        migrations.RemoveIndex(
            model_name="memory",
            name="memory_embedding_hnsw",
        ),
        migrations.RemoveField(
            model_name="memory",
            name="embedding",
        ),
        migrations.AddIndex(
            model_name="memoryvector",
            index=pgvector.django.indexes.HnswIndex(
                ef_construction=64,
                fields=["embedding"],
                m=16,
                name="memory_vector_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
    ]
