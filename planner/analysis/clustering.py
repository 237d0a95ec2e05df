"""The clustering engine behind :mod:`planner.analysis`: results, decisions and the public calls."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from planner.analysis import semantic
from planner.analysis.decisions import (  # noqa: F401 - Decision and PLACING_ACTIONS re-exported
    PLACING_ACTIONS,
    Decision,
    _anchored,
    _detached,
    _follows,
    _pairs_from,
    _pinned_from,
)
from planner.analysis.evidence import (
    _REPEAT_MARKER,
    Letter,
    _amounts,
    _evidence,
    _features,
    _identity,
    _idf_lookup,
    _letter_parts,
    _letter_places,
    _mine_letters,
    _persons,
    _place_keys,
    _shared_place,
    _top_terms,
    _units,
    _with_learned_villages,
)
from planner.analysis.group_labels import distinct_labels
from planner.analysis.linking import (
    ClusterOptions,
    _add_to_centroid,
    _assign,
    _id_number,
    _issue_id,
    _merge_pass,
    _neighbours,
    _note_member,
    _order,
    _relation,
    _resolve_alias,
    _row,
    _State,
)
from planner.analysis.meaning import FLOOR, UNNAMED_VILLAGE, bar, closeness
from planner.analysis.pairs import _joined, _mates, _nearest_by_meaning, _with_meaning
from planner.analysis.summaries import _hotspot_clusters, _hotspots, _inverse_vocabulary, _issue_cluster, _repeats
from planner.analysis.textmine import Mined
from planner.analysis.wording import shown_term
from planner.domain import Cluster, PetitionCase
from planner.errors import InputError, NotFoundError
from planner.office.privacy import analysis_text


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why two letters are linked (or not)."""

    a_id: str
    b_id: str
    similarity: float
    shared_terms: tuple[str, ...]
    shared_units: tuple[str, ...]
    shared_persons: tuple[str, ...]
    same_place: str
    same_petitioner: bool
    same_issue: bool
    same_hotspot: bool
    repeat: bool
    # The shared terms as shown: a word folded from another (建房审批 -> 宅基地) with each letter's own words.
    terms_shown: tuple[str, ...] = ()
    # Closeness of the two letters' meaning (planner.analysis.semantic), None when the model was not used.
    meaning: float | None = None
    # Amounts both letters give (每亩800元, 8600元), and rates for one unit that disagree (每亩800元 / 每亩500元).
    shared_amounts: tuple[str, ...] = ()
    other_amounts: tuple[str, ...] = ()
    # How the shared place is said: 地点相同 (one village, or one town told at town level), 同一乡镇, 同一县区.
    same_place_said: str = "地点相同"

    def doubts(self) -> tuple[str, ...]:
        """What speaks against the link, in Chinese (rates for one unit that disagree)."""
        return ("收费标准或金额不同：" + "；".join(self.other_amounts),) if self.other_amounts else ()

    def reasons(self) -> tuple[str, ...]:
        """The reasons in Chinese, strongest first, for the 关联分析 page."""
        out = []
        if self.same_petitioner:
            out.append("同一信访人")
        if self.shared_terms:
            out.append("共同关键词：" + "、".join(self.terms_shown or self.shared_terms))
        if self.shared_units:
            out.append("被反映单位相同：" + "、".join(self.shared_units))
        if self.shared_persons:
            out.append("被反映人相同：" + "、".join(self.shared_persons))
        if self.shared_amounts:
            out.append("金额相同：" + "、".join(self.shared_amounts))
        if self.same_place:
            out.append(f"{self.same_place_said or '地点相同'}：{self.same_place}")
        out.append(f"内容相似度 {self.similarity:.2f}")
        if self.meaning is not None:
            out.append(f"语义相似度 {self.meaning:.2f}")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Issue clusters, hotspots and repeat chains of a set of letters.

    Attributes
    ----------
    letters
        The letters, in input order.
    issues, hotspots, repeats
        :class:`~planner.domain.Cluster` objects (kind ``issue``, ``hotspot``, ``repeat``); issues are sorted
        systemic first, then by size.
    issue_of, hotspot_of
        Letter id -> issue cluster id / hotspot id.
    repeat_of
        Letter id -> the earlier letter it repeats (the previous one in its chain), or ``""``.
    decisions
        Manual decisions applied, oldest first.
    """

    letters: tuple[Letter, ...]
    issues: tuple[Cluster, ...]
    hotspots: tuple[Cluster, ...]
    repeats: tuple[Cluster, ...]
    issue_of: dict[str, str]
    hotspot_of: dict[str, str]
    repeat_of: dict[str, str]
    decisions: tuple[Decision, ...]
    options: ClusterOptions
    _state: _State = field(repr=False, compare=False)

    @property
    def semantic(self) -> bool:
        """Whether the letters' meaning was used besides their words (:mod:`planner.analysis.semantic`)."""
        return self._state.sem is not None

    def letter(self, letter_id: str) -> Letter:
        """The letter with this id."""
        idx = self._index().get(letter_id)
        if idx is None:
            raise NotFoundError(f"本次关联分析结果中没有信件 {letter_id!r}")
        return self.letters[idx]

    def _index(self) -> dict[str, int]:
        if len(self._state.index) != len(self.letters):
            self._state.index.clear()
            self._state.index.update((lt.letter_id, i) for i, lt in enumerate(self.letters))
        return self._state.index

    def letters_of(self, cluster_id: str) -> tuple[Letter, ...]:
        """The letters of any cluster, in the cluster's order."""
        return tuple(self.letter(x) for x in self.cluster(cluster_id).case_nos)

    def cluster(self, cluster_id: str) -> Cluster:
        """Any cluster (issue, hotspot or repeat chain) by id."""
        for c in (*self.issues, *self.hotspots, *self.repeats):
            if c.cluster_id == cluster_id:
                return c
        raise NotFoundError(f"本次关联分析结果中没有编号为 {cluster_id!r} 的关联组")

    def hotspots_of(self, issue_id: str) -> tuple[Cluster, ...]:
        """The hotspots of one issue cluster, largest first."""
        return tuple(h for h in self.hotspots if h.parent_id == issue_id)

    def systemic(self) -> tuple[Cluster, ...]:
        """Issue clusters flagged systemic (spanning enough counties for a city-level 监察建议)."""
        return tuple(c for c in self.issues if c.systemic)

    def mined(self, letter_id: str) -> Mined:
        """What text mining found in a letter (places, units, persons, amounts, key terms)."""
        return self._state.mined[self._index()[self.letter(letter_id).letter_id]]

    def explain(self, a_id: str, b_id: str) -> Explanation:
        """Why two letters are linked: shared key terms, reported units/persons, place, petitioner.

        Raises
        ------
        NotFoundError
            If either id is not in the result.
        """
        a, b = self.letter(a_id), self.letter(b_id)
        idx = self._index()
        ia, ib = idx[a.letter_id], idx[b.letter_id]
        ma, mb = self._state.mined[ia], self._state.mined[ib]
        sim = _row_dot(self._state.matrix, ia, ib)
        vocab_idf = _idf_lookup(self._state.vectorizer)
        shared = set(ma.tokens) & set(mb.tokens)
        terms = tuple(sorted(shared, key=lambda t: (-vocab_idf.get(t, 0.0), t))[:6])
        ua, ub = _units(a, ma), _units(b, mb)
        units = tuple(u for u in ua if u in ub)
        pa, pb = _persons(a, ma), _persons(b, mb)
        persons = tuple(p for p in pa if p in pb)
        place, place_said = _shared_place(a, ma, b, mb, (self._state.place_info[ia], self._state.place_info[ib]))
        same_pet = bool(a.petitioner_key) and a.petitioner_key == b.petitioner_key
        rep = self.repeat_of.get(b.letter_id) == a.letter_id or self.repeat_of.get(a.letter_id) == b.letter_id
        same_amounts, other_amounts = _amounts(self._state.evidence[ia].rates, self._state.evidence[ib].rates)
        return Explanation(
            a_id=a.letter_id,
            b_id=b.letter_id,
            similarity=round(sim, 3),
            shared_terms=terms,
            shared_units=units,
            shared_persons=persons,
            same_place=place,
            same_place_said=place_said,
            same_petitioner=same_pet,
            same_issue=self.issue_of[a.letter_id] == self.issue_of[b.letter_id],
            same_hotspot=self.hotspot_of[a.letter_id] == self.hotspot_of[b.letter_id],
            repeat=rep,
            terms_shown=tuple(shown_term(t, a.text, b.text) for t in terms),
            meaning=None if self._state.sem is None else round(closeness(self._state, ia, ib), 3),
            shared_amounts=same_amounts, other_amounts=other_amounts,
        )

    def rows(self) -> list[dict[str, str]]:
        """One row per letter: ``id, issue_cluster, hotspot, repeat_of, label`` (the CLI's CSV)."""
        labels = {c.cluster_id: c.label for c in self.issues}
        return [
            {
                "id": lt.letter_id,
                "issue_cluster": self.issue_of[lt.letter_id],
                "hotspot": self.hotspot_of[lt.letter_id],
                "repeat_of": self.repeat_of.get(lt.letter_id, ""),
                "label": labels[self.issue_of[lt.letter_id]],
            }
            for lt in self.letters
        ]


