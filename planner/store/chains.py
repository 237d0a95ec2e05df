"""Repeat chains (重复信访) of the stored letters: one writer *and* one matter, by 关联分析's own rule.

A writer's letters are one chain when the analysis would chain them (:func:`planner.analysis.analyse` over that
writer's letters alone: a later letter joins the first when it says it writes again, 再次反映, or the same-matter gate
finds one matter; a leader's confirmed or rejected pair holds; the office's own words as 关联分析 last set them in
this process), or when a stored repeat cluster puts them together.
Walk W8 / run 76: one petitioner writing about 养老金冒领 and about 鱼塘发包 at one village wrote two matters, yet
选件 took the second along with the first, the first's visit settled the second (随本件一并办结) and feedback recorded
on one closed the other's 双反馈 gap, because the store chained every letter of one writer.

Only one writer's own letters are compared (usually one to five); the verdicts are kept in this process by the
letters' words, places and dates, so a page asking again costs a lookup.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.analysis import Decision, Letter, analyse
from planner.store.models import CaseRow, ClusterMember, ClusterRow, PetitionerRow

#: Verdicts kept (one per writer's set of letters as last read).
_CACHE_MAX = 4096
_cache: dict[tuple, tuple[frozenset[str], ...]] = {}
_lock = threading.Lock()
#: The key every letter of the one writer analysed gets: the analysis chains only letters of one key.
_ONE_WRITER = "writer"
#: Read for a letter whose writer gave a name only, until :func:`_by_place` keys it by its town.
_NAMED_ONLY = "writer-named"
#: Case ids read per query.
_CHUNK = 500


def _letters(session: Session, ids: Iterable[int]) -> dict[int, Letter]:
    """Case id -> the letter of ``ids`` as the analysis reads it (:meth:`Letter.from_case`, the petitioners' names
    and numbers out of the words: :func:`planner.office.privacy.analysis_text`), all under one writer's key (a
    writer known by a name only under :data:`_NAMED_ONLY`, for :func:`_by_place`); read
    a few hundred at a time (every writer's letters in a few queries, not two per writer)."""
    from planner.analysis.namesakes import named_only
    from planner.domain import Petitioner
    from planner.office.privacy import analysis_text

    wanted = sorted(set(ids))
    out: dict[int, Letter] = {}
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start:start + _CHUNK]
        names: dict[int, list[str]] = {}
        named: set[int] = set()
        strong: set[int] = set()
        # PERSONAL: the names are only taken out of the letters' words here, the phones and ID numbers only read
        # for whether the writer gave one.
        for case_id, name, phone, ident in session.execute(
                select(PetitionerRow.case_id, PetitionerRow.name, PetitionerRow.phone, PetitionerRow.id_number)
                .where(PetitionerRow.case_id.in_(part))):
            if name and name.strip():
                names.setdefault(case_id, []).append(name)
            (named if named_only(Petitioner(name or "", phone or "", ident or "")) else strong).add(case_id)
        named -= strong
        for r in session.scalars(select(CaseRow).where(CaseRow.id.in_(part))):
            text = ((r.title or "") + "。" if r.title else "") + (r.content or "")
            out[r.id] = Letter(
                letter_id=r.case_no, text=analysis_text(text, names.get(r.id, ())), received_date=r.received_date,
                address=r.address_text or "", county_code=r.county_code or "", town_code=r.town_code or "",
                village_code=r.village_code or "", county=r.county or "", town=r.town or "", village=r.village or "",
                reported_units=tuple(r.reported_units or ()), reported_persons=tuple(r.reported_persons or ()),
                petitioner_key=_NAMED_ONLY if r.id in named else _ONE_WRITER)
    return out


def _by_place(letters: list[Letter]) -> list[Letter]:
    """One writer's ``letters`` with those of a writer known by a name only keyed by their town
    (:func:`planner.analysis.namesakes.by_place`): a common name at two towns is two writers (walk W23)."""
    from dataclasses import replace

    from planner.analysis.namesakes import by_place

    named = [lt.letter_id for lt in letters if lt.petitioner_key == _NAMED_ONLY]
    if not named:
        return letters
    keys = by_place({lt.letter_id: _ONE_WRITER for lt in letters}, named,
                    {lt.letter_id: (lt.county_code, lt.town_code) for lt in letters})
    return [replace(lt, petitioner_key=keys[lt.letter_id]) for lt in letters]


def _pair_decisions(session: Session) -> list[Decision]:
    """A leader's confirmed (link) and rejected (unlink) pairs (关联分析's review queue), oldest first."""
    from planner.store.models import ClusterDecision

    return [Decision.from_payload(p) for p in session.scalars(
        select(ClusterDecision.payload).where(ClusterDecision.action.in_(["link", "unlink"]))
        .order_by(ClusterDecision.id))]


