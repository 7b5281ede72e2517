"""Tables of the memory app: learner memories in pgvector, and the candidates that were rejected.

No table here keeps django-simple-history: they are learner data written by the diagnosis path,
not governed configuration, and a history table would only be one more copy for erasure to find.

Both point at their source diagnosis (one memory or one rejection per diagnosis) with
``on_delete=CASCADE``: a memory is derived personal data (the learner's id, their mistake, tags
and identifiers from their code), so it must never outlive the submission or diagnosis it came
from. Deleting a submission (by an admin, a retention job or erasure) therefore takes its memory
with it; learner erasure still deletes by ``user_id`` explicitly, so a memory is removed even
when its submission is kept with the personal fields blanked.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from diagnosis.models import ROOT_CAUSE_CHOICES, SUBTYPE_CHOICES, Diagnosis, Language, Submission
from memory.core.embeddings import EMBEDDING_DIMENSION

SUMMARY_MAX_CHARS = 500


class Memory(models.Model):
    """One remembered mistake of a learner, embedded for retrieval and expiring by quality."""

    user_id = models.CharField(max_length=128, help_text="Opaque learner id from the platform.")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="memories")
    diagnosis = models.OneToOneField(Diagnosis, on_delete=models.CASCADE, related_name="memory")
    root_cause = models.CharField(max_length=32, choices=ROOT_CAUSE_CHOICES, blank=True)
    subtype = models.CharField(max_length=48, choices=SUBTYPE_CHOICES, blank=True)
    problem_tags = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    language = models.CharField(max_length=16, choices=Language.choices)
    summary = models.CharField(max_length=SUMMARY_MAX_CHARS, blank=True)
    embedder = models.CharField(
        max_length=64, help_text="Name of the vector space; only equal names are compared."
    )
    embedding_dimension = models.PositiveSmallIntegerField()
    quality_score = models.FloatField()
    quality_components = models.JSONField(default=dict)
    expires_at = models.DateTimeField()
    retrieval_count = models.PositiveIntegerField(default=0)
    last_retrieved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "memories"
        indexes = [
            # Learner-scoped retrieval: the learner's unexpired rows of one vector space as an
            # index-only scan (the id is included), hash-joined with memory_vector_learner; no
            # heap page is read unless a boost dirtied it since the last vacuum. Its prefix
            # serves the learner's list and erasure.
            models.Index(
                fields=["user_id", "embedder", "embedding_dimension", "expires_at"],
                include=["id"],
                name="memory_learner",
            ),
            models.Index(fields=["expires_at"], name="memory_expiry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quality_score__gte=0.0, quality_score__lte=1.0),
                name="memory_quality_in_unit_interval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.root_cause}/{self.subtype}"


class MemoryVector(models.Model):
    """The embedding of one memory for the learner's own retrieval: written with the memory
    (in the diagnosis request), never updated, deleted with its memory.

    A table of its own so that boosting a retrieved memory (new ``expires_at``, quality, count)
    rewrites only the narrow memory row and its b-trees (docs/decisions.md, "Memory on the hot
    path"). ``user_id`` and ``embedder`` repeat the memory's (they never change) so that a
    learner's vectors sit together in ``memory_vector_learner``, which carries them: exact
    learner-scoped retrieval reads a few hundred contiguous index pages instead of one heap
    page and one primary-key lookup per memory (4.6 -> 0.7 ms for a learner with 1,200
    memories). It has no HNSW index: global search has a table of its own
    (``MemorySearchVector``), filled off the request path.
    """

    # The foreign key is declared in migration 0003 with ON DELETE CASCADE: deleting memories
    # is one statement that takes their vectors along; Django never loads rows to cascade.
    memory = models.OneToOneField(
        Memory,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="vector",
    )
    user_id = models.CharField(max_length=128, help_text="The memory's learner (a copy).")
    embedder = models.CharField(max_length=64, help_text="The memory's embedder (a copy).")
    embedding = VectorField(dimensions=EMBEDDING_DIMENSION)

    class Meta:
        indexes = [
            # Exact learner-scoped retrieval: an index-only scan of the learner's vectors (the
            # table is insert-only, so its visibility map stays set).
            models.Index(
                fields=["user_id", "embedder"],
                include=["memory", "embedding"],
                name="memory_vector_learner",
            ),
        ]

    def __str__(self) -> str:
        return f"vector of memory {self.memory_id}"


class MemorySearchVector(models.Model):
    """A memory's embedding in the global nearest-neighbour index (HNSW), for staff search and
    any search across learners.

    Inserting into an HNSW graph costs ~0.7 ms of the database's CPU per vector with a few
    thousand memories and grows with their number (7.5 ms at 1M with the graph of m 32,
    bench/memory.py), so the diagnosis request never does it: it queues the memory in
    ``MemorySearchPending`` and the ``memory.index_for_search`` beat task (every minute)
    moves queued memories' vectors here in batches. Global search therefore sees
    a memory up to a minute after it was stored; a learner's own retrieval reads
    ``MemoryVector`` and sees it at once.
    """

    # ON DELETE CASCADE in migration 0005, as for MemoryVector.
    memory = models.OneToOneField(
        Memory,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="search_vector",
    )
    embedder = models.CharField(max_length=64, help_text="The memory's embedder (a copy).")
    embedding = VectorField(dimensions=EMBEDDING_DIMENSION)

    class Meta:
        indexes = [
            # m 32, ef_construction 128: with m 16 the recall@5 over 1M memories depended on
            # the build, 0.960 in one and 0.944 in the next at ef_search 64, with a ceiling of
            # 0.95-0.97 at any ef_search (migrations 0006, 0007; docs/decisions.md).
            HnswIndex(
                name="memory_search_hnsw",
                fields=["embedding"],
                m=32,
                ef_construction=128,
                opclasses=["vector_cosine_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"search vector of memory {self.memory_id}"


class MemorySearchPending(models.Model):
    """A stored memory whose vector is not yet in the global search index (an outbox that
    ``memory.index_for_search`` drains; the memory id is all it holds)."""

    # ON DELETE CASCADE in migration 0005: a memory deleted while queued leaves nothing here.
    memory = models.OneToOneField(
        Memory,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="search_pending",
    )

    def __str__(self) -> str:
        return f"memory {self.memory_id} awaiting the search index"


class MemoryRejection(models.Model):
    """A candidate memory that scored below the store threshold, with its score and the reason."""

    user_id = models.CharField(max_length=128, help_text="Opaque learner id from the platform.")
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="memory_rejections"
    )
    diagnosis = models.OneToOneField(
        Diagnosis, on_delete=models.CASCADE, related_name="memory_rejection"
    )
    score = models.FloatField()
    components = models.JSONField(default=dict)
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user_id", "-created_at"], name="memory_rejection_user")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.score:.3f} rejected"