def _read(letter: Letter) -> Letter:
    """The letter as the analysis reads it: no phone, ID number, web address or hidden control character in its words
    (:func:`planner.office.privacy.analysis_text`; walk F saw petitioners' phones in groups' labels)."""
    text = analysis_text(letter.text)
    return letter if text == letter.text else dataclasses.replace(letter, text=text)


def _row_dot(matrix: sparse.csr_matrix, i: int, j: int) -> float:
    """Word cosine of two letters: rows ``i`` and ``j`` of the CSR matrix multiplied (as ``matrix[i].multiply(
    matrix[j]).sum()``, without building two sparse rows: the review queue explains thousands of pairs)."""
    ptr, ind, dat = matrix.indptr, matrix.indices, matrix.data
    _common, a, b = np.intersect1d(ind[ptr[i] : ptr[i + 1]], ind[ptr[j] : ptr[j + 1]], assume_unique=True,
                                   return_indices=True)
    return float(np.sum(dat[ptr[i] : ptr[i + 1]][a] * dat[ptr[j] : ptr[j + 1]][b]))


def _derive(
    letters: tuple[Letter, ...],
    state: _State,
    issue_of: dict[str, str],
    decisions: tuple[Decision, ...],
    options: ClusterOptions,
) -> ClusterResult:
    members: dict[str, list[int]] = defaultdict(list)
    for i, lt in enumerate(letters):
        members[issue_of[lt.letter_id]].append(i)
    # An issue whose letters are those of the run before (same indices, same centroid: an update that left it
    # alone, a decision about other groups) keeps its hotspots, repeats and clusters: 100 new letters
    # recompute only the issues they join, not the 8,000 others.
    previous = state.derived
    state.derived = {}
    inv_vocab: dict[int, str] | None = None
    hotspot_of: dict[str, str] = {}
    repeat_of: dict[str, str] = {}
    issues = []
    hotspots = []
    for cid, idx in members.items():
        key, got = tuple(idx), previous.get(cid)
        if got is None or got[0] != key:
            hot = {letters[i].letter_id: hid for i, hid in _hotspots(cid, idx, letters, state.place_info).items()}
            rep = {
                letters[i].letter_id: letters[j].letter_id for i, j in _repeats(idx, letters, hot, options).items()
            }
            if inv_vocab is None:
                inv_vocab = _inverse_vocabulary(state)
            issue = _issue_cluster(cid, idx, letters, state, inv_vocab, options)
            got = (key, hot, rep, issue, _hotspot_clusters(issue, idx, letters, hot, state.place_info))
        state.derived[cid] = got
        hotspot_of.update(got[1])
        repeat_of.update(got[2])
        issues.append(got[3])
        hotspots.extend(got[4])
    issues = sorted(distinct_labels(issues, hotspots), key=lambda c: (not c.systemic, -c.size, c.cluster_id))
    issue_by_id = {c.cluster_id: c for c in issues}
    hotspots.sort(key=lambda c: (-c.size, c.cluster_id))
    # Repeat chains: follow repeat_of back to the first letter.
    chains: dict[str, list[str]] = defaultdict(list)
    for lt in letters:
        lid = lt.letter_id
        if lid not in repeat_of:
            continue
        root = lid
        seen = {root}
        while root in repeat_of and repeat_of[root] not in seen:
            root = repeat_of[root]
            seen.add(root)
        chains[root].append(lid)
    by_id = {lt.letter_id: lt for lt in letters}
    repeats = []
    for root, rest in chains.items():
        ids = [root, *sorted(rest, key=lambda x: (by_id[x].received_date or dt.date.max, x))]
        dates = [by_id[x].received_date for x in ids if by_id[x].received_date]
        parent = issue_of[root]
        repeats.append(
            Cluster(
                cluster_id=f"R-{root}",
                kind="repeat",
                label=f"重复举报（来信 {len(ids)} 封）：{issue_by_id[parent].label}",
                case_nos=tuple(ids),
                parent_id=parent,
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
            )
        )
    repeats.sort(key=lambda c: (-c.size, c.cluster_id))
    return ClusterResult(
        letters=letters,
        issues=tuple(issues),
        hotspots=tuple(hotspots),
        repeats=tuple(repeats),
        issue_of=dict(issue_of),
        hotspot_of=hotspot_of,
        repeat_of=repeat_of,
        decisions=decisions,
        options=options,
        _state=state,
    )


