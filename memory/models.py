"""Tables of the memory app: learner memories in pgvector, and the candidates that were rejected.

Neither table keeps django-simple-history: they are learner data written by the diagnosis path,
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
    embedding = VectorField(dimensions=EMBEDDING_DIMENSION)
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
            # Learner-scoped retrieval: the learner's rows of one embedder, unexpired, then an
            # exact distance sort (DESIGN §8: exact and ~1 ms for 1,000 rows). Its prefix serves
            # the learner's list and erasure.
            models.Index(fields=["user_id", "embedder", "expires_at"], name="memory_learner"),
            # Global nearest-neighbour search (staff debugging, the benchmark's global top-k).
            HnswIndex(
                name="memory_embedding_hnsw",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
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
