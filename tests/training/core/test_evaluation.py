"""Classification reports, McNemar's test and the SVG plots (no database)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from scipy.stats import chi2
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score

from training.core.calibration import reliability_curve
from training.core.evaluation import (
    ClassificationReport,
    ClassReport,
    classification_report,
    confusion_matrix_svg,
    mcnemar_test,
    reliability_diagram_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
LABELS = ["a", "b", "c", "d"]
Y_TRUE = ["a", "a", "a", "b", "b", "c"]
Y_PRED = ["a", "a", "b", "b", "c", "c"]


@pytest.fixture
def report() -> ClassificationReport:
    return classification_report(Y_TRUE, Y_PRED, labels=LABELS)


# classification report -------------------------------------------------------------------------


def test_report_matches_sklearn_on_a_hand_example(report: ClassificationReport) -> None:
    assert report.labels == tuple(LABELS)
    assert report.accuracy == pytest.approx(4 / 6)
    assert report.accuracy == accuracy_score(Y_TRUE, Y_PRED)
    assert report.macro_f1 == pytest.approx(
        f1_score(Y_TRUE, Y_PRED, labels=LABELS, average="macro", zero_division=0)
    )
    assert report.weighted_f1 == pytest.approx(
        f1_score(Y_TRUE, Y_PRED, labels=LABELS, average="weighted", zero_division=0)
    )
    # rows are the true label, columns the prediction
    assert report.confusion == ((2, 1, 0, 0), (0, 1, 1, 0), (0, 0, 1, 0), (0, 0, 0, 0))
    assert report.confusion == tuple(
        tuple(row) for row in confusion_matrix(Y_TRUE, Y_PRED, labels=LABELS).tolist()
    )
    a, b, c, _ = report.per_class
    assert (a.precision, a.recall, a.support) == (1.0, pytest.approx(2 / 3), 3)
    assert (b.precision, b.recall, b.f1, b.support) == (0.5, 0.5, 0.5, 2)
    assert (c.precision, c.recall, c.support) == (0.5, 1.0, 1)
    assert c.f1 == pytest.approx(2 / 3)


def test_labels_absent_from_the_data_appear_with_support_zero(
    report: ClassificationReport,
) -> None:
    assert report.per_class[3] == ClassReport(
        label="d", precision=0.0, recall=0.0, f1=0.0, support=0
    )
    assert sum(c.support for c in report.per_class) == len(Y_TRUE)


def test_report_to_dict_is_json_ready(report: ClassificationReport) -> None:
    data = json.loads(json.dumps(report.to_dict()))
    assert data["labels"] == LABELS
    assert data["confusion"][0] == [2, 1, 0, 0]
    assert data["per_class"][1] == {
        "label": "b",
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "support": 2,
    }


def test_report_input_checks_and_empty_input() -> None:
    with pytest.raises(ValueError, match="not among the labels"):
        classification_report(["a", "z"], ["a", "a"], labels=LABELS)
    with pytest.raises(ValueError, match="y_pred has 1"):
        classification_report(["a", "b"], ["a"], labels=LABELS)
    with pytest.raises(ValueError, match="distinct"):
        classification_report(["a"], ["a"], labels=["a", "a"])
    empty = classification_report([], [], labels=LABELS)
    assert (empty.accuracy, empty.macro_f1, empty.weighted_f1) == (0.0, 0.0, 0.0)
    assert empty.confusion == ((0,) * 4,) * 4


# McNemar ---------------------------------------------------------------------------------------


def test_mcnemar_identical_predictions_give_p_one() -> None:
    correct = [True, False, True, True, False] * 20
    result = mcnemar_test(correct, list(correct))
    assert result == {
        "n": 100,
        "b01": 0,
        "b10": 0,
        "statistic": 0.0,
        "p_value": 1.0,
        "method": "none",
    }


def test_mcnemar_exact_branch_below_25_discordant_pairs() -> None:
    a = [True] * 10 + [True] * 30
    b = [False] * 10 + [True] * 30
    result = mcnemar_test(a, b)
    assert (result["b01"], result["b10"], result["n"]) == (0, 10, 40)
    assert result["method"] == "exact_binomial"
    assert result["p_value"] == pytest.approx(2 * 0.5**10)


def test_mcnemar_balanced_disagreement_is_not_significant() -> None:
    a = [True] * 12 + [False] * 12
    b = [False] * 12 + [True] * 12
    result = mcnemar_test(a, b)
    assert result["method"] == "exact_binomial"
    assert result["p_value"] == pytest.approx(1.0)


def test_mcnemar_chi_square_branch_from_25_discordant_pairs() -> None:
    a = [False] * 5 + [True] * 20 + [True] * 75
    b = [True] * 5 + [False] * 20 + [True] * 75
    result = mcnemar_test(a, b)
    assert (result["b01"], result["b10"]) == (5, 20)
    assert result["method"] == "chi_square_continuity"
    assert result["statistic"] == pytest.approx((15 - 1) ** 2 / 25)
    assert result["p_value"] == pytest.approx(chi2.sf(196 / 25, 1))
    assert result["p_value"] < 0.01


def test_mcnemar_strongly_different_models_give_a_small_p() -> None:
    a = [True] * 100
    b = [True] * 40 + [False] * 60
    assert mcnemar_test(a, b)["p_value"] < 1e-10


def test_mcnemar_input_checks() -> None:
    with pytest.raises(ValueError, match="correct_b has 1"):
        mcnemar_test([True, False], [True])
    with pytest.raises(ValueError, match="0/1"):
        mcnemar_test([1, 2], [1, 0])


# SVG -------------------------------------------------------------------------------------------


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own generated SVG, not untrusted input


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def test_confusion_svg_is_standalone_labelled_and_deterministic() -> None:
    labels = ["off_by_one", "<weird & label>", "c"]
    report = classification_report(
        ["off_by_one"] * 7 + ["<weird & label>"] * 3 + ["c"] * 12,
        ["off_by_one"] * 5 + ["c"] * 2 + ["<weird & label>"] * 3 + ["c"] * 11 + ["off_by_one"],
        labels=labels,
    )
    svg = confusion_matrix_svg(report, title="Root cause <test>")
    assert svg == confusion_matrix_svg(report, title="Root cause <test>")
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert {"width", "height", "viewBox"} <= set(root.attrib)
    texts = _texts(root)
    for label in labels:
        assert texts.count(label) == 2  # row and column
    for row in report.confusion:
        for count in row:
            assert str(count) in texts
    assert "Root cause <test>" in texts
    assert root.find(f"{SVG}title").text == "Root cause <test>"
    assert len(root.findall(f"{SVG}rect")) == 1 + len(labels) ** 2
    assert any("rotate(-90" in el.get("transform", "") for el in root.iter(f"{SVG}text"))


def test_reliability_svg_shows_bars_diagonal_and_ece() -> None:
    conf = [0.05, 0.15, 0.55, 0.6, 0.95, 1.0, 0.3]
    hit = [0, 0, 1, 0, 1, 1, 1]
    bins = reliability_curve(conf, hit)
    svg = reliability_diagram_svg(bins, title="Calibration & co", ece=0.0312)
    assert svg == reliability_diagram_svg(bins, title="Calibration & co", ece=0.0312)
    root = parse(svg)
    assert {"width", "height", "viewBox"} <= set(root.attrib)
    texts = _texts(root)
    assert "Calibration & co" in texts
    assert any("ECE = 0.0312" in t for t in texts)
    non_empty = [b for b in bins if b.count]
    assert len(root.findall(f"{SVG}circle")) == len(non_empty)
    assert len(root.findall(f"{SVG}line")) == 1  # the diagonal
    quantile = reliability_curve(conf, hit, bins=3, strategy="quantile")
    parse(reliability_diagram_svg(quantile, title="equal mass", ece=0.1))
    empty = reliability_diagram_svg(reliability_curve([], []), title="empty", ece=0.0)
    assert parse(empty).findall(f"{SVG}circle") == []
