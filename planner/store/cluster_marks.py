"""Which letters of a related-complaint group a leader placed there by hand, said as the 关联分析 page's letter table
says it before the automatic evidence (walk 3: W3-071, added by a leader, showed only 每户；0.10；语义 0.04).

Read from the stored decisions (table cluster_decisions): the last decision that places a letter is what holds it
where it is (move: 人工加入, split: 人工分出成组); a confirmed pair (人工确认) counts while both its
letters are in the group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.analysis.clustering import Decision
from planner.office.clock import to_local
from planner.store.lifecycle import account_labels
from planner.store.models import ClusterDecision


def _by(people: Mapping[str, str], who: str, at: object) -> str:
    name = people.get(who or "", who or "") or "系统"
    day = to_local(at).date().isoformat() if at is not None else ""
    return "，".join(x for x in (name, day) if x)


def manual_marks(session: Session, letter_ids: Sequence[str]) -> dict[str, str]:
    """Letter -> 人工加入（who，date） or 人工确认（与 X 为同一事项，who，date） for the letters of one group
    (``letter_ids``) that a leader's decision placed there; letters the engine placed are left out."""
    members = set(letter_ids)
    placed: dict[str, str] = {}  # letter -> mark of the last move/split that placed it
    split_into: dict[str, str] = {}  # letter -> the group a split gave it (a merge of that group places it again)
    pairs: dict[tuple[str, str], str] = {}  # confirmed pair (sorted) -> by whom, the last decision on it
    people = account_labels(session)
    for row in session.scalars(select(ClusterDecision).order_by(ClusterDecision.id)):
        d = Decision.from_payload(row.payload)
        if d.action in ("move", "split"):
            verb = "人工加入" if d.action == "move" else "人工分出成组"
            for lid in d.letter_ids:
                placed[lid] = f"{verb}（{_by(people, row.who, row.at)}）"
                split_into[lid] = d.target if d.action == "split" else ""
        elif d.action == "merge":
            for lid, cid in split_into.items():  # a group split off and then merged into another: merged by hand
                if cid and cid == d.source and lid in placed:
                    placed[lid] = f"人工合并入组（{_by(people, row.who, row.at)}）"
                    split_into[lid] = d.target
        elif d.action == "detach":
            for lid in d.letter_ids:
                placed.pop(lid, None)  # taken out on its own: no longer added to a group by hand
        elif d.action in ("link", "unlink"):
            pair = d.pair()
            pairs.pop(pair, None)
            if d.action == "link":
                pairs[pair] = _by(people, row.who, row.at)
                placed.pop(d.letter_ids[1], None)  # the pair now holds it (as the engine replays it)
    out: dict[str, str] = {}
    for (a, b), by in pairs.items():
        if a in members and b in members:
            out.setdefault(a, f"人工确认（与 {b} 为同一事项，{by}）")
            out.setdefault(b, f"人工确认（与 {a} 为同一事项，{by}）")
    for lid, mark in placed.items():
        if lid in members:
            out[lid] = mark if lid not in out else f"{mark}；{out[lid]}"
    return out
