"""The review queue of 关联分析: letters almost linked, with the evidence for and against, for a leader to decide.

A *near miss* is a pair of letters in different issue clusters that look alike (high similarity, shared core
matter words, a shared place, unit or person) but that the same-matter gate kept apart, or that the date order
left apart. A leader confirms it (``Decision("link", (a, b))``: b joins a's issue and the pair stays linked in
every later run) or rejects it (``Decision("unlink", (a, b))``: never linked automatically, never proposed
again). Both are stored with the other decisions by :func:`planner.store.clusters.decide`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.analysis.clustering import ClusterResult
from planner.analysis.evidence import _place_relation
from planner.analysis.linking import _shared_concepts, _verdict
from planner.analysis.wording import shown_term
from planner.errors import InputError

_TEMPLATE_REASON = "同一格式的反映"
_TEMPLATE_PENALTY = 0.5
_PER_ISSUE = 2


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Two letters almost linked.

    Attributes
    ----------
    a_id, b_id
        The letters (a is the earlier one); their issues differ.
    a_issue, b_issue
        Their issue cluster ids.
    similarity
        Cosine of their matter words.
    evidence_for
        Why they may be one matter (shared core words, terms, units, persons, place), in Chinese.
    evidence_against
        Why they were kept apart (the rule of the same-matter gate, or the date order), in Chinese.
    score
        Rank in the queue (higher first): similarity plus shared core words and place.
    """

    a_id: str
    b_id: str
    a_issue: str
    b_issue: str
    similarity: float
    evidence_for: tuple[str, ...]
    evidence_against: str
    score: float


def near_misses(
    result: ClusterResult,
    *,
    limit: int = 30,
    floor: float = 0.2,
    neighbours: int = 10,
) -> tuple[NearMiss, ...]:
    """Pairs of letters in different issues worth a leader's look, best first, one pair per two issues.

    Parameters
    ----------
    result
        A clustering result.
    limit
        At most this many pairs.
    floor
        Least similarity of a pair, unless it shares a core matter word.
    neighbours
        Most similar letters looked at for each letter.

    Returns
    -------
    tuple[NearMiss, ...]
        Pairs already confirmed or rejected are left out; each issue appears at most twice.

    Raises
    ------
    InputError
        If ``limit`` or ``neighbours`` is below 1 or ``floor`` outside [0, 1].
    """
    if limit < 1 or neighbours < 1:
        raise InputError(f"条数 limit 和近邻数 neighbours 至少为 1，收到 {limit!r} 和 {neighbours!r}")
    if not 0.0 <= floor <= 1.0:
        raise InputError(f"下限 floor 应在 0 到 1 之间，收到 {floor!r}")
    state = result._state
    letters = result.letters
    n = len(letters)
    if n < 2:
        return ()
    matrix = state.matrix
    decided = state.must_link | state.cannot_link
    issue = [result.issue_of[lt.letter_id] for lt in letters]
    k = min(neighbours, n - 1)
    base_t = matrix.T.tocsc()
    found: dict[tuple[str, str], NearMiss] = {}
    block = 512
    for start in range(0, n, block):
        sims = (matrix[start : start + block] @ base_t).toarray()
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = 0.0
        if sims.shape[1] > k:
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            top = np.tile(np.arange(n), (len(rows), 1))
        for r in rows:
            i = start + int(r)
            for j in top[r].tolist():
                sim = float(sims[r, j])
                if j == i or issue[i] == issue[j]:
                    continue
                a, b = (i, j) if (letters[i].received_date or letters[i].letter_id, i) <= (
                    letters[j].received_date or letters[j].letter_id, j) else (j, i)
                pair_ids = tuple(sorted((letters[a].letter_id, letters[b].letter_id)))
                if pair_ids in decided:
                    continue
                shared = _shared_concepts(state.mined[a].cores, state.mined[b].cores)
                if sim < floor and not shared:
                    continue
                key = tuple(sorted((issue[a], issue[b])))
                rel = _place_relation(state.place_info[a], state.place_info[b])
                score = sim + 0.15 * len(shared) + (0.1 if rel in ("village", "town") else 0.0)
                if key in found and found[key].score >= score:
                    continue
                linked, why = _verdict(state, letters, a, b, sim, result.options)
                against = "按时间顺序归入了其他更相近的组" if linked else why
                if not linked and why.startswith(_TEMPLATE_REASON):
                    # A template told at other places is a firm rule; a leader's time goes first to the pairs the
                    # gate refused on weaker grounds (too little in common, a word of their own on each side).
                    score -= _TEMPLATE_PENALTY
                reasons = result.explain(letters[a].letter_id, letters[b].letter_id).reasons()
                said = "、".join(shown_term(t, letters[a].text, letters[b].text) for t in shared)
                evidence = (("共同核心事项：" + said,) if shared else ()) + reasons
                found[key] = NearMiss(
                    a_id=letters[a].letter_id,
                    b_id=letters[b].letter_id,
                    a_issue=issue[a],
                    b_issue=issue[b],
                    similarity=round(sim, 3),
                    evidence_for=evidence,
                    evidence_against=against,
                    score=round(score, 3),
                )
    ranked = sorted(found.values(), key=lambda m: (-m.score, m.a_id, m.b_id))
    # Each issue at most twice: one template told at twenty places would otherwise fill the whole queue.
    seen: dict[str, int] = {}
    out: list[NearMiss] = []
    for m in ranked:
        if seen.get(m.a_issue, 0) >= _PER_ISSUE or seen.get(m.b_issue, 0) >= _PER_ISSUE:
            continue
        seen[m.a_issue] = seen.get(m.a_issue, 0) + 1
        seen[m.b_issue] = seen.get(m.b_issue, 0) + 1
        out.append(m)
        if len(out) == limit:
            break
    return tuple(out)