def _check_ids(letters: Sequence[Letter], existing: Iterable[str] = ()) -> None:
    seen = set(existing)
    for n, lt in enumerate(letters, start=1):
        if not isinstance(lt, Letter):
            raise InputError(f"第 {n} 件应为信件（Letter），收到 {type(lt).__name__!r}")
        if lt.letter_id in seen:
            raise InputError(f"信件编号 {lt.letter_id!r} 出现了两次（第 {n} 件）")
        seen.add(lt.letter_id)



def _by_hand(state: _State, letters: Sequence[Letter], closed: set[str]) -> set[int]:
    """Indices of the letters a leader placed in a closed group: pinned there, or confirmed as one matter with one."""
    ids = {lt.letter_id: i for i, lt in enumerate(letters)}
    out = {ids[lid] for lid, cid in state.pinned.items() if lid in ids and _resolve_alias(state.aliases, cid) in closed}
    inside = {letters[i].letter_id for i in out}
    grew = True
    while grew:  # a confirmed pair follows its partner, and a partner's partner
        grew = False
        for a, b in state.must_link:
            for x, y in ((a, b), (b, a)):
                if x in inside and y in ids and y not in inside:
                    inside.add(y)
                    out.add(ids[y])
                    grew = True
    return out


def _without_closed(
    nbrs: dict[int, list[tuple[int, float]]], keep_out: set[int]
) -> dict[int, list[tuple[int, float]]]:
    """Neighbour lists without the letters of closed groups: no letter joins a letter a leader set apart."""
    if not keep_out:
        return nbrs
    return {i: [(j, s) for j, s in row if j not in keep_out] for i, row in nbrs.items()}


