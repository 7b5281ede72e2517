"""The global search HNSW graph is built with ef_construction 128 instead of 64.

At 1M memories (bench/memory.py, 2026-12-06) the denser graph reached recall@5 0.960 at
ef_search 64 with p99 11.7 ms, where the graph of 64 needed ef_search 100-200 for 0.945-0.963 and
had p99 13-21 ms there: both targets now hold with room (docs/decisions.md). The graph is
rebuilt from memory_memorysearchvector, which only the memory.index_for_search task writes; the
build takes minutes at 1M memories (give it maintenance_work_mem of a few GB, or pgvector builds
on disk, much slower), during which global search and the indexing task wait; diagnoses do not.
"""

import pgvector.django.indexes
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("memory", "0005_memory_search_index"),
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
                m=16,
                name="memory_search_hnsw",
                opclasses=["vector_cosine_ops"],
            ),
        ),
    ]
