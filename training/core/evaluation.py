"""Offline evaluation: classification reports, McNemar's paired test, SVG plots (000 §0.2).

Pure and deterministic. The numbers come from ``sklearn.metrics`` with ``zero_division=0`` over
the full ``labels`` list, so a label absent from the data is reported with support 0 and counts
as F1 0 in the macro average, as scikit-learn does. The plots are hand-written standalone SVG
(no plotting library), byte-identical for identical input, so their SHA-256 can be recorded as
evidence for an approval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from scipy.stats import binomtest, chi2
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

from training.core.calibration import ReliabilityBin

MCNEMAR_EXACT_BELOW = 25
"""Discordant pairs below which McNemar's test uses the exact binomial instead of chi-square."""

_FONT = "font-family='Helvetica, Arial, sans-serif'"
_CHAR_WIDTH = 7.0  # an estimate for 12 px sans-serif text, to size margins around labels
_CELL = 40
_LOW_RGB = (247, 251, 255)
_HIGH_RGB = (8, 81, 156)


@dataclass(frozen=True)
class ClassReport:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class ClassificationReport:
    """Scores for one classifier on one evaluation set; confusion rows are true labels."""

    labels: tuple[str, ...]
    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_class: tuple[ClassReport, ...]
    confusion: tuple[tuple[int, ...], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "weighted_f1": self.weighted_f1,
            "per_class": [
                {
                    "label": c.label,
                    "precision": c.precision,
                    "recall": c.recall,
                    "f1": c.f1,
                    "support": c.support,
                }
                for c in self.per_class
            ],
            "confusion": [list(row) for row in self.confusion],
        }


def classification_report(
    y_true: Sequence[str], y_pred: Sequence[str], *, labels: Sequence[str]
) -> ClassificationReport:
    """Accuracy, macro and weighted F1, per-class scores and the confusion matrix over ``labels``.

    Every value of ``y_true`` and ``y_pred`` must be one of ``labels`` (raises ``ValueError``
    otherwise). Empty input gives zeros everywhere.
    """
    labels = tuple(str(label) for label in labels)
    if not labels or len(set(labels)) != len(labels):
        raise ValueError("labels must be a non-empty list of distinct names")
    true = [str(v) for v in y_true]
    pred = [str(v) for v in y_pred]
    if len(true) != len(pred):
        raise ValueError(f"y_true has {len(true)} values but y_pred has {len(pred)}")
    unknown = sorted(set(true).union(pred).difference(labels))
    if unknown:
        raise ValueError(f"values not among the labels: {unknown}")
    k = len(labels)
    if not true:
        return ClassificationReport(
            labels=labels,
            accuracy=0.0,
            macro_f1=0.0,
            weighted_f1=0.0,
            per_class=tuple(ClassReport(label, 0.0, 0.0, 0.0, 0) for label in labels),
            confusion=tuple((0,) * k for _ in labels),
        )
    label_list = list(labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        true, pred, labels=label_list, zero_division=0
    )
    _, _, macro_f1, _ = precision_recall_fscore_support(
        true, pred, labels=label_list, average="macro", zero_division=0
    )
    _, _, weighted_f1, _ = precision_recall_fscore_support(
        true, pred, labels=label_list, average="weighted", zero_division=0
    )
    matrix = confusion_matrix(true, pred, labels=label_list)
    return ClassificationReport(
        labels=labels,
        accuracy=float(accuracy_score(true, pred)),
        macro_f1=float(macro_f1),
        weighted_f1=float(weighted_f1),
        per_class=tuple(
            ClassReport(
                label=label,
                precision=float(precision[i]),
                recall=float(recall[i]),
                f1=float(f1[i]),
                support=int(support[i]),
            )
            for i, label in enumerate(labels)
        ),
        confusion=tuple(tuple(int(v) for v in row) for row in matrix),
    )