def _strays(assigned: dict[int, str], state: _State, closed: set[str], by_hand: set[int]) -> list[int]:
    """Letters the assignment put in a closed group without a leader's decision (a petitioner's later letter follows
    the earlier one there): they must be placed elsewhere."""
    return sorted(
        i for i, cid in assigned.items() if i not in by_hand and _resolve_alias(state.aliases, cid) in closed
    )



def _gc_paused(func):
    """Run ``func`` with Python's cyclic garbage collector paused (re-enabled after, as it was).

    A run allocates hundreds of thousands of small tuples (tokens, features, link verdicts) that are all still
    alive: every full collection walks them all for nothing (1.5 of the 3 s of adding 100 letters to 10,000).
    Reference counting still frees everything as usual; only the cycle search waits until the call returns.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return func(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return wrapper


@_gc_paused
def analyse(
    letters: Sequence[Letter | PetitionCase],
    *,
    options: ClusterOptions | None = None,
    previous: ClusterResult | None = None,
    decisions: Sequence[Decision] = (),
    previous_assignment: Mapping[str, str] | None = None,
    keep_previous: bool = True,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> ClusterResult:
    """Cluster letters into issues, hotspots and repeat chains.

    Parameters
    ----------
    letters
        Letters (or petition cases); ids must be unique.
    options
        Thresholds; :class:`ClusterOptions` defaults when None.
    previous
        An earlier result: its cluster ids are kept for the clusters that match best (by shared letters),
        and its manual decisions are replayed.
    decisions
        Manual decisions to respect (replayed after ``previous.decisions``).
    previous_assignment
        Letter id -> issue id of an earlier run when only that is at hand (e.g. read from the database by
        :mod:`planner.store.clusters`); used like ``previous`` to keep ids. Ignored when ``previous`` is given.
    keep_previous
        With ``previous``/``previous_assignment``: letters already clustered keep their cluster, so no id
        ever changes and only new letters are placed (the default). False re-clusters everything with the
        new vocabulary and then reuses old ids where clusters overlap most.
    vectors
        Meaning vectors already encoded, by :func:`planner.analysis.semantic.text_key` (read from the database by
        :mod:`planner.store.vectors`); letters not in it are encoded here. Unused when the model is not available.

    Returns
    -------
    ClusterResult
        Deterministic for the same input.

    Raises
    ------
    InputError
        If an id is missing or repeated, or an option is out of range.
    """
    options = options or ClusterOptions()
    letters_t = tuple(_read(lt if isinstance(lt, Letter) else Letter.from_case(lt)) for lt in letters)
    _check_ids(letters_t)
    all_decisions = tuple(previous.decisions if previous else ()) + tuple(decisions)
    if previous is not None:
        previous_assignment = previous.issue_of
    anchored = _anchored(all_decisions, {lt.letter_id for lt in letters_t})
    if anchored:
        previous_assignment = {**(previous_assignment or {}), **anchored}
    parts = [_letter_parts(lt) for lt in letters_t]
    mined = [p[0] for p in parts]
    docs = [p[1] for p in parts]
    vec = TfidfVectorizer(
        analyzer=_identity,
        sublinear_tf=True,
        dtype=np.float32,
        max_df=0.5 if len(letters_t) >= 1000 else 1.0,
    )
    if any(docs):
        matrix = _top_terms(vec.fit_transform(docs).tocsr(), options.max_terms)
    else:
        vec.fit([["（空）"]])
        matrix = sparse.csr_matrix((len(letters_t), len(vec.vocabulary_)), dtype=np.float32)
    pinned, aliases = _pinned_from(all_decisions)
    detached = _detached(all_decisions, pinned, aliases)
    closed = set(detached.values())
    if closed and previous_assignment:
        # A group a letter was detached into holds that letter alone: a letter stored under the same id without a
        # leader's decision (a detach numbered in a view whose ids the stored run did not share) is placed afresh.
        previous_assignment = {
            lid: cid for lid, cid in previous_assignment.items() if cid not in closed or lid in pinned
        }
    used_numbers = [_id_number(c) for c in (*pinned.values(), *aliases, *aliases.values())]
    if previous is not None:
        used_numbers.append(previous._state.next_number - 1)
    if previous_assignment:
        used_numbers.extend(_id_number(c) for c in previous_assignment.values())
    state = _State(
        vectorizer=vec,
        matrix=matrix,
        mined=mined,
        centroids={},
        norms2={},
        next_number=1,
        aliases=aliases,
        pinned=pinned,
        place_info=_with_learned_villages(letters_t, [p[3] for p in parts]),
        df=Counter(t for m in mined for t in set(m.tokens)),
        df_repeat=Counter(
            t for m, lt in zip(mined, letters_t, strict=False) if _REPEAT_MARKER.search(lt.text) for t in set(m.tokens)
        ),
        evidence=[p[2] for p in parts],
    )
    state.must_link, state.cannot_link = _pairs_from(all_decisions)
    state.link_follow = _follows(all_decisions, state.must_link)
    order = _order(letters_t)
    pos = np.empty(len(letters_t), dtype=np.int64)
    pos[order] = np.arange(len(letters_t))
    fixed = dict(previous_assignment) if (previous_assignment and keep_previous) else {}
    # Letters kept in their earlier cluster or pinned by hand never look for one, and their clusters are frozen for
    # the merge pass: only the other letters need neighbours (a re-run after an import: the new letters).
    free = [k for k, lt in enumerate(letters_t) if lt.letter_id not in fixed and lt.letter_id not in pinned]
    if len(free) == len(letters_t):
        nb = _neighbours(matrix, matrix, options.neighbours, options.min_similarity, pos, pos)
    else:
        q = np.asarray(free, dtype=np.int64)
        nb = _neighbours(matrix[q], matrix, options.neighbours, options.min_similarity, pos[q], pos)
    nbrs = dict(zip(free, nb, strict=True))
    if semantic.available() and letters_t:
        state.sem, state.sem_mean = semantic.centred(semantic.vectors([lt.text for lt in letters_t], known=vectors))
        near = _nearest_by_meaning(state.sem, free, pos, _MEANING_NEIGHBOURS, FLOOR, UNNAMED_VILLAGE,
                                   lambda i, j: bar(state, i, j, _relation(state, i, j)) < FLOOR)
        nbrs = _with_meaning(nbrs, _joined(near, _mates(state, letters_t, free, pos)), matrix)
    by_hand = _by_hand(state, letters_t, closed) if closed else set()
    nbrs = _without_closed(nbrs, by_hand)
    assigned: dict[int, str] = {}
    # Provisional ids far above any real one, so they never collide before the final renumbering.
    offset = 10_000_000
    state.next_number = offset
    _assign(state, letters_t, order, assigned, nbrs, options, fixed, centroids=False)  # rebuilt below
    for i in _strays(assigned, state, closed, by_hand) if closed else ():
        assigned[i] = _issue_id(state.next_number)
        state.next_number += 1
        _note_member(state, assigned[i], i)
    frozen = {_resolve_alias(aliases, c) for c in (*pinned.values(), *fixed.values())}
    _merge_pass(state, letters_t, assigned, nbrs, options, frozen=frozen)
    final = _renumber(assigned, letters_t, state, previous_assignment, max(used_numbers, default=0) + 1, offset)
    issue_of = {letters_t[i].letter_id: _resolve_alias(aliases, cid) for i, cid in final.items()}
    _rebuild_centroids(state, letters_t, issue_of)
    return _derive(letters_t, state, issue_of, all_decisions, options)


def _renumber(
    assigned: dict[int, str],
    letters: Sequence[Letter],
    state: _State,
    prev_of: Mapping[str, str] | None,
    next_free: int,
    offset: int,
) -> dict[int, str]:
    """Turn provisional ids into final ones: keep pinned ids, reuse previous ids by overlap, number the rest."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, cid in assigned.items():
        groups[cid].append(i)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for cid in groups:
        if _id_number(cid) < offset:
            mapping[cid] = cid
            taken.add(cid)
    if prev_of:
        pairs = []
        for cid, idx in groups.items():
            if cid in mapping:
                continue
            votes = Counter(prev_of[letters[i].letter_id] for i in idx if letters[i].letter_id in prev_of)
            for pid, n in votes.items():
                pairs.append((-n, min(idx), cid, pid))
        # A cluster merged by hand may come back as two automatic clusters: both map onto the merge target. So
        # may a group that letters were moved into by hand: the moved letters keep its id, and so does the rest.
        merge_targets = set(state.aliases.values()) | set(state.pinned.values())
        for _n, _first, cid, pid in sorted(pairs):
            if cid in mapping or (pid in taken and pid not in merge_targets):
                continue
            mapping[cid] = pid
            taken.add(pid)
    taken_numbers = {_id_number(t) for t in taken}
    number = next_free
    for cid in sorted(groups, key=lambda c: min(groups[c])):
        if cid in mapping:
            continue
        while number in taken_numbers:
            number += 1
        mapping[cid] = _issue_id(number)
        taken_numbers.add(number)
    state.next_number = max([next_free - 1, *taken_numbers]) + 1
    return {i: mapping[cid] for i, cid in assigned.items()}


