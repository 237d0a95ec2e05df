"""Persistence of cluster results and manual decisions (tables clusters, cluster_members, cluster_decisions).

Typical use by the 关联分析 page::

    result = store.recluster(session, cases)                 # ids kept from the last saved run
    result = store.decide(session, result, Decision("merge", source="I0007", target="I0003"), who="张**")
    session.commit()

Decisions are replayed by every later :func:`recluster`; ids of untouched clusters never change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from planner.analysis.clustering import (
    PLACING_ACTIONS,
    ClusterOptions,
    ClusterResult,
    Decision,
    Letter,
    analyse,
    apply_decision,
)
from planner.analysis.linking import _id_number, _issue_id
from planner.domain import Cluster, PetitionCase
from planner.errors import InputError, NotFoundError
from planner.office import audit
from planner.office.clock import utc_now
from planner.office.logs import mask_personal_text
from planner.store.models import CaseRow, ClusterDecision, ClusterMember, ClusterRow, PetitionerRow
from planner.store.vectors import stored_vectors

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
    now = utc_now()
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
    release: Sequence[str] = (),
    keep: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ClusterResult:
    """Cluster ``cases`` keeping the ids of the last saved run and replaying every stored decision; save it.

    Letters already clustered keep their issue, so ids stay stable and only new letters are placed; with
    ``regroup`` (or when the office's own words, ``AppSettings.lexicon``, changed since the stored run) every letter
    is clustered afresh and old ids are reused where the groups overlap most. Stored decisions are replayed either way.
    ``save=False`` for an analysis of only part of the letters (what an officer or a leader may see): the stored
    clusters are the office's, over every letter, and a part must never replace them.
    ``release``: letters placed afresh like new ones (their stored group is not kept), after 恢复自动分组.
    ``keep``: the groups of a view a leader has just decided in (letter -> id), used when no run was stored yet: the
    view's numbers are the ones the leader saw and the decision names, so the stored run takes them over instead of
    numbering every group afresh (walk E: 山林 I0001 came back as I0007 after a letter was moved into I0006).
    ``progress(done, total)`` is told how far the encoding of letters never analysed before has come (each letter's
    meaning vector is stored, see :mod:`planner.store.vectors`). The caller commits the session.
    """
    from planner.analysis.textmine import set_office_lexicon
    from planner.office.settings import ClusterLexicon, usable_settings
    from planner.store.models import SettingRow

    released = set(release)
    lexicon = usable_settings(session)[0].lexicon  # the office's own words (设置 → 关联分析词表)
    set_office_lexicon(lexicon.pairs, lexicon.programmes)
    used = session.get(SettingRow, LEXICON_USED)
    made_with = used.value.get("key") if used is not None and isinstance(used.value, dict) else None
    regroup = regroup or (made_with or ClusterLexicon().key()) != lexicon.key()
    stored = load_assignment(session)
    if not stored and keep:
        stored = dict(keep)
    letters = keyed_by_writer(session, cases)
    # A 市外 letter stored in a group of the city's own letters (before it was kept apart) is placed afresh.
    released |= _outside_in_city_groups(stored, [lt.letter_id for lt in letters if getattr(lt, "outside", False)])
    texts = [(lt if isinstance(lt, Letter) else Letter.from_case(lt)).text for lt in letters]  # = analysis_texts
    vectors = stored_vectors(session, texts, progress)
    decisions = load_decisions(session)
    previous = {k: v for k, v in stored.items() if k not in released}
    if release and not regroup and previous:
        # 恢复自动分组: a letter goes where an analysis of every letter puts it. Placed like a new letter, it could
        # only join letters received before it: the earliest letter of a group, split off and restored, stayed on
        # its own for good (walk W28: 0119 of 岭埔村茶园款; a 全部重新归类 put it back).
        fresh = analyse(letters, vectors=vectors, options=options, decisions=decisions)
        previous.update(_where_put(fresh.issue_of, previous, [x for x in release if x in fresh.issue_of]))
    result = analyse(
        letters,
        vectors=vectors,
        options=options,
        decisions=decisions,
        previous_assignment=previous,
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


def _where_put(fresh: Mapping[str, str], stored: Mapping[str, str], letters: Sequence[str]) -> dict[str, str]:
    """Each of ``letters`` -> the stored group most of its mates in ``fresh`` (an analysis of every letter) are in
    (the lowest id on a tie); a letter whose fresh group holds no stored letter is left out (placed afresh)."""
    out: dict[str, str] = {}
    for lid in letters:
        votes = Counter(stored[m] for m, cid in fresh.items() if cid == fresh[lid] and m != lid and m in stored)
        if votes:
            out[lid] = min(votes, key=lambda c: (-votes[c], c))
    return out


def _outside_in_city_groups(stored: Mapping[str, str], outside: Sequence[str]) -> set[str]:
    """The ``outside`` letters whose stored group also holds a letter that is not one of them."""
    far = set(outside)
    city_groups = {cid for no, cid in stored.items() if no not in far}
    return {no for no in far if stored.get(no) in city_groups}


def keyed_by_writer(session: Session, cases: Sequence[PetitionCase | Letter]) -> list[PetitionCase | Letter]:
    """``cases`` as the analysis reads them: each letter with its writer key across the stored register
    (:func:`planner.analysis.writers.writer_keys`: a letter without the ID number joins the letters of the same named
    writer and phone that give it; a writer known by a name only is one writer at one town), and with its
    petitioners' names, phones, ID numbers and web addresses taken out of its words
    (:func:`planner.office.privacy.analysis_text`: walks E and F found name fragments and phones among a group's
    shared words, labels and explanations). The identities are read here only; the keys stay opaque and
    are not stored."""
    from planner.analysis.writers import writer_keys
    from planner.domain import Petitioner
    from planner.office.privacy import analysis_text, name_forms, self_named

    rows = session.execute(select(CaseRow.case_no, PetitionerRow.name, PetitionerRow.phone, PetitionerRow.id_number,
                                  CaseRow.county_code, CaseRow.town_code)
                           .join(PetitionerRow, PetitionerRow.case_id == CaseRow.id)).all()
    # A writer known by a name only is one writer at one town (walk W23: 陈文华 of 龙海 and of 平和 were chained).
    keys = writer_keys({no: Petitioner(name or "", phone or "", ident or "") for no, name, phone, ident, *_ in rows},
                       {no: (county or "", town or "") for no, *_, county, town in rows})
    names: dict[str, list[str]] = {}
    for no, name, *_ in rows:
        if name and name.strip():
            names.setdefault(no, []).append(name)
    from planner.followup.overview import outside_zhangzhou

    far = outside_zhangzhou(session)  # 市外（转外地办理）: no group with the city's own letters
    out: list[PetitionCase | Letter] = []
    for c in cases:
        no = c.case_no if isinstance(c, PetitionCase) else c.letter_id
        changes: dict[str, object] = {}
        if (key := keys.get(no)) and key != c.petitioner_key:
            changes["petitioner_key"] = key
        fields = ("title", "content") if isinstance(c, PetitionCase) else ("text",)
        for f in fields:
            if (was := getattr(c, f)) and (now := analysis_text(was, names.get(no, ()))) != was:
                changes[f] = now
        got = dataclasses.replace(c, **changes) if changes else c
        if no in far:
            got = dataclasses.replace(got if isinstance(got, Letter) else Letter.from_case(got), outside=True)
        # The writer's names (the register's and the one the letter signs with): no word of them names a group.
        own = tuple(dict.fromkeys((*(f for n in names.get(no, ()) for f in name_forms(n)),
                                   *(n for f in fields for n in self_named(getattr(c, f))))))
        if own:
            got = dataclasses.replace(got if isinstance(got, Letter) else Letter.from_case(got), private_names=own)
        out.append(got)
    return out


def analysis_texts(session: Session, cases: Sequence[PetitionCase | Letter]) -> list[str]:
    """The words of each letter as :func:`recluster` analyses them (petitioners' names taken out), for encoding their
    meaning ahead of it (导入, 关联分析's progress bar)."""
    return [(lt if isinstance(lt, Letter) else Letter.from_case(lt)).text for lt in keyed_by_writer(session, cases)]


def decisions_version(session: Session) -> str:
    """A fingerprint of the stored decisions (changes when one is added, removed or rewritten): part of the key
    under which a page caches an analysis."""
    rows = session.execute(select(ClusterDecision.id, ClusterDecision.payload).order_by(ClusterDecision.id)).all()
    digest = hashlib.sha1(json.dumps([[i, p] for i, p in rows], ensure_ascii=False, sort_keys=True).encode())
    return f"{len(rows)}:{digest.hexdigest()[:16]}"


#: Decisions that place a letter by hand (a 恢复自动分组 removes them for that letter). A merge concerns groups, not
#: letters, and a rejected pair (unlink) places nothing: both stay.
_PLACING = PLACING_ACTIONS


def _without(decision: Decision, letters: set[str]) -> list[Decision]:
    """``decision`` with ``letters`` taken out: [] when nothing is left, several when a detach loses a middle letter.
    A merge's or move's anchors lose them too (they no longer hold those letters to the group)."""
    if letters & set(decision.anchors):
        decision = dataclasses.replace(decision, anchors=tuple(a for a in decision.anchors if a not in letters))
    if not letters & set(decision.letter_ids) or decision.action not in _PLACING:
        return [decision]
    if decision.action == "link":
        return []  # a confirmed pair: its letter is placed by the engine again
    if decision.action == "detach":
        # Each letter of a detach has its own id, numbered on from the target: keep the others' ids exactly.
        first = _id_number(decision.target)
        return [
            Decision("detach", letter_ids=(lid,), target=decision.target if n == 0 else _issue_id(first + n),
                     anchors=decision.anchors, note=decision.note)
            for n, lid in enumerate(decision.letter_ids)
            if lid not in letters
        ]
    kept = tuple(x for x in decision.letter_ids if x not in letters)
    return [dataclasses.replace(decision, letter_ids=kept)] if kept else []


def manual_decisions_of(session: Session, letter_ids: Sequence[str]) -> dict[str, int]:
    """How many stored decisions place each of ``letter_ids`` by hand (split, detach, move, a confirmed pair)."""
    counts = dict.fromkeys(letter_ids, 0)
    for d in load_decisions(session):
        if d.action in _PLACING:
            for lid in d.letter_ids:
                if lid in counts:
                    counts[lid] += 1
    return counts


def restore_automatic(
    session: Session,
    cases: Sequence[PetitionCase | Letter],
    letter_ids: Sequence[str],
    *,
    who: str = "",
    note: str = "",
) -> tuple[ClusterResult, int]:
    """恢复自动分组: remove the manual decisions that place ``letter_ids`` (split, detach, move, a confirmed pair),
    audit it, and cluster ``cases`` again with these letters placed afresh by the engine (like new letters: they
    join the group they match, or stay on their own); the result is saved.

    ``cases`` must be every letter (the stored clusters are the office's). Merges (of groups) and rejected pairs
    (never linked automatically) are kept. Return the new result and the number of decisions changed or removed.
    ``note``: why, in the leader's words (说明), named in the audit entry. The caller commits the session.

    Raises
    ------
    NotFoundError
        If a letter is not among ``cases``.
    """
    wanted = list(dict.fromkeys(str(x) for x in letter_ids))
    known = {c.case_no if isinstance(c, PetitionCase) else c.letter_id for c in cases}
    missing = [x for x in wanted if x not in known]
    if missing:
        raise NotFoundError(f"没有这些信件：{'、'.join(missing)}")
    if not wanted:
        raise InputError("请至少指定一件信件")
    before = load_assignment(session)  # the groups the letters leave, as the office's stored run has them
    sizes_before = Counter(before.values())
    labels_before = cluster_labels(session)
    words_before = {cid: "单独一件" if n <= 1 else f"「{mask_personal_text(labels_before.get(cid, ''))}」（原 {n} 件）"
                    for cid, n in sizes_before.items()}
    rows = list(session.scalars(select(ClusterDecision).order_by(ClusterDecision.id)))
    letters = set(wanted)
    changed = 0
    tail: list[tuple[ClusterDecision, list[Decision]]] = []
    for row in rows:
        old = Decision.from_payload(row.payload)
        new = _without(old, letters)
        # Counted (撤销人工调整 N 处) only when it placed one of the letters: another letter's move or detach that
        # merely named one as its group's member (anchors) is kept as it was (browser walk: restoring the one letter
        # moved said 撤销人工调整 3 处, and the leader took two other letters' adjustments to be undone).
        changed += bool(letters.intersection(old.letter_ids)) and new != [old]
        if new != [old] or tail:
            tail.append((row, new))
    # The decisions are replayed in order (a later one wins): rewrite the log from the first change on, each row
    # keeping its author and time, so a detach split in two keeps its place before the later decisions.
    for row, _new in tail:
        session.delete(row)
    session.flush()
    for row, new in tail:
        for d in new:
            session.add(ClusterDecision(action=d.action, payload=d.to_payload(), who=row.who, at=row.at))
    session.flush()
    result = recluster(session, cases, release=wanted)
    # Audited after the new run, so that the row names where each letter went back to (an admin read only the
    # letter's number), as a merge's, split's or move's row names the groups.
    source = list(dict.fromkeys(before[n] for n in wanted if before.get(n)))
    target = list(dict.fromkeys(result.issue_of[n] for n in wanted if result.issue_of.get(n)))
    sizes = {c.cluster_id: c.size for c in result.issues}
    moves = [{"case_no": n, "from": before.get(n, ""), "to": result.issue_of.get(n, ""),
              "alone": sizes.get(result.issue_of.get(n, ""), 0) == 1,
              "from_words": words_before.get(before.get(n, ""), ""),
              "to_words": group_words(result, result.issue_of.get(n, ""), after=True)} for n in wanted]
    audit.record(
        session,
        who,
        "cluster_restore",
        case_nos=wanted,
        reason="关联分析：恢复自动分组",
        detail={"decisions_changed": changed, "source": "、".join(source), "target": "、".join(target),
                "from": source, "to": target, "moves": moves, **_noted(note)},
    )
    return result, changed


def decide(
    session: Session, result: ClusterResult, decision: Decision, *, who: str = "", save: bool = True
) -> ClusterResult:
    """Apply a manual decision to ``result``, store the decision (audited) and the new clusters; return the new result.

    ``save=False`` when ``result`` covers only part of the letters: the decision is stored (and replayed by every
    later :func:`recluster`), the stored clusters are left for an analysis of every letter.
    The caller commits the session.
    """
    if decision.action in ("split", "detach"):
        # The new group's number must be free in the stored run too, not only in the view it was made in (a view
        # numbered on its own gave a detached letter I0125, the stored run's number of another letter's group).
        taken = [_id_number(c) for c in load_assignment(session).values()]
        for d in load_decisions(session):
            taken += [_id_number(d.source), _id_number(d.target) + max(0, len(d.letter_ids) - 1)]
        floor = max(taken, default=0) + 1
        if result._state.next_number < floor:
            result = dataclasses.replace(result, _state=dataclasses.replace(result._state, next_number=floor))
    if decision.note:  # a phone or ID number typed into 说明 is stored masked, as the audit log has it
        decision = dataclasses.replace(decision, note=mask_personal_text(decision.note))
    new = apply_decision(result, decision)
    done = new.decisions[-1]
    record_decision(session, done, who=who)
    case_nos, source, target = _audited(result, new, done)
    # The letters and groups in words as the page showed them (walk W19: a row read I0032、I0086、I0026 → I0017, and
    # I0086 was one letter's group, later another's): the ids stay in the detail as a secondary reference only.
    detail = {"source": "、".join(source), "target": "、".join(target), "from": source, "to": target,
              **_in_words(result, new, done, case_nos), **_noted(done.note)}
    audit.record(
        session,
        who,
        f"cluster_{done.action}",
        case_nos=case_nos,
        reason=f"{_AUDIT_REASONS[done.action]}：{audit.cluster_words(f'cluster_{done.action}', detail)}",
        detail=detail,
    )
    if save:
        save_result(session, new)
    return new


def _noted(note: str) -> dict[str, str]:
    """The 说明 of an audit row's detail, when a leader wrote one."""
    note = " ".join(str(note or "").split())
    return {"note": note} if note else {}


def audit_rerun(
    session: Session, before: ClusterResult | None, after: ClusterResult, *, who: str = "", regroup: bool = False,
    saved: bool = True,
) -> None:
    """Audit 重新分析: who ran it (the row's time says when), over how many letters, whether every letter was
    grouped afresh, and the related groups (two letters or more) before and after, as the page counts them.
    ``before`` is the analysis shown when the button was pressed (None when there was none). ``saved=False``: an
    analysis of the part of the letters an account sees, not stored as the office's groups (the row says so, so
    that 16 组 → 17 组 is not read as a change of the office's groups). The caller commits."""
    def related(res: ClusterResult) -> int:
        return sum(1 for c in res.issues if c.size >= 2)

    audit.record(
        session,
        who,
        "cluster_rerun",
        reason="关联分析：重新分析",
        detail={"letters": len(after.issue_of), "regroup": bool(regroup),
                "groups_before": None if before is None else related(before), "groups_after": related(after),
                **({} if saved else {"saved": False})},
    )


def covers_every_letter(session: Session, case_nos: Sequence[str]) -> bool:
    """True when ``case_nos`` are every letter stored: an analysis of them is the office's (stored), whoever runs it."""
    from sqlalchemy import func

    total = session.scalar(select(func.count()).select_from(CaseRow)) or 0
    return total > 0 and len(set(case_nos)) == total


def _audited(before: ClusterResult, after: ClusterResult, done: Decision) -> tuple[list[str], list[str], list[str]]:
    """What an audit row of ``done`` names: the letters concerned, the groups they left and the groups they joined
    (I-numbers). A merge names every letter of the group merged; a per-letter action names the group each letter was
    in (walk: moves, detaches and splits were stored with an empty source, a merge named neither group nor letter)."""
    if done.action == "merge":
        return [n for n, cid in before.issue_of.items() if cid == done.source], [done.source], [done.target]
    nos = list(done.letter_ids)
    source = list(dict.fromkeys(before.issue_of[n] for n in nos if before.issue_of.get(n)))
    target = list(dict.fromkeys(after.issue_of[n] for n in nos if after.issue_of.get(n)))
    return nos, source, target


def group_words(result: ClusterResult, cid: str, *, after: bool = False) -> str:
    """A group as 关联分析 shows it: its words and size (「保证金、林业站」（原 4 件）, after an action 调整后 5 件), or
    单独一件 (a letter on its own); a phone or ID number in the words masked, as the audit log has every text."""
    c = next((c for c in result.issues if c.cluster_id == cid), None)
    if c is None:
        return ""
    if c.size <= 1:
        return "单独一件"
    return f"「{mask_personal_text(c.label)}」（{'调整后' if after else '原'} {c.size} 件）"


def _in_words(before: ClusterResult, after: ClusterResult, done: Decision, case_nos: Sequence[str]) -> dict:
    """What an audit row of ``done`` says in words: each letter by case number with the group it left and the group
    it joined as shown then (a merge: the two groups and the size after)."""
    if done.action == "merge":
        return {"source_words": group_words(before, done.source), "target_words": group_words(before, done.target),
                "merged_size": next((c.size for c in after.issues if c.cluster_id == done.target), 0)}
    return {"letters": [{"case_no": n, "from_words": group_words(before, before.issue_of.get(n, "")),
                         "to_words": group_words(after, after.issue_of.get(n, ""), after=True)} for n in case_nos]}


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
