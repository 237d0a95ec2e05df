"""A leader's decisions on the related-complaint groups (merge, split, detach, move, link, unlink) and how a run reads
them: which letters they pin where, which anchors hold, which pairs are confirmed or rejected.

Split from :mod:`planner.analysis.clustering`, which re-exports :class:`Decision` and :data:`PLACING_ACTIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.analysis.linking import _id_number, _issue_id, _resolve_alias
from planner.errors import InputError

_ACTIONS = ("merge", "split", "detach", "move", "link", "unlink")
#: The longest 说明 a decision keeps (characters).
NOTE_MAX = 200


@dataclass(frozen=True, slots=True)
class Decision:
    """A manual decision on issue clusters or letters, kept and replayed by later runs.

    Attributes
    ----------
    action
        ``"merge"`` (all letters of ``source`` join ``target``), ``"split"`` (``letter_ids`` leave their
        cluster for a new cluster ``target``), ``"detach"`` (each of ``letter_ids`` becomes a cluster of its own,
        ``target`` is the new id of the first one; more ids are numbered on), ``"move"`` (``letter_ids`` join the
        existing cluster ``target``: add a letter to a group, or move it from another), ``"link"`` (a near miss
        confirmed: ``letter_ids`` = (a, b), b joins a's cluster, filled into ``target``, and the pair stays linked)
        or ``"unlink"`` (a near miss rejected: the pair (a, b) is never linked automatically).
    letter_ids
        Letters concerned (split, detach, move; the pair for link and unlink).
    source, target
        Cluster ids (merge: from, to; move: to; split/detach/link: filled in by :func:`apply_decision`).
    anchors
        Merge and move: letters that were in ``target`` (and, for a merge, in ``source``) when the decision was
        made, filled in by :func:`apply_decision`. Ids are those of the view the leader saw, which need not be
        the ids of a later run (a leader's view of part of the letters is numbered on its own): a run keeps the
        anchors under ``target``, so the letters moved in stay with the letters they were moved to.
    note
        Why, in the leader's words (说明, optional; at most :data:`NOTE_MAX` characters): stored with the decision and
        named in its audit entry.
    """

    action: str
    letter_ids: tuple[str, ...] = ()
    source: str = ""
    target: str = ""
    anchors: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "note", " ".join(str(self.note or "").split()))
        if len(self.note) > NOTE_MAX:
            raise InputError(f"说明最多 {NOTE_MAX} 个字，收到 {len(self.note)} 个字")
        if self.action not in _ACTIONS:
            raise InputError(f"关联组调整操作应为 {'、'.join(_ACTIONS)} 之一，收到 {self.action!r}")
        object.__setattr__(self, "letter_ids", tuple(str(x) for x in self.letter_ids))
        object.__setattr__(self, "anchors", tuple(str(x) for x in self.anchors))
        if self.action == "merge" and not (self.source and self.target):
            raise InputError(f"合并须指定来源组和目标组，收到 {self.source!r} → {self.target!r}")
        if self.action in ("split", "detach", "move") and not self.letter_ids:
            raise InputError(f"操作 {self.action} 至少需要一件信件编号")
        if self.action == "move" and not self.target:
            raise InputError("移动须指定目标关联组")
        if self.action in ("link", "unlink") and (len(self.letter_ids) != 2 or len(set(self.letter_ids)) != 2):
            raise InputError(f"操作 {self.action} 需要两件不同的信件编号，收到 {self.letter_ids!r}")

    def pair(self) -> tuple[str, str]:
        """The letter pair of a link/unlink decision, sorted."""
        a, b = self.letter_ids[:2]
        return (a, b) if a < b else (b, a)

    def to_payload(self) -> dict:
        """JSON-able form (for the ``cluster_decisions`` table)."""
        out = {
            "action": self.action,
            "letter_ids": list(self.letter_ids),
            "source": self.source,
            "target": self.target,
        }
        if self.anchors:
            out["anchors"] = list(self.anchors)
        if self.note:
            out["note"] = self.note
        return out

    @classmethod
    def from_payload(cls, payload: dict) -> Decision:
        """Inverse of :meth:`to_payload`."""
        return cls(
            action=payload["action"],
            letter_ids=tuple(payload.get("letter_ids", ())),
            source=payload.get("source", ""),
            target=payload.get("target", ""),
            anchors=tuple(payload.get("anchors", ())),
            note=payload.get("note", ""),
        )


def _pinned_from(decisions: Sequence[Decision]) -> tuple[dict[str, str], dict[str, str]]:
    pinned: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for d in decisions:
        if d.action == "merge":
            aliases[d.source] = d.target
        elif d.action == "split":
            for lid in d.letter_ids:
                pinned[lid] = d.target
        elif d.action == "detach":
            for n, lid in enumerate(d.letter_ids):
                pinned[lid] = _issue_id(_id_number(d.target) + n) if n else d.target
        elif d.action == "move":
            for lid in d.letter_ids:
                pinned[lid] = d.target
        elif d.action == "link" and len(d.letter_ids) == 2:
            # A confirmed pair places its second letter with the first (as applying it did): an earlier pin of that
            # letter (a detach, a move) no longer holds it when the decisions are replayed.
            pinned.pop(d.letter_ids[1], None)
    return pinned, aliases


def _anchored(decisions: Sequence[Decision], present: set[str]) -> dict[str, str]:
    """Letter -> issue id that merge and move decisions hold their anchors to (a later decision wins); letters
    moved by hand are pinned anyway and left out."""
    out: dict[str, str] = {}
    moved = {lid for d in decisions if d.action in PLACING_ACTIONS for lid in d.letter_ids}
    for d in decisions:
        if d.action in ("merge", "move") and d.anchors:
            for lid in d.anchors:
                if lid in present and lid not in moved:
                    out[lid] = d.target
    return out


#: Decisions that place a letter by hand (a merge concerns groups; an unlink places nothing).
PLACING_ACTIONS = ("split", "detach", "move", "link")


def _detached(decisions: Sequence[Decision], pinned: Mapping[str, str], aliases: Mapping[str, str]) -> dict[str, str]:
    """Letter -> the group of its own that a detach (逐件移出) gave it, for letters still there (no later decision
    placed them elsewhere, the group was not merged by hand). Such a group is closed: the engine never puts another
    letter in it; only a leader does (移到该组, a confirmed pair)."""
    ids: dict[str, str] = {}
    for d in decisions:
        if d.action == "detach":
            for n, lid in enumerate(d.letter_ids):
                ids[lid] = _issue_id(_id_number(d.target) + n) if n else d.target
    return {
        lid: cid for lid, cid in ids.items()
        if pinned.get(lid) == cid and _resolve_alias(dict(aliases), cid) == cid
    }


def _pairs_from(decisions: Sequence[Decision]) -> tuple[frozenset, frozenset]:
    """Pairs a leader confirmed (link) and rejected (unlink); a later decision on a pair replaces an earlier one."""
    last: dict[tuple[str, str], str] = {}
    for d in decisions:
        if d.action in ("link", "unlink"):
            last[d.pair()] = d.action
    return (
        frozenset(p for p, a in last.items() if a == "link"),
        frozenset(p for p, a in last.items() if a == "unlink"),
    )


def _follows(decisions: Sequence[Decision], must_link: frozenset) -> dict[str, str]:
    """A confirmed pair's second letter -> its first (whose group it joins), for the pairs still confirmed; a later
    decision on a pair replaces an earlier one."""
    out: dict[str, str] = {}
    for d in decisions:
        if d.action in ("link", "unlink") and len(d.letter_ids) == 2:
            out = {m: f for m, f in out.items() if {m, f} != set(d.letter_ids)}
            if d.action == "link" and d.pair() in must_link:
                out[d.letter_ids[1]] = d.letter_ids[0]
    return out
