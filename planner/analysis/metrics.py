"""Scores of a clustering against labelled truth: adjusted Rand index and pairwise precision/recall/F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sklearn.metrics import adjusted_rand_score

from planner.errors import InputError


@dataclass(frozen=True, slots=True)
class Scores:
    """Agreement of predicted groups with true groups (pairs of letters put together)."""

    ari: float
    precision: float
    recall: float
    f1: float

    def __str__(self) -> str:
        return f"ARI {self.ari:.3f}  pairwise P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}"


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def score(truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Compare two labelings of the same letters (same order).

    Parameters
    ----------
    truth, predicted
        Group label per letter; equal labels mean "same group".

    Returns
    -------
    Scores
        Pairwise precision/recall are 1.0 when there are no pairs to find or to get wrong.

    Raises
    ------
    InputError
        If the two sequences differ in length.
    """
    if len(truth) != len(predicted):
        raise InputError(f"标准答案有 {len(truth)!r} 个标签，预测结果有 {len(predicted)!r} 个，数目不一致")
    both = _pairs(Counter(zip(truth, predicted, strict=False)))
    t_pairs = _pairs(Counter(truth))
    p_pairs = _pairs(Counter(predicted))
    precision = both / p_pairs if p_pairs else 1.0
    recall = both / t_pairs if t_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    ari = float(adjusted_rand_score(list(truth), list(predicted))) if truth else 1.0
    return Scores(ari=ari, precision=precision, recall=recall, f1=f1)


def group_f1(truth: Sequence[str], predicted: Sequence[str], *, min_size: int = 2) -> dict[str, float]:
    """F1 of each true group against the predicted group that matches it best (letters as elements).

    Parameters
    ----------
    truth, predicted
        Group label per letter (same order).
    min_size
        True groups smaller than this are left out (a single letter is trivially recovered or not).

    Returns
    -------
    dict[str, float]
        True label -> ``2 |T ∩ P| / (|T| + |P|)`` for the best predicted group ``P``.

    Raises
    ------
    InputError
        If the two sequences differ in length.
    """
    if len(truth) != len(predicted):
        raise InputError(f"标准答案有 {len(truth)!r} 个标签，预测结果有 {len(predicted)!r} 个，数目不一致")
    t_size = Counter(truth)
    p_size = Counter(predicted)
    both = Counter(zip(truth, predicted, strict=True))
    best: dict[str, float] = {}
    for (t, p), n in both.items():
        if t_size[t] < min_size:
            continue
        f1 = 2 * n / (t_size[t] + p_size[p])
        best[t] = max(best.get(t, 0.0), f1)
    return best
