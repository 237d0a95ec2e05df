"""Candidate pairs of letters: the clusters' cross pairs for the merge pass, and nearest letters by meaning."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

import numpy as np

from planner.analysis.evidence import astray_keys


def _cross_links(
    assigned: dict[int, str], nbrs: dict[int, list[tuple[int, float]]], frozen: set[str]
) -> list[tuple[int, int, float]]:
    """Neighbour pairs (i < j) whose letters sit in two different clusters, neither frozen, each pair once,
    most similar first (ties by i, then j). Filtered and sorted with numpy: 10,000 letters give ~200,000 pairs."""
    label: dict[str, int] = {}
    lab = np.full(max(max(assigned, default=-1), max(nbrs, default=-1)) + 1, -1, dtype=np.int64)
    for i, cid in assigned.items():
        if cid not in frozen:
            lab[i] = label.setdefault(cid, len(label))
    qi: list[int] = []
    flat: list[tuple[int, float]] = []
    for i, row in nbrs.items():
        if row and lab[i] >= 0:
            qi.extend([i] * len(row))
            flat.extend(row)
    if not flat:
        return []
    pairs = np.array(flat, dtype=np.float64)
    a = np.array(qi, dtype=np.int64)
    b = pairs[:, 0].astype(np.int64)
    sim = pairs[:, 1]
    ok = (b < len(lab)) & (lab[a] >= 0)
    ok[ok] &= lab[b[ok]] >= 0
    ok[ok] &= lab[a[ok]] != lab[b[ok]]
    lo, hi, sim = np.minimum(a, b)[ok], np.maximum(a, b)[ok], sim[ok]
    order = np.lexsort((hi, lo, -sim))
    lo, hi, sim = lo[order], hi[order], sim[order]
    if len(lo) > 1:  # the same pair with the same similarity once (it may be listed from both sides)
        keep = np.ones(len(lo), dtype=bool)
        keep[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1]) | (sim[1:] != sim[:-1])
        lo, hi, sim = lo[keep], hi[keep], sim[keep]
    return list(zip(lo.tolist(), hi.tolist(), sim.tolist(), strict=True))


def _nearest_by_meaning(
    sem: np.ndarray, free: list[int], pos: np.ndarray, k: int, floor: float,
    low: float | None = None, at_low: Callable[[int, int], bool] | None = None,
) -> dict[int, list[int]]:
    """The ``k`` letters received before each free letter whose meaning vectors (unit rows of ``sem``) are closest,
    at cosine ``floor`` or more, or at ``low`` or more for a pair where ``at_low`` holds (one village: only there
    does a lower closeness link, and only there may it bring candidates the word rules would judge anew)."""
    out: dict[int, list[int]] = {}
    if not free or sem.shape[0] < 2:
        return out
    q = np.asarray(free, dtype=np.int64)
    for start in range(0, len(q), 512):
        idx = q[start : start + 512]
        sims = sem[idx] @ sem.T
        sims[pos[None, :] >= pos[idx, None]] = -1.0
        kk = min(k, sims.shape[1] - 1)
        top = np.argpartition(-sims, kk, axis=1)[:, : kk + 1] if sims.shape[1] > kk + 1 else np.argsort(-sims, axis=1)
        vals = np.take_along_axis(sims, top, axis=1)
        for r, i in enumerate(idx.tolist()):
            keep = vals[r] >= floor
            if at_low is not None and low is not None:
                keep |= np.array([low <= v < floor and at_low(i, j) for v, j in zip(vals[r].tolist(), top[r].tolist(),
                                                                             strict=True)], dtype=bool)
            out[i] = [j for _v, j in sorted(zip((-vals[r][keep]).tolist(), top[r][keep].tolist(), strict=True))]
    return out


def _with_meaning(
    nbrs: dict[int, list[tuple[int, float]]], near: dict[int, list[int]], matrix
) -> dict[int, list[tuple[int, float]]]:
    """Each letter's word neighbours (letter, word cosine), plus its nearest letters by meaning that the words missed,
    with their word cosine; best word cosine first, as the assignment expects."""
    extra = [(i, j) for i, js in near.items() for j in js if all(j != b for b, _s in nbrs.get(i, ()))]
    if not extra:
        return nbrs
    a = np.fromiter((i for i, _j in extra), dtype=np.int64, count=len(extra))
    b = np.fromiter((j for _i, j in extra), dtype=np.int64, count=len(extra))
    sims = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel().tolist()
    out = {i: list(row) for i, row in nbrs.items()}
    for (i, j), s in zip(extra, sims, strict=True):
        out.setdefault(i, []).append((j, float(s)))
    for i in {i for i, _j in extra}:
        out[i].sort(key=lambda t: -t[1])
    return out


def _village_mates(
    villages: Sequence[frozenset[str]], free: Sequence[int], pos: np.ndarray, k: int
) -> dict[int, list[int]]:
    """The ``k`` latest letters received before each free letter at one of its villages: one village's matter told
    in other words shares neither words nor enough meaning to be a neighbour, and only the village rules can see it.
    Each key's letters are kept in date order, so a key thousands of letters share costs ``k`` a letter, not thousands.
    """
    at: dict[str, list[int]] = {}
    for i in sorted(range(len(villages)), key=lambda t: pos[t]):
        for v in villages[i]:
            at.setdefault(v, []).append(i)
    at_pos = {v: [int(pos[j]) for j in js] for v, js in at.items()}
    out: dict[int, list[int]] = {}
    for i in free:
        mates: set[int] = set()
        for v in villages[i]:
            js = at.get(v)
            if js:
                end = bisect.bisect_left(at_pos[v], int(pos[i]))
                mates.update(js[max(0, end - k) : end])
        if mates:
            out[i] = sorted(mates, key=lambda j: -pos[j])[:k]
    return out


def _joined(a: dict[int, list[int]], b: dict[int, list[int]]) -> dict[int, list[int]]:
    """Candidate lists ``a`` and ``b`` together, each candidate once, ``a``'s first."""
    return {i: list(dict.fromkeys([*a.get(i, ()), *b.get(i, ())])) for i in a.keys() | b.keys()}


#: Earlier letters of one village looked at for each letter (the latest first), besides its nearest by words and
#: by meaning.
_MATES = 12


def _villages(state) -> list[frozenset[str]]:
    """Each letter's villages (or estates), as place keys."""
    return [frozenset(p.villages) for p in state.place_info]


def _mates(state, letters: Sequence, free: Sequence[int], pos: np.ndarray) -> dict[int, list[int]]:
    """Candidates the words and the meaning can miss: the latest earlier letters of each letter's villages
    (:func:`_village_mates`) and of the public programmes it says money of went astray
    (:func:`~planner.analysis.evidence.astray_keys`): one programme told in other words at other villages (种粮补贴 /
    耕地地力保护补贴) shares too few words to be a neighbour, and only the programme rule can see it."""
    keys = [astray_keys(m.cores, lt.text) for m, lt in zip(state.mined, letters, strict=True)]
    return _joined(_village_mates(_villages(state), free, pos, _MATES), _village_mates(keys, free, pos, _MATES))
