"""The global search HNSW graph keeps 32 neighbours per node instead of 16.

With m 16, recall@5 at 1M memories depended on the build: 0.960 at ef_search 64 in one build of
2026-12-06, 0.944 in the next, and no ef_search reached more than 0.95-0.97 (bench/memory.py;
docs/decisions.md). The graph is rebuilt from memory_memorysearchvector, which only the
memory.index_for_search task writes; the build takes minutes at 1M memories (give it
maintenance_work_mem of a few GB, or pgvector builds on disk, much slower), during which global
search and the indexing task wait; diagnoses do not.
"""

import pgvector.django.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("memory", "0006_memory_search_hnsw_denser"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="memorysearchvector",
            name="memory_search_hnsw",
        ),
        migrations.AddIndex(
            model_name="memorysearchvector",
            index=pgvector.django.indexes.HnswIndex(
                ef_construction=128,
                fields=["embedding"],
                m=32,
                name="memory_search_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
    ]