def _rebuild_centroids(state: _State, letters: Sequence[Letter], issue_of: dict[str, str]) -> None:
    state.centroids.clear()
    state.norms2.clear()
    state.cluster_places = {}
    state.cluster_cores = {}
    state.cluster_sizes = {}
    state.sem_sums = {}
    for i, lt in enumerate(letters):
        _note_member(state, issue_of[lt.letter_id], i)
        state.cluster_places.setdefault(issue_of[lt.letter_id], set()).update(_place_keys(state.place_info[i]))
        row = _row(state.matrix, i)
        if row:
            _add_to_centroid(state, issue_of[lt.letter_id], row)


@_gc_paused
def update(
    previous: ClusterResult,
    new_letters: Sequence[Letter | PetitionCase],
    *,
    vectors: Mapping[str, np.ndarray] | None = None,
) -> ClusterResult:
    """Add letters to an earlier result without renumbering: they join existing clusters or found new ones.

    The vocabulary of ``previous`` is kept (words never seen before do not count); re-run :func:`analyse`
    with ``previous=`` now and then to learn new words while keeping ids. ``vectors`` as in :func:`analyse`.

    Raises
    ------
    InputError
        If a new letter's id is already in ``previous`` or repeated.
    """
    new_t = tuple(_read(lt if isinstance(lt, Letter) else Letter.from_case(lt)) for lt in new_letters)
    _check_ids(new_t, previous.issue_of)
    old = previous._state
    mined_new = _mine_letters(new_t)
    docs = [_features(m, lt) for m, lt in zip(mined_new, new_t, strict=False)]
    x_new = (
        _top_terms(old.vectorizer.transform(docs).tocsr().astype(np.float32), previous.options.max_terms)
        if new_t
        else old.matrix[:0]
    )
    letters_all = previous.letters + new_t
    matrix = sparse.vstack([old.matrix, x_new]).tocsr()
    state = _State(
        vectorizer=old.vectorizer,
        matrix=matrix,
        mined=[*old.mined, *mined_new],
        centroids={k: dict(v) for k, v in old.centroids.items()},
        norms2=dict(old.norms2),
        next_number=old.next_number,
        aliases=dict(old.aliases),
        pinned=dict(old.pinned),
        place_info=_with_learned_villages(letters_all, [*old.place_info, *(
            _letter_places(lt, m) for lt, m in zip(new_t, mined_new, strict=False))]),
        cluster_places={k: set(v) for k, v in old.cluster_places.items()},
        cluster_cores={k: Counter(v) for k, v in old.cluster_cores.items()},
        cluster_sizes=dict(old.cluster_sizes),
        sem_sums=dict(old.sem_sums),
        df=old.df + Counter(t for m in mined_new for t in set(m.tokens)),
        df_repeat=old.df_repeat + Counter(
            t for m, lt in zip(mined_new, new_t, strict=False) if _REPEAT_MARKER.search(lt.text) for t in set(m.tokens)
        ),
        evidence=[*old.evidence, *(_evidence(lt, m) for lt, m in zip(new_t, mined_new, strict=False))],
        must_link=old.must_link,
        cannot_link=old.cannot_link,
        link_follow=dict(old.link_follow),
        derived=old.derived,
    )
    n_old = len(previous.letters)
    assigned = {i: previous.issue_of[lt.letter_id] for i, lt in enumerate(previous.letters)}
    order = sorted(range(n_old, len(letters_all)), key=lambda i: (letters_all[i].received_date or dt.date.max, i))
    pos = np.zeros(len(letters_all), dtype=np.int64)  # old letters all come first
    pos[order] = np.arange(1, len(order) + 1)
    nb = _neighbours(
        x_new, matrix, previous.options.neighbours, previous.options.min_similarity / 2, pos[n_old:], pos
    )
    nbrs = {n_old + k: row for k, row in enumerate(nb)}
    if old.sem is not None:
        fresh, _m = semantic.centred(semantic.vectors([lt.text for lt in new_t], known=vectors), old.sem_mean)
        state.sem, state.sem_mean = np.vstack([old.sem, fresh]), old.sem_mean
        near = _nearest_by_meaning(state.sem, list(range(n_old, len(letters_all))), pos, _MEANING_NEIGHBOURS, FLOOR,
                                   UNNAMED_VILLAGE, lambda i, j: bar(state, i, j, _relation(state, i, j)) < FLOOR)
        nbrs = _with_meaning(nbrs, _joined(near, _mates(state, letters_all, order, pos)), matrix)
    closed = set(_detached(previous.decisions, state.pinned, state.aliases).values())
    by_hand = _by_hand(state, letters_all, closed) if closed else set()
    _assign(state, letters_all, order, assigned, _without_closed(nbrs, by_hand), previous.options)
    strays = _strays({i: assigned[i] for i in order}, state, closed, by_hand) if closed else []
    for i in strays:
        assigned[i] = _issue_id(state.next_number)
        state.next_number += 1
    issue_of = {letters_all[i].letter_id: cid for i, cid in assigned.items()}
    if strays:
        _rebuild_centroids(state, letters_all, issue_of)
    return _derive(letters_all, state, issue_of, previous.decisions, previous.options)


