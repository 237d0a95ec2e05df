"""Persistence of cluster results and manual decisions (tables clusters, cluster_members, cluster_decisions).

Typical use by the 关联分析 page::

    result = store.recluster(session, cases)                 # ids kept from the last saved run
    result = store.decide(session, result, Decision("merge", source="I0007", target="I0003"), who="张**")
    session.commit()

Decisions are replayed by every later :func:`recluster`; ids of untouched clusters never change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.analysis.clustering import ClusterOptions, ClusterResult, Decision, Letter, analyse, apply_decision
from planner.domain import Cluster, PetitionCase
from planner.office import audit
from planner.store.models import CaseRow, ClusterDecision, ClusterMember, ClusterRow

_ID_MAX = 40  # length of clusters.id


def _db_id(cluster_id: str) -> str:
    if len(cluster_id) <= _ID_MAX:
        return cluster_id
    # Long place names in hotspot ids: keep the issue prefix, hash the rest (stable for the same place).
    head = cluster_id.split("@", 1)[0]
    return f"{head}@{hashlib.sha1(cluster_id.encode()).hexdigest()[:10]}"[:_ID_MAX]


def load_decisions(session: Session) -> list[Decision]:
    """Manual decisions, oldest first."""
    rows = session.scalars(select(ClusterDecision).order_by(ClusterDecision.id))
    return [Decision.from_payload(r.payload) for r in rows]


def record_decision(session: Session, decision: Decision, *, who: str = "") -> None:
    """Store one decision (the caller commits)."""
    session.add(ClusterDecision(action=decision.action, payload=decision.to_payload(), who=who))


def load_assignment(session: Session) -> dict[str, str]:
    """Case number -> issue cluster id, as last saved."""
    stmt = (
        select(CaseRow.case_no, ClusterMember.cluster_id)
        .join(ClusterMember, ClusterMember.case_id == CaseRow.id)
        .join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id)
        .where(ClusterRow.kind == "issue")
    )
    return {case_no: cid for case_no, cid in session.execute(stmt)}


def _info(c: Cluster, result: ClusterResult) -> dict:
    info = {
        "size": c.size,
        "county_codes": list(c.county_codes),
        "town_codes": list(c.town_codes),
        "reported": list(c.reported),
        "first_date": c.first_date.isoformat() if c.first_date else "",
        "last_date": c.last_date.isoformat() if c.last_date else "",
        "cluster_id": c.cluster_id,
    }
    if c.kind == "repeat":
        info["repeat_of"] = {x: result.repeat_of.get(x, "") for x in c.case_nos}
    return info


def save_result(session: Session, result: ClusterResult) -> int:
    """Replace the stored clusters with ``result`` (decisions are kept); return the number of clusters saved.

    Letters that are not cases in the database (e.g. from a register file) are left out of the members.
    """
    case_ids = {
        case_no: cid
        for case_no, cid in session.execute(
            select(CaseRow.case_no, CaseRow.id).where(CaseRow.case_no.in_(list(result.issue_of)))
        )
    }
    session.execute(delete(ClusterMember))
    session.execute(delete(ClusterRow))
    n = 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for c in (*result.issues, *result.hotspots, *result.repeats):
        members = [case_ids[x] for x in c.case_nos if x in case_ids]
        if not members:
            continue
        cid = _db_id(c.cluster_id)
        session.add(
            ClusterRow(
                id=cid,
                kind=c.kind,
                label=c.label[:200],
                parent_id=_db_id(c.parent_id) if c.parent_id else "",
                systemic=c.systemic,
                key_terms=list(c.key_terms),
                info=_info(c, result),
                updated_at=now,
            )
        )
        session.flush()
        session.add_all(ClusterMember(cluster_id=cid, case_id=k) for k in dict.fromkeys(members))
        n += 1
    session.flush()
    return n


#: Settings key: fingerprint of the office words (``AppSettings.lexicon``) the stored clusters were made with.
LEXICON_USED = "cluster_lexicon_used"


def recluster(
    session: Session,
    cases: Sequence[PetitionCase | Letter],
    *,
    options: ClusterOptions | None = None,
    save: bool = True,
    regroup: bool = False,
) -> ClusterResult:
    """Cluster ``cases`` keeping the ids of the last saved run and replaying every stored decision; save it.

    Letters already clustered keep their issue, so ids stay stable and only new letters are placed; with
    ``regroup`` (or when the office's own words, ``AppSettings.lexicon``, changed since the stored run) every letter
    is clustered afresh and old ids are reused where the groups overlap most. Stored decisions are replayed either way.
    ``save=False`` for an analysis of only part of the letters (what an officer or a leader may see): the stored
    clusters are the office's, over every letter, and a part must never replace them.
    The caller commits the session.
    """
    from planner.analysis.textmine import set_office_lexicon
    from planner.office.settings import ClusterLexicon, load_settings
    from planner.store.models import SettingRow

    lexicon = load_settings(session).lexicon  # the office's own words (设置 → 关联分析词表)
    set_office_lexicon(lexicon.pairs, lexicon.programmes)
    used = session.get(SettingRow, LEXICON_USED)
    made_with = used.value.get("key") if used is not None and isinstance(used.value, dict) else None
    regroup = regroup or (made_with or ClusterLexicon().key()) != lexicon.key()
    result = analyse(
        cases,
        options=options,
        decisions=load_decisions(session),
        previous_assignment=load_assignment(session),
        keep_previous=not regroup,
    )
    if save:
        save_result(session, result)
        if used is None:
            session.add(SettingRow(key=LEXICON_USED, value={"key": lexicon.key()}))
        elif made_with != lexicon.key():
            used.value = {"key": lexicon.key()}
        session.flush()
    return result


def decide(
    session: Session, result: ClusterResult, decision: Decision, *, who: str = "", save: bool = True
) -> ClusterResult:
    """Apply a manual decision to ``result``, store the decision (audited) and the new clusters; return the new result.

    ``save=False`` when ``result`` covers only part of the letters: the decision is stored (and replayed by every
    later :func:`recluster`), the stored clusters are left for an analysis of every letter.
    The caller commits the session.
    """
    new = apply_decision(result, decision)
    done = new.decisions[-1]
    record_decision(session, done, who=who)
    audit.record(
        session,
        who,
        f"cluster_{done.action}",
        case_nos=done.letter_ids,
        reason=_AUDIT_REASONS[done.action],
        detail={"source": done.source, "target": done.target},
    )
    if save:
        save_result(session, new)
    return new


_AUDIT_REASONS = {
    "merge": "关联分析：合并两组",
    "split": "关联分析：拆分为新的一组",
    "detach": "关联分析：逐件移出",
    "move": "关联分析：信件移入另一组",
    "link": "关联分析：确认为同一问题",
    "unlink": "关联分析：判定不是同一问题",
}


def cluster_labels(session: Session) -> dict[str, str]:
    """The stored clusters' labels by id (what a page shows instead of an id such as ``I0142``)."""
    return {cid: label for cid, label in session.execute(select(ClusterRow.id, ClusterRow.label)) if label}