def mcnemar_test(correct_a: Sequence[bool], correct_b: Sequence[bool]) -> dict[str, Any]:
    """McNemar's test of two classifiers on the same evaluation set, sample by sample.

    ``b01`` counts samples A got wrong and B right, ``b10`` those A got right and B wrong. With
    fewer than ``MCNEMAR_EXACT_BELOW`` discordant pairs the p-value is the exact two-sided
    binomial test of ``b10`` out of ``b01 + b10`` at 0.5 (``statistic`` is ``min(b01, b10)``);
    otherwise chi-square with continuity correction, ``(|b01 - b10| - 1)^2 / (b01 + b10)``, one
    degree of freedom. No discordant pairs: statistic 0.0, p-value 1.0.
    """
    a = _as_bool(correct_a, name="correct_a")
    b = _as_bool(correct_b, name="correct_b")
    if a.shape != b.shape:
        raise ValueError(f"correct_a has {a.size} values but correct_b has {b.size}")
    b01 = int(np.sum(~a & b))
    b10 = int(np.sum(a & ~b))
    discordant = b01 + b10
    if discordant == 0:
        method, statistic, p_value = "none", 0.0, 1.0
    elif discordant < MCNEMAR_EXACT_BELOW:
        method = "exact_binomial"
        statistic = float(min(b01, b10))
        p_value = float(binomtest(b10, discordant, 0.5, alternative="two-sided").pvalue)
    else:
        method = "chi_square_continuity"
        statistic = float((abs(b01 - b10) - 1) ** 2 / discordant)
        p_value = float(chi2.sf(statistic, 1))
    return {
        "n": int(a.size),
        "b01": b01,
        "b10": b10,
        "statistic": statistic,
        "p_value": min(max(p_value, 0.0), 1.0),
        "method": method,
    }


