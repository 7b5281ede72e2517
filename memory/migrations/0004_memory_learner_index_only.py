"""Learner-scoped retrieval by index-only scans: vectors carry their learner and embedder.

Existing vectors get both copied from their memory before the columns become NOT NULL. The two
tables also vacuum sooner than PostgreSQL's defaults (20 % of the table changed): index-only
scans read a heap page only when the visibility map says it changed since the last vacuum, and
boosts update memory rows on every diagnosis.
"""

from django.db import migrations, models

VACUUM_SETTINGS = (
    "ALTER TABLE memory_memory SET (autovacuum_vacuum_scale_factor = 0.02, "
    "autovacuum_vacuum_insert_scale_factor = 0.02); "
    "ALTER TABLE memory_memoryvector SET (autovacuum_vacuum_insert_scale_factor = 0.02)"
)
VACUUM_DEFAULTS = (
    "ALTER TABLE memory_memory RESET (autovacuum_vacuum_scale_factor, "
    "autovacuum_vacuum_insert_scale_factor); "
    "ALTER TABLE memory_memoryvector RESET (autovacuum_vacuum_insert_scale_factor)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("memory", "0003_memory_vector_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="memoryvector",
            name="user_id",
            field=models.CharField(
                help_text="The memory's learner (a copy).", max_length=128, null=True
            ),
        ),
        migrations.AddField(
            model_name="memoryvector",
            name="embedder",
            field=models.CharField(
                help_text="The memory's embedder (a copy).", max_length=64, null=True
            ),
        ),
        migrations.RunSQL(
            "UPDATE memory_memoryvector AS vector SET user_id = memory.user_id, "
            "embedder = memory.embedder FROM memory_memory AS memory "
            "WHERE memory.id = vector.memory_id",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="memoryvector",
            name="user_id",
            field=models.CharField(help_text="The memory's learner (a copy).", max_length=128),
        ),
        migrations.AlterField(
            model_name="memoryvector",
            name="embedder",
            field=models.CharField(help_text="The memory's embedder (a copy).", max_length=64),
        ),
        migrations.AddIndex(
            model_name="memoryvector",
            index=models.Index(
                fields=["user_id", "embedder"],
                include=("memory", "embedding"),
                name="memory_vector_learner",
            ),
        ),
        migrations.RemoveIndex(
            model_name="memory",
            name="memory_learner",
        ),
        migrations.AddIndex(
            model_name="memory",
            index=models.Index(
                fields=["user_id", "embedder", "embedding_dimension", "expires_at"],
                include=("id",),
                name="memory_learner",
            ),
        ),
        migrations.RunSQL(VACUUM_SETTINGS, reverse_sql=VACUUM_DEFAULTS),
    ]