#: At most this many anchors per group in a decision: enough to find the group again, a short payload.
_MAX_ANCHORS = 20

#: Nearest letters by meaning looked at for each letter, besides its nearest by words.
_MEANING_NEIGHBOURS = 10


def _anchors_of(issue_of: Mapping[str, str], groups: Sequence[str], moved: Sequence[str]) -> tuple[str, ...]:
    """Letters of ``groups`` (not those being moved), the earliest numbers first, at most :data:`_MAX_ANCHORS`
    per group."""
    out: list[str] = []
    skip = set(moved)
    for g in groups:
        out += sorted(lid for lid, cid in issue_of.items() if cid == g and lid not in skip)[:_MAX_ANCHORS]
    return tuple(out)


@_gc_paused
def apply_decision(result: ClusterResult, decision: Decision) -> ClusterResult:
    """Apply a manual merge, split or detach and return the new result (ids of other clusters unchanged).

    Split and detach get fresh cluster ids (filled into the returned ``decisions``, which a caller
    persists). Later :func:`update` and :func:`analyse` (with ``previous=``) calls respect the decision.

    Raises
    ------
    NotFoundError
        If a cluster or letter id is unknown.
    """
    state = result._state
    known = set(result.issue_of.values())
    new_state = dataclasses.replace(
        state,
        centroids={},
        norms2={},
        cluster_places={},
        cluster_cores={},
        cluster_sizes={},
        sem_sums={},
        aliases=dict(state.aliases),
        pinned=dict(state.pinned),
    )
    issue_of = dict(result.issue_of)
    if decision.action == "merge":
        for cid in (decision.source, decision.target):
            if cid not in known:
                raise NotFoundError(f"本次关联分析结果中没有编号为 {cid!r} 的关联组")
        if decision.source == decision.target:
            raise InputError(f"合并的来源组和目标组是同一组 {decision.source!r}")
        new_state.aliases[decision.source] = decision.target
        decision = dataclasses.replace(decision, anchors=_anchors_of(
            issue_of, (decision.source, decision.target), ()))
        for lid, cid in issue_of.items():
            if cid == decision.source:
                issue_of[lid] = decision.target
        for lid, cid in new_state.pinned.items():
            if cid == decision.source:
                new_state.pinned[lid] = decision.target
    else:
        for lid in decision.letter_ids:
            if lid not in issue_of:
                raise NotFoundError(f"本次关联分析结果中没有信件 {lid!r}")
        target = _issue_id(new_state.next_number)
        if decision.action == "move":
            target = _resolve_alias(new_state.aliases, decision.target)
            if target not in known:
                raise NotFoundError(f"本次关联分析结果中没有编号为 {decision.target!r} 的关联组")
            decision = dataclasses.replace(decision, anchors=_anchors_of(issue_of, (target,), decision.letter_ids))
            for lid in decision.letter_ids:
                issue_of[lid] = target
                new_state.pinned[lid] = target
        elif decision.action in ("link", "unlink"):
            must, cannot = set(new_state.must_link), set(new_state.cannot_link)
            (must if decision.action == "link" else cannot).add(decision.pair())
            (cannot if decision.action == "link" else must).discard(decision.pair())
            new_state.must_link, new_state.cannot_link = frozenset(must), frozenset(cannot)
            new_state.link_cache = {}
            target = ""
            a, b = decision.letter_ids
            if decision.action == "link":
                size = Counter(issue_of.values())
                if size[issue_of[b]] > size[issue_of[a]]:  # the letter of the smaller group joins the larger one
                    a, b = b, a
                    decision = dataclasses.replace(decision, letter_ids=(a, b))
                target = issue_of[a]
                issue_of[b] = target
                new_state.pinned.pop(b, None)  # the pair rules now, in every later run
            new_state.link_follow = _follows((*result.decisions, decision), new_state.must_link)
        elif decision.action == "split":
            new_state.next_number += 1
            for lid in decision.letter_ids:
                issue_of[lid] = target
                new_state.pinned[lid] = target
        else:
            # The letters of the groups they leave: the review queue does not offer those pairs again.
            left = tuple(dict.fromkeys(issue_of[lid] for lid in decision.letter_ids))
            decision = dataclasses.replace(decision, anchors=_anchors_of(issue_of, left, decision.letter_ids))
            for lid in decision.letter_ids:
                cid = _issue_id(new_state.next_number)
                new_state.next_number += 1
                issue_of[lid] = cid
                new_state.pinned[lid] = cid
        decision = dataclasses.replace(decision, target=target)
    _rebuild_centroids(new_state, result.letters, issue_of)
    return _derive(result.letters, new_state, issue_of, (*result.decisions, decision), result.options)