def confusion_matrix_svg(report: ClassificationReport, *, title: str) -> str:
    """A heat-map of the confusion matrix: rows true, columns predicted, counts in the cells.

    A cell's shade is its share of the true class (row-normalised), so a rare class reads as
    clearly as a common one; the cell text is the raw count.
    """
    labels = report.labels
    k = len(labels)
    longest = max((len(label) for label in labels), default=1)
    label_space = math.ceil(longest * _CHAR_WIDTH) + 12
    left = label_space + 24
    top = 48
    grid = k * _CELL
    bottom = label_space + 36
    width = max(left + grid + 24, int(len(title) * _CHAR_WIDTH * 1.2) + 40)
    height = top + grid + bottom
    parts = _svg_open(width, height, title)
    parts.append(
        f"<text x='{width // 2}' y='24' text-anchor='middle' font-size='16' "
        f"font-weight='bold'>{escape(title)}</text>"
    )
    for i, row in enumerate(report.confusion):
        row_total = sum(row)
        for j, count in enumerate(row):
            share = count / row_total if row_total else 0.0
            x, y = left + j * _CELL, top + i * _CELL
            parts.append(
                f"<rect x='{x}' y='{y}' width='{_CELL}' height='{_CELL}' "
                f"fill='{_shade(share)}' stroke='#ffffff' stroke-width='1'/>"
            )
            ink = "#ffffff" if share > 0.5 else "#222222"
            parts.append(
                f"<text x='{x + _CELL // 2}' y='{y + _CELL // 2 + 4}' text-anchor='middle' "
                f"font-size='12' fill='{ink}'>{count}</text>"
            )
    for i, label in enumerate(labels):
        y = top + i * _CELL + _CELL // 2 + 4
        parts.append(
            f"<text x='{left - 6}' y='{y}' text-anchor='end' font-size='12'>{escape(label)}</text>"
        )
    for j, label in enumerate(labels):
        x = left + j * _CELL + _CELL // 2 + 4
        y = top + grid + 6
        parts.append(
            f"<text x='{x}' y='{y}' text-anchor='end' font-size='12' "
            f"transform='rotate(-90 {x} {y})'>{escape(label)}</text>"
        )
    parts.append(
        f"<text x='{left + grid // 2}' y='{height - 10}' text-anchor='middle' "
        f"font-size='13'>predicted</text>"
    )
    middle = top + grid // 2
    parts.append(
        f"<text x='16' y='{middle}' text-anchor='middle' font-size='13' "
        f"transform='rotate(-90 16 {middle})'>true</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def reliability_diagram_svg(bins: Sequence[ReliabilityBin], *, title: str, ece: float) -> str:
    """Accuracy per confidence bin as bars against the diagonal of perfect calibration.

    Each non-empty bin is a bar spanning its confidence range with the bin's accuracy as height,
    a dot marks (mean confidence, accuracy), and the bin's sample count sits above the bar.
    """
    size, left, top = 320, 56, 48
    width, height = left + size + 24, top + size + 64
    n = sum(b.count for b in bins)

    def px(v: float) -> str:
        return _num(left + v * size)

    def py(v: float) -> str:
        return _num(top + size - v * size)

    parts = _svg_open(width, height, title)
    parts.append(
        f"<text x='{width // 2}' y='24' text-anchor='middle' font-size='16' "
        f"font-weight='bold'>{escape(title)}</text>"
    )
    parts.append(
        f"<rect x='{left}' y='{top}' width='{size}' height='{size}' fill='#ffffff' "
        f"stroke='#444444' stroke-width='1'/>"
    )
    for tick in range(6):
        v = tick / 5
        parts.append(
            f"<text x='{px(v)}' y='{top + size + 16}' text-anchor='middle' "
            f"font-size='11'>{v:.1f}</text>"
        )
        parts.append(
            f"<text x='{left - 6}' y='{_num(top + size - v * size + 4)}' text-anchor='end' "
            f"font-size='11'>{v:.1f}</text>"
        )
    for b in bins:
        if not b.count:
            continue
        lower, upper = min(b.lower, b.upper), max(b.lower, b.upper)
        bar_width = max((upper - lower) * size, 2.0)
        x0 = min(left + lower * size, left + size - bar_width)
        parts.append(
            f"<rect x='{_num(x0)}' y='{py(b.accuracy)}' width='{_num(bar_width)}' "
            f"height='{_num(b.accuracy * size)}' fill='#6baed6' stroke='#2171b5' "
            f"stroke-width='1'/>"
        )
        parts.append(
            f"<circle cx='{px(b.mean_confidence)}' cy='{py(b.accuracy)}' r='3' fill='#08306b'/>"
        )
        parts.append(
            f"<text x='{_num(x0 + bar_width / 2)}' y='{_num(top + size - b.accuracy * size - 4)}' "
            f"text-anchor='middle' font-size='9' fill='#444444'>{b.count}</text>"
        )
    parts.append(
        f"<line x1='{px(0.0)}' y1='{py(0.0)}' x2='{px(1.0)}' y2='{py(1.0)}' stroke='#d62728' "
        f"stroke-width='1.5' stroke-dasharray='5,4'/>"
    )
    parts.append(
        f"<text x='{left + size // 2}' y='{top + size + 34}' text-anchor='middle' "
        f"font-size='13'>confidence</text>"
    )
    middle = top + size // 2
    parts.append(
        f"<text x='16' y='{middle}' text-anchor='middle' font-size='13' "
        f"transform='rotate(-90 16 {middle})'>accuracy</text>"
    )
    parts.append(
        f"<text x='{left + size // 2}' y='{height - 10}' text-anchor='middle' "
        f"font-size='13'>ECE = {ece:.4f} (n = {n}, {len(bins)} bins)</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_open(width: int, height: int, title: str) -> list[str]:
    return [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' {_FONT}>",
        f"<title>{escape(title)}</title>",
        f"<rect x='0' y='0' width='{width}' height='{height}' fill='#ffffff'/>",
    ]


def _shade(share: float) -> str:
    """A colour from near-white (0) to dark blue (1)."""
    share = min(max(share, 0.0), 1.0)
    rgb = (round(lo + (hi - lo) * share) for lo, hi in zip(_LOW_RGB, _HIGH_RGB, strict=True))
    return "#" + "".join(f"{v:02x}" for v in rgb)


def _num(value: float) -> str:
    """Coordinates with two decimals, so the text is stable across platforms."""
    return f"{value:.2f}"


def _as_bool(values: Sequence[bool], *, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.dtype == np.bool_:
        return array
    if array.size and not np.isin(array, (0, 1)).all():
        raise ValueError(f"{name} must hold booleans or 0/1 values")
    return array.astype(bool)