def split_by_matter(session: Session, groups: Iterable[Iterable[int]]) -> dict[int, frozenset[int]]:
    """Each letter of ``groups`` (each group one writer's letters, by case id) -> the ids of its repeat chain within
    its group, itself included: the letters the analysis chains as one matter.

    Parameters
    ----------
    session
        Open session.
    groups
        Sets of case ids, each one writer's letters.

    Returns
    -------
    dict[int, frozenset[int]]
        Case id -> its chain (a letter of one matter alone: only itself).
    """
    from planner.analysis.textmine import office_lexicon
    from planner.store.vectors import stored_vectors

    todo = [frozenset(g) for g in {frozenset(g) for g in groups} if len(g) > 1]
    out: dict[int, frozenset[int]] = {i: frozenset({i}) for g in groups for i in g}
    if not todo:
        return out
    lexicon = office_lexicon()  # the office's own words, as 关联分析 last set them in this process
    runs, decided = [], _pair_decisions(session)
    read = _letters(session, (i for ids in todo for i in ids))
    for ids in todo:
        letters = _by_place(sorted((read[i] for i in ids if i in read), key=lambda lt: lt.letter_id))
        nos = {lt.letter_id for lt in letters}
        pairs = tuple(d for d in decided if set(d.letter_ids) <= nos)
        runs.append((ids, letters, pairs, (lexicon, tuple(letters), pairs)))
    with _lock:
        missing = [r for r in runs if r[3] not in _cache]
    known = stored_vectors(session, [lt.text for r in missing for lt in r[1]]) if missing else {}
    for ids, letters, pairs, key in runs:
        with _lock:
            chains = _cache.get(key)
        if chains is None:
            result = analyse(letters, decisions=pairs, vectors=known)
            firsts: dict[str, set[str]] = {}
            for lt in letters:
                firsts.setdefault(result.repeat_of.get(lt.letter_id, lt.letter_id), set()).add(lt.letter_id)
            chains = tuple(frozenset(c) for c in firsts.values())
            with _lock:
                if len(_cache) >= _CACHE_MAX:
                    _cache.clear()
                _cache[key] = chains
        id_of = {read[i].letter_id: i for i in ids if i in read}
        for chain in chains:
            members = frozenset(id_of[no] for no in chain if no in id_of)
            for i in members:
                out[i] = members
    return out


def repeat_cluster_ids(session: Session, case_ids: Iterable[int] | None = None) -> list[set[int]]:
    """The stored repeat clusters (a saved analysis's 重复举报 chains) holding one of ``case_ids`` (None: all), as
    sets of case ids."""
    stmt = (select(ClusterMember.cluster_id, ClusterMember.case_id)
            .join(ClusterRow, ClusterRow.id == ClusterMember.cluster_id).where(ClusterRow.kind == "repeat"))
    if case_ids is not None:
        held = select(ClusterMember.cluster_id).where(ClusterMember.case_id.in_(sorted(set(case_ids))))
        stmt = stmt.where(ClusterMember.cluster_id.in_(held))
    clusters: dict[str, set[int]] = {}
    for cid, case_id in session.execute(stmt):
        clusters.setdefault(cid, set()).add(case_id)
    return list(clusters.values())


def writer_groups(session: Session) -> list[set[int]]:
    """Every writer's letters across the register (case ids): linked by the stored key or by the writer key
    (:func:`planner.store.writers.writer_key_map`), each set a connected whole."""
    from planner.store.writers import writer_key_map

    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    id_of = dict(session.execute(select(CaseRow.case_no, CaseRow.id)).all())
    links = [(("key", key), i) for i, key in session.execute(select(CaseRow.id, CaseRow.petitioner_key)) if key]
    links += [(("writer", key), id_of[no]) for no, key in writer_key_map(session).items() if key and no in id_of]
    for mark, i in links:
        j = first.setdefault(mark, i)
        parent[root(i)] = root(j)
    groups: dict[int, set[int]] = {}
    for i in parent:
        groups.setdefault(root(i), set()).add(i)
    return [g for g in groups.values() if len(g) > 1]


def writer_ids(session: Session, row: CaseRow) -> set[int]:
    """``row``'s writer's letters (case ids, ``row`` included): linked by the same writer key
    (:func:`planner.store.writers.same_writer_ids`) or the same stored key, as far as the links reach — the connected
    whole :func:`writer_groups` puts ``row`` in — reading only the letters around it.

    A letter reached by its stored key alone may have another writer key, itself shared with letters no stored key
    reaches (a letter whose stored key no longer matches its writer's row): its writer's letters are read too, or
    the one-letter lookup (:func:`planner.store.cases._chain_ids`) saw fewer letters than the page-wide one
    (:func:`planner.store.cases.chain_mates`) and split them into other chains."""
    from planner.store.writers import same_writer_ids

    ids: set[int] = set()
    done: set[int] = set()  # letters whose writer-key letters are in: they share one writer key each
    todo, keys = [row], {row.petitioner_key} if row.petitioner_key else set()
    while todo:
        for r in todo:
            if r.id not in done:
                got = same_writer_ids(session, r)
                done |= got
                ids |= got
        keys |= {k for k in session.scalars(select(CaseRow.petitioner_key).where(CaseRow.id.in_(sorted(ids)))) if k}
        if keys:
            ids.update(session.scalars(select(CaseRow.id).where(CaseRow.petitioner_key.in_(sorted(keys)))))
        todo = list(session.scalars(select(CaseRow).where(CaseRow.id.in_(sorted(ids - done))))) if ids - done else []
    return ids
