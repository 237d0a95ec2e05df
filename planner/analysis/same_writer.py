"""One writer's letters: whether two of them tell two matters, and whether a letter that says it writes again
repeats another of the writer's letters than the one it is compared with."""

from __future__ import annotations

from collections.abc import Sequence

from planner.analysis.evidence import Letter, _cores_related, _cores_share
from planner.analysis.meaning import _ALIKE, closeness


def _unlike(state, i: int, j: int) -> bool:
    """Whether words and meaning tell letters ``i`` and ``j`` two matters: no shared core word, and unrelated core
    words named on both sides (related ones, 红包 / 贿选, are one matter told from two sides), or, where a side names
    none, meaning under :data:`_ALIKE`."""
    ca, cb = state.mined[i].cores, state.mined[j].cores
    if _cores_share(ca, cb):
        return False
    if ca and cb:
        return not _cores_related(tuple(ca), tuple(cb))
    return state.sem is not None and closeness(state, i, j) < _ALIKE


def _repeats_other(state, letters: Sequence[Letter], i: int, j: int) -> bool:
    """Whether the later of one writer's letters ``i`` and ``j``, which says it writes again, repeats another letter
    of that writer written before it: one that words and meaning do not tell apart from it (:func:`_unlike`)."""
    later = i if (letters[i].received_date, i) > (letters[j].received_date, j) else j
    if not state.evidence[later].repeat:
        return False
    key, when = letters[later].petitioner_key, letters[later].received_date
    return any(
        k not in (i, j) and letters[k].received_date <= when and not _unlike(state, later, k)
        for k in _writer_letters(state, letters).get(key, ())
    )


def _repeated(state, letters: Sequence[Letter], i: int, first: int) -> int:
    """Of the writer's letters before ``i`` (which says it writes again, at ``first``'s place but unlike it), the
    latest that words and meaning do not tell apart from it; ``first`` when there is none (a repeat reworded:
    山地纠纷 after 侵占承包的山地, demo seed 7)."""
    key, when = letters[i].petitioner_key, letters[i].received_date
    alike = [k for k in _writer_letters(state, letters).get(key, ()) if k not in (i, first)
             and (letters[k].received_date, k) < (when, i) and not _unlike(state, i, k)]
    return max(alike, key=lambda k: (letters[k].received_date, k)) if alike else first


def _writer_letters(state, letters: Sequence[Letter]) -> dict[str, list[int]]:
    """Petitioner key -> the indices of that writer's letters (cached on the state while the register is unchanged)."""
    got = state.writer_letters
    if got is None or got[0] != len(letters):
        index: dict[str, list[int]] = {}
        for k, lt in enumerate(letters):
            if lt.petitioner_key:
                index.setdefault(lt.petitioner_key, []).append(k)
        got = state.writer_letters = (len(letters), index)
    return got[1]
