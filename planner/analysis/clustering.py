"""The clustering engine behind :mod:`planner.analysis`: features, issue clusters, hotspots, repeats, decisions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from planner.analysis.textmine import Mined, gazetteer, mine, normalise
from planner.domain import Cluster, PetitionCase
from planner.errors import InputError, NotFoundError

_ISSUE_PREFIX = "I"
_NO_PLACE = "地点不明"


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter as the clustering sees it: text, date, place and an opaque petitioner key.

    Attributes
    ----------
    letter_id
        Unique id (the register's 编号).
    text
        Title and content.
    received_date
        Date received; letters are taken in date order, so earlier letters found clusters.
    address
        Address as written (optional); mined for places when no codes are given.
    county_code, town_code, village_code, county, town, village
        Resolved place (optional, from ``planner.places.resolver``).
    reported_units, reported_persons
        Reported units and persons when the register has them (else they are mined from the text).
    petitioner_key
        Opaque key of the petitioner (hash of name+phone or ID), never the identity itself.
    """

    letter_id: str
    text: str
    received_date: dt.date | None = None
    address: str = ""
    county_code: str = ""
    town_code: str = ""
    village_code: str = ""
    county: str = ""
    town: str = ""
    village: str = ""
    reported_units: tuple[str, ...] = ()
    reported_persons: tuple[str, ...] = ()
    petitioner_key: str = ""

    def __post_init__(self) -> None:
        if not str(self.letter_id).strip():
            raise InputError(f"letter_id: every letter needs an id, got {self.letter_id!r}")
        object.__setattr__(self, "letter_id", str(self.letter_id).strip())
        object.__setattr__(self, "text", "" if self.text is None else str(self.text))
        object.__setattr__(self, "reported_units", tuple(self.reported_units))
        object.__setattr__(self, "reported_persons", tuple(self.reported_persons))

    @classmethod
    def from_case(cls, case: PetitionCase) -> Letter:
        """Build a letter from a registered :class:`~planner.domain.PetitionCase`."""
        loc = case.location
        return cls(
            letter_id=case.case_no,
            text=(case.title + "。" if case.title else "") + case.content,
            received_date=case.received_date,
            address=case.address_text,
            county_code=loc.county_code,
            town_code=loc.town_code,
            village_code=loc.village_code,
            county=loc.county,
            town=loc.town,
            village=loc.village,
            reported_units=case.reported_units,
            reported_persons=case.reported_persons,
            petitioner_key=case.petitioner_key,
        )


@dataclass(frozen=True, slots=True)
class ClusterOptions:
    """Tuning of :func:`analyse`; defaults were chosen on the labelled dev sets (see benchmarks/clustering.py).

    Attributes
    ----------
    issue_threshold
        Minimum similarity (cosine of matter words) of two letters for a link; at the same village the
        ``place_bonus`` is taken off it.
    neighbours
        Nearest letters looked at to find candidate clusters.
    repeat_ratio
        Minimum rapidfuzz ratio (0-100) of two letters' texts for a repeat when no petitioner key is known.
    systemic_counties
        An issue cluster spanning at least this many counties is flagged systemic (监察建议).
    place_bonus
        Added to the similarity of a cluster that already has letters from the same village (or town).
    min_similarity
        Below this similarity a letter never joins a cluster, whatever the place bonus.
    max_terms
        Features kept per letter (its heaviest words); 0 keeps all.
    town_threshold
        Minimum similarity of two letters about the same town but not (known to be) the same village.
    cross_threshold
        Minimum similarity of two letters about different places (or naming none); such a link also needs
        specific shared evidence (a rare matter word) and independent wording (see ``template_overlap``).
    template_overlap, template_ratio
        Two letters from different places whose distinctive words overlap at least ``template_overlap``
        (Jaccard) and whose matter words, in order, match at least ``template_ratio`` (rapidfuzz partial
        ratio / 100) are one *pattern* of complaint with other slots (place, person, amount): different
        matters (every "村干部优亲厚友评低保" letter), so they are never linked across places.
    rare_df
        A matter word used by at most this share of the register (at least 3 letters) counts as specific
        evidence for a cross-place link; framing words (请求纪委监委核实查处) are far commoner.
    merge_threshold
        Kept for compatibility; no longer used: clusters are merged only through a same-matter link
        (centroid similarity merged whole complaint types).
    """

    issue_threshold: float = 0.25
    town_threshold: float = 0.35
    cross_threshold: float = 0.3
    template_overlap: float = 0.34
    template_ratio: float = 0.6
    rare_df: float = 0.03
    place_bonus: float = 0.15
    min_similarity: float = 0.1
    merge_threshold: float = 0.4
    max_terms: int = 0
    neighbours: int = 20
    repeat_ratio: float = 80.0
    systemic_counties: int = 3

    def __post_init__(self) -> None:
        if not 0.0 < self.issue_threshold < 1.0:
            raise InputError(f"issue_threshold: expected a value between 0 and 1, got {self.issue_threshold!r}")
        if not 0.0 <= self.place_bonus < 1.0:
            raise InputError(f"place_bonus: expected a value in [0, 1), got {self.place_bonus!r}")
        if self.neighbours < 1:
            raise InputError(f"neighbours: expected at least 1, got {self.neighbours!r}")
        if not 0.0 <= self.repeat_ratio <= 100.0:
            raise InputError(f"repeat_ratio: expected 0..100, got {self.repeat_ratio!r}")
        for name in ("town_threshold", "cross_threshold", "template_overlap", "template_ratio", "rare_df"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise InputError(f"{name}: expected a value in (0, 1], got {getattr(self, name)!r}")
        if self.systemic_counties < 2:
            raise InputError(f"systemic_counties: expected at least 2, got {self.systemic_counties!r}")


@dataclass(frozen=True, slots=True)
class Decision:
    """A manual decision on issue clusters, kept and replayed by later runs.

    Attributes
    ----------
    action
        ``"merge"`` (all letters of ``source`` join ``target``), ``"split"`` (``letter_ids`` leave their
        cluster for a new cluster ``target``) or ``"detach"`` (each of ``letter_ids`` becomes a cluster of its own,
        ``target`` is the new id of the first one; more ids are numbered on).
    letter_ids
        Letters concerned (split, detach).
    source, target
        Cluster ids (merge: from, to; split/detach: the new id, filled in by :func:`apply_decision`).
    """

    action: str
    letter_ids: tuple[str, ...] = ()
    source: str = ""
    target: str = ""

    def __post_init__(self) -> None:
        if self.action not in ("merge", "split", "detach"):
            raise InputError(f"action: expected merge, split or detach, got {self.action!r}")
        object.__setattr__(self, "letter_ids", tuple(self.letter_ids))
        if self.action == "merge" and not (self.source and self.target):
            raise InputError(f"merge needs source and target cluster ids, got {self.source!r} -> {self.target!r}")
        if self.action in ("split", "detach") and not self.letter_ids:
            raise InputError(f"{self.action} needs at least one letter id")

    def to_payload(self) -> dict:
        """JSON-able form (for the ``cluster_decisions`` table)."""
        return {
            "action": self.action,
            "letter_ids": list(self.letter_ids),
            "source": self.source,
            "target": self.target,
        }

    @classmethod
    def from_payload(cls, payload: dict) -> Decision:
        """Inverse of :meth:`to_payload`."""
        return cls(
            action=payload["action"],
            letter_ids=tuple(payload.get("letter_ids", ())),
            source=payload.get("source", ""),
            target=payload.get("target", ""),
        )


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

    def reasons(self) -> tuple[str, ...]:
        """The reasons in Chinese, strongest first, for the 关联分析 page."""
        out = []
        if self.same_petitioner:
            out.append("同一信访人")
        if self.shared_terms:
            out.append("共同关键词：" + "、".join(self.shared_terms))
        if self.shared_units:
            out.append("被反映单位相同：" + "、".join(self.shared_units))
        if self.shared_persons:
            out.append("被反映人相同：" + "、".join(self.shared_persons))
        if self.same_place:
            out.append("地点相同：" + self.same_place)
        out.append(f"内容相似度 {self.similarity:.2f}")
        return tuple(out)


@dataclass(slots=True)
class _State:
    """Internal, reusable state: fitted vectoriser, feature matrix, centroids, id counter."""

    vectorizer: TfidfVectorizer
    matrix: sparse.csr_matrix
    mined: list[Mined]
    centroids: dict[str, dict[int, float]]
    norms2: dict[str, float]
    next_number: int
    aliases: dict[str, str]
    pinned: dict[str, str]
    place_info: list[_PlaceInfo] = field(default_factory=list)
    cluster_places: dict[str, set[str]] = field(default_factory=dict)
    cluster_cores: dict[str, Counter] = field(default_factory=dict)
    cluster_sizes: dict[str, int] = field(default_factory=dict)
    index: dict[str, int] = field(default_factory=dict)
    df: Counter = field(default_factory=Counter)
    df_repeat: Counter = field(default_factory=Counter)
    # Per-letter caches for the link gate (valid while df is unchanged: one analyse or update call).
    distinct_cache: dict[int, frozenset[str]] = field(default_factory=dict)
    sequence_cache: dict[int, str] = field(default_factory=dict)
    link_cache: dict[tuple[int, int], bool] = field(default_factory=dict)
    evidence: list[_Evidence] = field(default_factory=list)


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

    def letter(self, letter_id: str) -> Letter:
        """The letter with this id."""
        idx = self._index().get(letter_id)
        if idx is None:
            raise NotFoundError(f"letter id {letter_id!r} is not in this result")
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
        raise NotFoundError(f"cluster id {cluster_id!r} is not in this result")

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
        sim = float(self._state.matrix[ia].multiply(self._state.matrix[ib]).sum())
        vocab_idf = _idf_lookup(self._state.vectorizer)
        shared = set(ma.tokens) & set(mb.tokens)
        terms = tuple(sorted(shared, key=lambda t: (-vocab_idf.get(t, 0.0), t))[:6])
        ua, ub = _units(a, ma), _units(b, mb)
        units = tuple(u for u in ua if u in ub)
        pa, pb = _persons(a, ma), _persons(b, mb)
        persons = tuple(p for p in pa if p in pb)
        place = _shared_place(a, ma, b, mb)
        same_pet = bool(a.petitioner_key) and a.petitioner_key == b.petitioner_key
        rep = self.repeat_of.get(b.letter_id) == a.letter_id or self.repeat_of.get(a.letter_id) == b.letter_id
        return Explanation(
            a_id=a.letter_id,
            b_id=b.letter_id,
            similarity=round(sim, 3),
            shared_terms=terms,
            shared_units=units,
            shared_persons=persons,
            same_place=place,
            same_petitioner=same_pet,
            same_issue=self.issue_of[a.letter_id] == self.issue_of[b.letter_id],
            same_hotspot=self.hotspot_of[a.letter_id] == self.hotspot_of[b.letter_id],
            repeat=rep,
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


# ---------------------------------------------------------------------------------------------- features


def _features(m: Mined, letter: Letter) -> list[str]:
    feats = list(m.tokens)
    # Character bigrams of longer words catch rewording (采伐保证金 vs 砍伐保证金) without place names.
    for tok in m.tokens:
        if len(tok) >= 3:
            feats.extend("#" + tok[k : k + 2] for k in range(len(tok) - 1))
    for unit in letter.reported_units:
        feats.extend(t for t in mine(unit).tokens)
    return feats


def _top_terms(matrix: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Keep each row's ``k`` heaviest features, L2-normalised again.

    A long letter (a page of background, symptoms and pleas) otherwise spreads its weight so thin that it
    looks unlike a two-line letter about the same matter; its heaviest words are what it is about.
    """
    if k <= 0:
        return matrix
    matrix = matrix.tocsr(copy=True)
    for i in range(matrix.shape[0]):
        lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
        if hi - lo > k:
            row = matrix.data[lo:hi]
            cut = np.partition(row, hi - lo - k)[hi - lo - k]
            row[row < cut] = 0.0
    matrix.eliminate_zeros()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix, dtype=np.float32)


def _identity(doc: list[str]) -> list[str]:
    return doc


def _idf_lookup(vec: TfidfVectorizer) -> dict[str, float]:
    return {term: float(vec.idf_[i]) for term, i in vec.vocabulary_.items()}


def _mine_letters(letters: Sequence[Letter]) -> list[Mined]:
    return [mine(lt.text) for lt in letters]


def _neighbours(
    query: sparse.csr_matrix,
    base: sparse.csr_matrix,
    k: int,
    floor: float,
    query_pos: np.ndarray,
    base_pos: np.ndarray,
) -> list[list[tuple[int, float]]]:
    """Top-k cosine neighbours (rows are L2-normalised) of each query row among the base rows taken
    *before* it (``base_pos < query_pos``), above ``floor``.

    Only earlier letters can hold a cluster when a letter is assigned, so later ones are masked out;
    otherwise near-duplicates arriving later would fill the k places and hide the real candidates.
    """
    out: list[list[tuple[int, float]]] = []
    base_t = base.T.tocsc()
    block = 512
    for start in range(0, query.shape[0], block):
        sims = (query[start : start + block] @ base_t).toarray()
        sims[base_pos[None, :] >= query_pos[start : start + block, None]] = 0.0
        if sims.shape[1] > k + 1:
            top = np.argpartition(-sims, k, axis=1)[:, : k + 1]
        else:
            top = np.broadcast_to(np.arange(sims.shape[1]), (sims.shape[0], sims.shape[1]))
        vals = np.take_along_axis(sims, top, axis=1)
        for r in range(sims.shape[0]):
            keep = vals[r] >= floor
            pairs = zip(top[r][keep].tolist(), vals[r][keep].tolist(), strict=False)
            out.append(sorted(pairs, key=lambda t: -t[1]))
    return out


def _order(letters: Sequence[Letter]) -> list[int]:
    far = dt.date.max
    return sorted(range(len(letters)), key=lambda i: (letters[i].received_date or far, i))


def _issue_id(number: int) -> str:
    return f"{_ISSUE_PREFIX}{number:04d}"


def _id_number(cluster_id: str) -> int:
    m = re.fullmatch(rf"{_ISSUE_PREFIX}(\d+)", cluster_id)
    return int(m.group(1)) if m else 0


def _resolve_alias(aliases: dict[str, str], cid: str) -> str:
    seen = set()
    while cid in aliases and cid not in seen:
        seen.add(cid)
        cid = aliases[cid]
    return cid


def _row(matrix: sparse.csr_matrix, i: int) -> list[tuple[int, float]]:
    """Non-zero (column, weight) pairs of one row, without scipy's slow row indexing."""
    lo, hi = matrix.indptr[i], matrix.indptr[i + 1]
    return list(zip(matrix.indices[lo:hi].tolist(), matrix.data[lo:hi].tolist(), strict=False))


def _add_to_centroid(state: _State, cid: str, row: list[tuple[int, float]]) -> None:
    cen = state.centroids.setdefault(cid, {})
    n2 = state.norms2.get(cid, 0.0)
    dot = 0.0
    sq = 0.0
    for j, v in row:
        old = cen.get(j, 0.0)
        dot += old * v
        sq += v * v
        cen[j] = old + v
    state.norms2[cid] = n2 + 2.0 * dot + sq


def _centroid_cos(state: _State, cid: str, row: list[tuple[int, float]]) -> float:
    cen = state.centroids.get(cid)
    n2 = state.norms2.get(cid, 0.0)
    if not cen or n2 <= 0.0:
        return 0.0
    get = cen.get
    dot = sum(get(j, 0.0) * v for j, v in row)
    return dot / math.sqrt(n2)


_REPEAT_MARKER = re.compile(
    r"再次反映|再次举报|又一次|第[二三四五六七八九十\d]+次(?:反映|来信|举报)|已反映过|反映过此事|上次反映|此前反映|之前反映"
    r"|曾反映|曾经反映|多次反映|仍未解决|仍然没有解决|继续反映|重复反映"
)


def _dominant_cores(state: _State, cid: str) -> set[str]:
    """Core matter words named by at least half of a cluster's letters."""
    counts = state.cluster_cores.get(cid)
    if not counts or cid in state.aliases.values():
        return set()  # a person merged matters into this cluster: it no longer stands for one core word
    half = state.cluster_sizes.get(cid, 1) / 2
    return {w for w, n in counts.items() if n >= half}


def _cores_conflict(mine_cores: Iterable[str], theirs: set[str]) -> bool:
    """True when both sides name core matter words and share none (保证金 vs 好处费)."""
    mine_set = set(mine_cores)
    return bool(mine_set and theirs and not _cores_share(tuple(mine_set), tuple(theirs)))


def _note_member(state: _State, cid: str, i: int) -> None:
    state.cluster_sizes[cid] = state.cluster_sizes.get(cid, 0) + 1
    state.cluster_cores.setdefault(cid, Counter()).update(state.mined[i].cores)


def _place_keys(info: tuple[list[str], list[str], list[str]]) -> set[str]:
    """Keys that say "same place" for the place bonus: village-level places, else towns."""
    vil, towns, _c, _n = info
    return set(vil) if vil else {"town:" + t for t in towns}


_VILLAGE_UNITS = ("村委会", "居委会", "委员会", "村委", "村里", "村部")
_TITLE_RE = re.compile(
    r"^(?:村党支部副书记|村党支部书记|党支部书记|支部书记|社区党委书记|村支书|支书|书记|村委会主任|村主任|主任|村长|副镇长"
    r"|镇长|副乡长|乡长|副站长|站长|副所长|所长|副局长|局长|村会计|会计|出纳|报账员|组长|文书|村委委员|委员|经理|老板|院长"
    r"|校长|队长|科长|股长|干部|网格员|护林员|工作人员)+"
)
_COMPANY_RE = re.compile(r"(?:公司|合作社|家庭农场|厂)$")
# A charge per unit (每亩300元, 每户交80元, 每张采伐证100元): the same charge told twice has one rate.
_RATE_RE = re.compile(
    r"每(亩|户|人|张|宗|立方米?|平方米?|株|棵|吨|票|次)[^\d，。；,;]{0,6}?(\d+(?:\.\d+)?)\s*(?:元|块)"
)
# Figures that identify one instance (去世4个月, 收益8600元): the same instance told twice gives the same figures.
_FIGURE_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(个月|万元|元)")
# The year a payment or account belongs to (2023年生态公益林补偿金), not a date of writing (2026年01月12日).
_YEAR_RE = re.compile(r"(20\d\d)年(?!\d{1,2}月)(?:度)?")


class _Evidence(NamedTuple):
    """What a letter offers for deciding "same matter": distinctive words, persons, unit types, named companies."""

    tokens: frozenset[str]
    persons: frozenset[str]
    unit_types: frozenset[str]
    companies: frozenset[str]
    repeat: bool
    text_persons: bool
    local: bool
    rates: frozenset[tuple[str, float]] = frozenset()
    years: frozenset[str] = frozenset()


# The letter accuses a village body or cadre: without a town/county unit or company named, its matter is that
# village's own (every village has a 村会计; one village's is not another's).
_LOCAL_ACTOR_RE = re.compile(
    r"村里|村委|(?<!镇)村干部|村支书|村主任|村会计|村党支部|村报账员|村民委员会|居委会|村集体|村财|村务|社区党委"
)


def _person_name(raw: str) -> str:
    name = re.sub(r"[（(][^）)]*[）)]", "", raw).strip()
    return _TITLE_RE.sub("", name) or name


_GENERIC_COMPANY_RE = re.compile(
    r"^(?:福建省|漳州市|福建|漳州)|(?:有限责任|股份有限|有限)?(?:公司|合作社|家庭农场|厂)$"
    r"|建设工程|建筑工程|工程|建设|建筑|实业|发展|投资|科技|集团|物业|服务|管理"
)


def _company_name(unit: str) -> str:
    """The distinctive part of a company's name (漳州市鑫源建设工程有限公司 -> 鑫源); "" when nothing is left."""
    core = _GENERIC_COMPANY_RE.sub("", unit)
    return core if len(core) >= 2 else ""


def _unit_type(unit: str, prefixes: Sequence[str]) -> str:
    """The kind of unit without its place (山格镇林业站 -> 林业站); "" for village committees."""
    u = unit
    changed = True
    while changed:
        changed = False
        for pre in prefixes:
            if pre and u.startswith(pre) and len(u) - len(pre) >= 2:
                u = u[len(pre) :]
                changed = True
    if any(u.endswith(v) for v in _VILLAGE_UNITS) or len(u) < 3 or u.endswith(("经商办", "承办", "主办")):
        return ""  # 政府, 中心 alone say nothing of the kind of unit
    return u


def _evidence(letter: Letter, m: Mined) -> _Evidence:
    gaz = gazetteer()
    prefixes = sorted(
        {p.name for p in m.places} | {p.key for p in m.places} | {letter.county, letter.town, letter.village}
        | {n for n in gaz if any(u.startswith(n) for u in m.units)} | {"漳州市", "漳州", "县", "市", "区", "镇", "乡"},
        key=len,
        reverse=True,
    )
    # Companies are compared by name (below), not as a kind of unit.
    types = {t for u in m.units if not _COMPANY_RE.search(u) and (t := _unit_type(u, prefixes))}
    companies = {c for u in (*m.units, *letter.reported_units) if _COMPANY_RE.search(u) and (c := _company_name(u))}
    persons = {_person_name(p) for p in (*m.persons, *letter.reported_persons)}
    unit_chars = "".join(m.units)
    return _Evidence(
        # Words of the unit's own name (社会, 事务, 农业) say who acts, not what was done.
        tokens=frozenset(t for t in m.tokens if t not in unit_chars),
        persons=frozenset(p for p in persons if len(p) >= 2),
        unit_types=frozenset(types),
        companies=frozenset(companies),
        repeat=bool(_REPEAT_MARKER.search(letter.text)),
        text_persons=bool(m.persons) or any(p and p in letter.text for p in persons),
        rates=frozenset(
            [(u, float(v)) for u, v in _RATE_RE.findall(normalise(letter.text))]
            + [("#" + u, float(v)) for v, u in _FIGURE_RE.findall(normalise(letter.text))]
        ),
        years=frozenset(_YEAR_RE.findall(letter.text)),
        local=bool(_LOCAL_ACTOR_RE.search(letter.text)) and not (types or companies),
    )


def _same_pattern(state: _State, i: int, j: int, overlap: float, ratio: float, limit: float) -> bool:
    """True when two letters are one complaint pattern with other slots: their distinctive words (used by at
    most ``limit`` letters, so not the register's framing) overlap by ``overlap`` (Jaccard) and the shorter
    one's matter words, in order, are found almost whole in the other (``ratio``), once places, persons,
    figures and words about the handling (走过场) are taken out."""
    da, db = _distinctive(state, i, limit), _distinctive(state, j, limit)
    if len(da & db) < overlap * max(1, len(da | db)):
        return False
    a, b = _sequence(state, i), _sequence(state, j)
    return bool(a and b) and fuzz.partial_ratio(a, b) >= 100.0 * ratio


def _sequence(state: _State, i: int) -> str:
    seq = state.sequence_cache.get(i)
    if seq is None:
        seq = "".join(t for t in state.mined[i].tokens if not _handling(state, t))
        state.sequence_cache[i] = seq
    return seq


def _types_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two letters name a common kind of unit (新城小区搅拌站 and 搅拌站 are one kind)."""
    return any(x.endswith(y) or y.endswith(x) for x in a for y in b)


def _figures_conflict(a: frozenset[tuple[str, float]], b: frozenset[tuple[str, float]]) -> bool:
    """True when both letters give a rate for the same unit (每亩) and no rate agrees."""
    units = {u for u, _ in a} & {u for u, _ in b}
    return any(not ({v for w, v in a if w == u} & {v for w, v in b if w == u}) for u in units)


def _cores_share(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when two letters name a common core matter word (青苗补偿款 contains 补偿款)."""
    # A two-character core (补贴, 质量) inside a longer one says little; 补偿款 in 青苗补偿款 says the same money.
    return any(x == y or (len(x) >= 3 and x in y) or (len(y) >= 3 and y in x) for x in a for y in b)


def _place_relation(a: _PlaceInfo, b: _PlaceInfo) -> str:
    """``village`` (a shared village or finer place), ``town`` (shared town, no conflicting villages),
    ``apart`` (places named on both sides, none shared at that level) or ``unknown`` (a side names none)."""
    if set(a.villages) & set(b.villages):
        return "village"
    if set(a.towns) & set(b.towns):
        return "apart-village" if (a.villages and b.villages) else "town"
    if not (a.towns or a.villages or a.counties) or not (b.towns or b.villages or b.counties):
        return "unknown"
    if set(a.counties) & set(b.counties) and not ((a.towns or a.villages) and (b.towns or b.villages)):
        return "town"  # one side names only the county: no conflict of place, as close as we can tell
    return "apart"


def _handling(state: _State, tok: str) -> bool:
    """Words mostly found in letters that write again (走过场, 此前, 答复): about the handling, not the matter."""
    n = state.df.get(tok, 0)
    return n >= 2 and state.df_repeat.get(tok, 0) * 2 >= n


def _distinctive(state: _State, i: int, limit: float) -> frozenset[str]:
    """Letter ``i``'s matter words used by at most ``limit`` letters, handling words left out (cached)."""
    got = state.distinct_cache.get(i)
    if got is None:
        got = frozenset(
            t for t in state.evidence[i].tokens if state.df.get(t, 0) <= limit and not _handling(state, t)
        )
        state.distinct_cache[i] = got
    return got


def _linked(state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions) -> bool:
    """Cached :func:`_link` (the merge pass asks again about the pairs the assignment asked about)."""
    key = (i, j) if i < j else (j, i)
    got = state.link_cache.get(key)
    if got is None:
        got = _link(state, letters, i, j, sim, options)
        state.link_cache[key] = got
    return got


def _link(state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions) -> bool:
    """Whether two letters are about the same matter (the gate of every automatic link).

    Same petitioner: yes when about the same place, saying it writes again, or alike at all. Otherwise:
    different core matter words or different named persons (with no shared unit kind) say no; the same
    village needs ordinary similarity, the same town more; different places need independent wording
    that shares a rare, specific matter word (a named charge, project, company) and no conflicting kind of
    acting unit. Two letters in one pattern from different places (every "村干部优亲厚友评低保" letter) are
    different matters unless a named company links them.
    """
    a, b = letters[i], letters[j]
    ea, eb = state.evidence[i], state.evidence[j]
    pa, pb = state.place_info[i], state.place_info[j]
    rel = _place_relation(pa, pb)
    if a.petitioner_key and a.petitioner_key == b.petitioner_key:
        if rel in ("village", "town", "unknown") or ea.repeat or eb.repeat or sim >= options.min_similarity:
            return True
    ca, cb = state.mined[i].cores, state.mined[j].cores
    same_core = _cores_share(ca, cb)
    if ca and cb and not same_core:
        return False
    shared_units = _types_match(ea.unit_types, eb.unit_types) or bool(ea.companies & eb.companies)
    if ea.persons and eb.persons and not ea.persons & eb.persons and not (
        shared_units and not (ea.text_persons and eb.text_persons)
    ):
        return False  # the register lists whom to see at a unit; a letter naming its culprit is about that one
    if ea.unit_types and eb.unit_types and not _types_match(ea.unit_types, eb.unit_types):
        return False  # 自然资源所 vs 农业服务中心: another unit's practice, wherever it is
    if rel in ("village", "town", "apart-village") and (_figures_conflict(ea.rates, eb.rates) or (
        ea.years and eb.years and not ea.years & eb.years
    )):
        return False  # one place, but another rate or another year's money: another matter
    if rel == "village":
        # The same village or estate: ordinary similarity less the place bonus, or a shared core word.
        return sim >= options.issue_threshold - options.place_bonus or (same_core and sim >= options.min_similarity / 2)
    n = max(1, len(letters))
    common = max(3.0, options.rare_df * n)
    da = _distinctive(state, i, 2 * common)
    db = _distinctive(state, j, 2 * common)
    if rel != "town" and _same_pattern(state, i, j, options.template_overlap, options.template_ratio, 2 * common):
        return False  # one pattern, other slots: another village's matter
    if rel == "town":
        return (
            sim >= options.town_threshold
            or (same_core and sim >= options.issue_threshold)
            or (bool(ea.companies & eb.companies) and sim >= options.min_similarity)
        )
    if rel == "unknown":
        # No place on one side: text alone decides, and needs a shared core word or a rare word.
        rare = {t for t in da & db if state.df.get(t, 0) <= common and len(t) >= 2}
        return sim >= options.cross_threshold and (same_core or bool(rare))
    if sim < options.cross_threshold:
        return False
    if rel != "apart-village" and (ea.local or eb.local):
        return False  # a village's own cadres and funds: that village's matter
    rare = {t for t in da & db if state.df.get(t, 0) <= common and len(t) >= 2}
    shared_cores = sum(1 for x in ca if _cores_share((x,), cb))
    if shared_units:
        # The same kind of unit doing the same specific thing: a rare word or two core matter words in common.
        return bool(rare) or shared_cores >= 2
    if len(rare) >= 3:
        return True  # no unit in common: a named project or charge in several specific words
    # Within one town or county, two specific words and a core word in common are enough (a county-wide practice).
    near = rel == "apart-village"
    return near and same_core and len(rare) >= (1 if rel == "apart-village" else 2)


def _assign(
    state: _State,
    letters: Sequence[Letter],
    todo: Iterable[int],
    assigned: dict[int, str],
    nbrs: dict[int, list[tuple[int, float]]],
    options: ClusterOptions,
    fixed: Mapping[str, str] | None = None,
) -> None:
    """Assign letters in order: join the best candidate cluster above the threshold, else found a new one.

    Letters in ``fixed`` (letter id -> cluster id from an earlier run) keep their cluster.

    A letter from a petitioner already seen joins that petitioner's earlier cluster when it is about the
    same place or says it writes again (再次反映 ...): a repeat stays with the matter it repeats.
    A candidate cluster that already holds letters from the same village (or town) gets ``place_bonus``:
    the same place makes the same matter likelier, while letters about other places need the full threshold.
    """
    matrix = state.matrix
    by_petitioner: dict[str, int] = {}
    for j in sorted(assigned):
        key = letters[j].petitioner_key
        if key and key not in by_petitioner:
            by_petitioner[key] = j
    for i in todo:
        lt = letters[i]
        row = _row(matrix, i)
        keys = _place_keys(state.place_info[i])
        first = by_petitioner.get(lt.petitioner_key) if lt.petitioner_key else None
        if lt.letter_id in state.pinned:
            cid = _resolve_alias(state.aliases, state.pinned[lt.letter_id])
        elif fixed and lt.letter_id in fixed:
            cid = _resolve_alias(state.aliases, fixed[lt.letter_id])
        elif first is not None and (
            keys & _place_keys(state.place_info[first]) or _REPEAT_MARKER.search(lt.text)
        ):
            cid = _resolve_alias(state.aliases, assigned[first])
        else:
            best, best_score = "", -1.0
            for j, sim in nbrs.get(i, ()):
                if j == i or j not in assigned or not _linked(state, letters, i, j, sim, options):
                    continue
                cid = _resolve_alias(state.aliases, assigned[j])
                if _cores_conflict(state.mined[i].cores, _dominant_cores(state, cid)):
                    continue  # same setting, different matter: a deposit is not a bribe
                if keys and keys & state.cluster_places.get(cid, set()):
                    sim += options.place_bonus
                if sim > best_score or (sim == best_score and cid < best):
                    best, best_score = cid, sim
            if best:
                cid = best
            else:
                cid = _issue_id(state.next_number)
                state.next_number += 1
        assigned[i] = cid
        if lt.petitioner_key and lt.petitioner_key not in by_petitioner:
            by_petitioner[lt.petitioner_key] = i
        state.cluster_places.setdefault(cid, set()).update(keys)
        _note_member(state, cid, i)
        if row:
            _add_to_centroid(state, cid, row)


def _centroids_cos(state: _State, a: str, b: str) -> float:
    ca, cb = state.centroids.get(a), state.centroids.get(b)
    na, nb = state.norms2.get(a, 0.0), state.norms2.get(b, 0.0)
    if not ca or not cb or na <= 0.0 or nb <= 0.0:
        return 0.0
    if len(ca) > len(cb):
        ca, cb = cb, ca
    get = cb.get
    return sum(v * get(j, 0.0) for j, v in ca.items()) / math.sqrt(na * nb)


def _merge_pass(
    state: _State,
    letters: Sequence[Letter],
    assigned: dict[int, str],
    nbrs: dict[int, list[tuple[int, float]]],
    options: ClusterOptions,
    frozen: set[str],
) -> None:
    """Merge clusters joined by a same-matter link that the date order missed (a later letter bridges two).

    Clusters holding manually pinned letters (``frozen``) are never merged automatically; clusters whose
    dominant core matter words differ are never merged.
    """
    links = []
    for i, row in nbrs.items():
        for j, sim in row:
            ci, cj = assigned.get(i), assigned.get(j)
            if ci and cj and ci != cj and ci not in frozen and cj not in frozen:
                links.append((-sim, min(i, j), max(i, j)))
    alias: dict[str, str] = {}
    for neg, i, j in sorted(set(links)):
        a, b = _resolve_alias(alias, assigned[i]), _resolve_alias(alias, assigned[j])
        if a == b or not _linked(state, letters, i, j, -neg, options):
            continue
        if _cores_conflict(_dominant_cores(state, a), _dominant_cores(state, b)):
            continue
        keep, gone = (a, b) if _id_number(a) <= _id_number(b) else (b, a)
        state.cluster_cores.setdefault(keep, Counter()).update(state.cluster_cores.pop(gone, Counter()))
        state.cluster_sizes[keep] = state.cluster_sizes.get(keep, 0) + state.cluster_sizes.pop(gone, 0)
        cen = state.centroids.setdefault(keep, {})
        dot = sum(v * cen.get(k, 0.0) for k, v in state.centroids.get(gone, {}).items())
        for k, v in state.centroids.pop(gone, {}).items():
            cen[k] = cen.get(k, 0.0) + v
        state.norms2[keep] = state.norms2.get(keep, 0.0) + 2 * dot + state.norms2.pop(gone, 0.0)
        state.cluster_places.setdefault(keep, set()).update(state.cluster_places.pop(gone, set()))
        alias[gone] = keep
    if alias:
        for i, cid in assigned.items():
            assigned[i] = _resolve_alias(alias, cid)


# ---------------------------------------------------------------------------------------------- places


class _PlaceInfo(NamedTuple):
    """Places of a letter: village-level keys, town-level keys, county codes, and key -> name as written."""

    villages: list[str]
    towns: list[str]
    counties: list[str]
    names: dict[str, str]


def _letter_places(letter: Letter, m: Mined) -> _PlaceInfo:
    """Places of a letter; resolved codes first, then places named in the address and the text."""
    villages: list[str] = []
    towns: list[str] = []
    counties: list[str] = []
    names: dict[str, str] = {}
    if letter.village_code:
        villages.append("v:" + letter.village_code)
        names["v:" + letter.village_code] = letter.village
    elif letter.village:
        villages.append("n:" + _key(letter.village))
        names["n:" + _key(letter.village)] = letter.village
    if letter.town_code:
        towns.append("t:" + letter.town_code)
    elif letter.town:
        towns.append("n:" + _key(letter.town))
    if letter.county_code:
        counties.append(letter.county_code[:6])
    from_address = letter.address and not (letter.village_code or letter.town_code)
    for source in (mine(letter.address) if from_address else None, m):
        if source is None:
            continue
        for p in source.places:
            if p.level in ("village", "site") and not letter.village_code:
                key = "n:" + p.key
                if key not in villages:
                    villages.append(key)
                    names.setdefault(key, p.name)
            elif p.level == "town" and not letter.town_code:
                key = "t:" + p.code if p.code else "n:" + p.key
                if key not in towns:
                    towns.append(key)
            if p.code and p.level in ("county", "town") and not letter.county_code and p.code[:6] not in counties:
                counties.append(p.code[:6])
            elif p.level == "county" and not p.code and not letter.county_code and ("n:" + p.key) not in counties:
                counties.append("n:" + p.key)
    return _PlaceInfo(villages, towns, counties, names)


def _key(name: str) -> str:
    from planner.analysis.textmine import _strip_suffix

    return _strip_suffix(name.strip())


def _place_label(key: str, letter_names: dict[str, str]) -> str:
    return letter_names.get(key, key.split(":", 1)[-1])


def _shared_place(a: Letter, ma: Mined, b: Letter, mb: Mined) -> str:
    va, ta, ca, _na = _letter_places(a, ma)
    vb, tb, cb, _nb = _letter_places(b, mb)
    for key in va:
        if key in vb:
            return a.village or key.split(":", 1)[1]
    for key in ta:
        if key in tb:
            return a.town or key.split(":", 1)[1]
    for key in ca:
        if key in cb:
            return _county_name(key)
    return ""


def _county_name(code: str) -> str:
    if code.startswith("n:"):
        return code[2:]
    for name, entry in gazetteer().items():
        if entry.code == code and entry.level == "county" and entry.name == name:
            return name
    return code


def _units(letter: Letter, m: Mined) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*letter.reported_units, *m.units)))


def _persons(letter: Letter, m: Mined) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*letter.reported_persons, *m.persons)))


def _hotspots(
    issue_id: str,
    members: list[int],
    letters: Sequence[Letter],
    place_info: list[_PlaceInfo],
) -> dict[int, str]:
    """Group an issue cluster's letters by place: village (or finer named place), else town, else county."""
    info = [place_info[i] for i in members]
    parent = list(range(len(members)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    # 1. Letters sharing a village-level place (code or name; a name also counts when another letter
    #    only writes it without its suffix, e.g. 魅力之城 for 魅力之城小区).
    by_key: dict[str, int] = {}
    full_names: dict[str, str] = {}
    for pi in info:
        for key, name in pi.names.items():
            full_names.setdefault(key, name)
    for k, (vil, _t, _c, _n) in enumerate(info):
        for key in vil:
            if key in by_key:
                union(k, by_key[key])
            else:
                by_key[key] = k
    # Short keys (经济 of 经济学院) would match unrelated words: they must be written in full (经济学院).
    name_keys = [
        (key[2:] if len(key) >= 5 else full_names.get(key, key[2:] + "\0"), owner)
        for key, owner in by_key.items()
        if key.startswith("n:")
    ]
    has_village = [bool(pi.villages) for pi in info]
    if name_keys and len(members) <= 400:
        for k, i in enumerate(members):
            text = letters[i].text
            for name, owner in name_keys:
                if name in text and find(k) != find(owner):
                    union(k, owner)
                    has_village[k] = True
    # 2. Letters without a village-level place join the one village group of their town, else a town group.
    town_groups: dict[str, set[int]] = defaultdict(set)
    for k, (vil, towns, _c, _n) in enumerate(info):
        if vil:
            for t in towns:
                town_groups[t].add(find(k))
    town_only: dict[str, int] = {}
    county_only: dict[str, int] = {}
    county_letters: list[int] = []
    placeless: list[int] = []
    for k, (_vil, towns, counties, _n) in enumerate(info):
        if has_village[k]:
            continue
        if towns:
            t = towns[0]
            groups = town_groups.get(t, set())
            if len(groups) == 1:
                union(k, next(iter(groups)))
            elif t in town_only:
                union(k, town_only[t])
            else:
                town_only[t] = k
        elif counties:
            county_letters.append(k)
        else:
            placeless.append(k)
    # Letters naming only a county join the one finer group in that county, else a county group.
    county_groups: dict[str, set[int]] = defaultdict(set)
    for k, (_vil, towns, counties, _n) in enumerate(info):
        if has_village[k] or towns:
            for c in counties:
                county_groups[c].add(find(k))
    for k in county_letters:
        c = info[k].counties[0]
        groups = {find(g) for g in county_groups.get(c, set())}
        if len(groups) == 1:
            union(k, next(iter(groups)))
        elif c in county_only:
            union(k, county_only[c])
        else:
            county_only[c] = k
    roots = {find(k) for k in range(len(members)) if k not in placeless}
    # 3. Letters naming no place at all join the only placed group of their issue, else a 地点不明 group.
    for k in placeless:
        if len(roots) == 1:
            union(k, next(iter(roots)))
    out: dict[int, str] = {}
    labels: dict[int, str] = {}
    for k, i in enumerate(members):
        r = find(k)
        if r not in labels:
            labels[r] = _hotspot_label(letters[members[r]], info[r])
        out[i] = f"{issue_id}@{labels[r]}"
    return out


def _hotspot_label(letter: Letter, info: tuple[list[str], list[str], list[str]]) -> str:
    vil, towns, counties, names = info
    if vil:
        key = vil[0]
        return names.get(key) or key.split(":", 1)[1]
    if towns:
        key = towns[0]
        if key.startswith("t:"):
            return letter.town or _town_name(key[2:])
        return key[2:]
    if counties:
        return _county_name(counties[0])
    return _NO_PLACE


def _town_name(code: str) -> str:
    for name, entry in gazetteer().items():
        if entry.code == code and entry.name == name:
            return name
    return code


# ---------------------------------------------------------------------------------------------- repeats


def _repeats(
    members: list[int], letters: Sequence[Letter], hotspot_of: dict[str, str], options: ClusterOptions
) -> dict[int, int]:
    """Map letter index -> index of the first letter of its repeat chain (same petitioner, same matter)."""
    far = dt.date.max
    ordered = sorted(members, key=lambda i: (letters[i].received_date or far, i))
    out: dict[int, int] = {}
    first_by_key: dict[str, int] = {}
    unkeyed: list[int] = []
    for i in ordered:
        key = letters[i].petitioner_key
        if key:
            if key in first_by_key:
                out[i] = first_by_key[key]
            else:
                first_by_key[key] = i
        else:
            unkeyed.append(i)
    # Without an identity: near-identical text at the same hotspot is taken as the same petitioner writing again.
    by_hotspot: dict[str, list[int]] = defaultdict(list)
    for i in unkeyed:
        by_hotspot[hotspot_of[letters[i].letter_id]].append(i)
    for group in by_hotspot.values():
        for pos, i in enumerate(group):
            ti = letters[i].text
            for j in group[max(0, pos - 50) : pos]:
                if fuzz.ratio(ti, letters[j].text) >= options.repeat_ratio:
                    out[i] = out.get(j, j)
                    break
    return out


# ---------------------------------------------------------------------------------------------- summaries


def _rank_label_terms(terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Order a cluster's weighted words for its label: core matter words (保证金, 低保) first, then domain
    terms, nouns and verbs; numerals, adverbs and function words (一户, 暗示 ...) never name a matter."""
    from planner.analysis.textmine import _word_tags, core_terms, domain_terms

    cores, dom, tags = core_terms(), domain_terms(), _word_tags()
    out = []
    for t, w in terms:
        if t.startswith("#"):
            continue
        tag = tags.get(t, "n")
        if t in cores:
            factor = 3.0
        elif t in dom:
            factor = 2.0
        elif tag.startswith(("n", "vn", "j", "nz")):
            factor = 1.0
        elif tag.startswith("v"):
            factor = 0.5
        else:
            continue
        out.append((t, w * factor))
    return sorted(out, key=lambda t: (-t[1], t[0]))


def _label(terms: list[tuple[str, float]]) -> tuple[str, tuple[str, ...]]:
    words: list[str] = []
    for t, _w in terms:
        if t.startswith("#") or any(t in w or w in t for w in words):
            continue
        words.append(t)
        if len(words) == 4:
            break
    return "、".join(words[:3]) if words else "（无关键词）", tuple(words)


def _issue_clusters(
    letters: Sequence[Letter],
    state: _State,
    issue_of: dict[str, str],
    hotspot_of: dict[str, str],
    options: ClusterOptions,
) -> tuple[Cluster, ...]:
    members: dict[str, list[int]] = defaultdict(list)
    for i, lt in enumerate(letters):
        members[issue_of[lt.letter_id]].append(i)
    inv_vocab = {i: t for t, i in state.vectorizer.vocabulary_.items()}
    out = []
    for cid, idx in members.items():
        cen = state.centroids.get(cid, {})
        terms = sorted(((inv_vocab[j], w) for j, w in cen.items()), key=lambda t: (-t[1], t[0]))[:30]
        label, key_terms = _label(_rank_label_terms(terms))
        counties: list[str] = []
        towns: list[str] = []
        for i in idx:
            _v, tws, cts, _n = state.place_info[i]
            for c in cts:
                if not c.startswith("n:") and c not in counties:
                    counties.append(c)
            for t in tws:
                if t.startswith("t:") and t[2:] not in towns:
                    towns.append(t[2:])
        reported = Counter()
        for i in idx:
            reported.update(_units(letters[i], state.mined[i]))
            reported.update(_persons(letters[i], state.mined[i]))
        dates = [letters[i].received_date for i in idx if letters[i].received_date]
        out.append(
            Cluster(
                cluster_id=cid,
                kind="issue",
                label=label,
                case_nos=tuple(letters[i].letter_id for i in idx),
                county_codes=tuple(sorted(counties)),
                town_codes=tuple(sorted(towns)),
                key_terms=key_terms,
                reported=tuple(r for r, _n in reported.most_common(10)),
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
                systemic=len(counties) >= options.systemic_counties,
            )
        )
    out.sort(key=lambda c: (not c.systemic, -c.size, c.cluster_id))
    return tuple(out)


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
    hotspot_of: dict[str, str] = {}
    for cid, idx in members.items():
        for i, hid in _hotspots(cid, idx, letters, state.place_info).items():
            hotspot_of[letters[i].letter_id] = hid
    repeat_of: dict[str, str] = {}
    for idx in members.values():
        for i, j in _repeats(idx, letters, hotspot_of, options).items():
            repeat_of[letters[i].letter_id] = letters[j].letter_id
    issues = _issue_clusters(letters, state, issue_of, hotspot_of, options)
    issue_by_id = {c.cluster_id: c for c in issues}
    hs_members: dict[str, list[int]] = defaultdict(list)
    for i, lt in enumerate(letters):
        hs_members[hotspot_of[lt.letter_id]].append(i)
    hotspots = []
    for hid, idx in hs_members.items():
        parent = issue_of[letters[idx[0]].letter_id]
        dates = [letters[i].received_date for i in idx if letters[i].received_date]
        counties = sorted({c for i in idx for c in state.place_info[i][2] if not c.startswith("n:")})
        hotspots.append(
            Cluster(
                cluster_id=hid,
                kind="hotspot",
                label=f"{issue_by_id[parent].label}（{hid.split('@', 1)[1]}）",
                case_nos=tuple(letters[i].letter_id for i in idx),
                county_codes=tuple(counties),
                parent_id=parent,
                key_terms=issue_by_id[parent].key_terms,
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
            )
        )
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
                label=f"重复举报 {len(ids)} 次：{issue_by_id[parent].label}",
                case_nos=tuple(ids),
                parent_id=parent,
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
            )
        )
    repeats.sort(key=lambda c: (-c.size, c.cluster_id))
    return ClusterResult(
        letters=letters,
        issues=issues,
        hotspots=tuple(hotspots),
        repeats=tuple(repeats),
        issue_of=dict(issue_of),
        hotspot_of=hotspot_of,
        repeat_of=repeat_of,
        decisions=decisions,
        options=options,
        _state=state,
    )


# ---------------------------------------------------------------------------------------------- public


def _check_ids(letters: Sequence[Letter], existing: Iterable[str] = ()) -> None:
    seen = set(existing)
    for n, lt in enumerate(letters, start=1):
        if not isinstance(lt, Letter):
            raise InputError(f"letters[{n - 1}]: expected a Letter, got {type(lt).__name__!r}")
        if lt.letter_id in seen:
            raise InputError(f"letter id {lt.letter_id!r} appears twice (row {n})")
        seen.add(lt.letter_id)


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
    return pinned, aliases


def analyse(
    letters: Sequence[Letter | PetitionCase],
    *,
    options: ClusterOptions | None = None,
    previous: ClusterResult | None = None,
    decisions: Sequence[Decision] = (),
    previous_assignment: Mapping[str, str] | None = None,
    keep_previous: bool = True,
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
    letters_t = tuple(lt if isinstance(lt, Letter) else Letter.from_case(lt) for lt in letters)
    _check_ids(letters_t)
    all_decisions = tuple(previous.decisions if previous else ()) + tuple(decisions)
    mined = _mine_letters(letters_t)
    docs = [_features(m, lt) for m, lt in zip(mined, letters_t, strict=False)]
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
    used_numbers = [_id_number(c) for c in (*pinned.values(), *aliases, *aliases.values())]
    if previous is not None:
        used_numbers.append(previous._state.next_number - 1)
        previous_assignment = previous.issue_of
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
        place_info=[_letter_places(lt, m) for lt, m in zip(letters_t, mined, strict=False)],
        df=Counter(t for m in mined for t in set(m.tokens)),
        df_repeat=Counter(
            t for m, lt in zip(mined, letters_t, strict=False) if _REPEAT_MARKER.search(lt.text) for t in set(m.tokens)
        ),
        evidence=[_evidence(lt, m) for lt, m in zip(letters_t, mined, strict=False)],
    )
    order = _order(letters_t)
    pos = np.empty(len(letters_t), dtype=np.int64)
    pos[order] = np.arange(len(letters_t))
    nb = _neighbours(matrix, matrix, options.neighbours, options.min_similarity, pos, pos)
    nbrs = dict(enumerate(nb))
    assigned: dict[int, str] = {}
    # Provisional ids far above any real one, so they never collide before the final renumbering.
    offset = 10_000_000
    state.next_number = offset
    fixed = dict(previous_assignment) if (previous_assignment and keep_previous) else {}
    _assign(state, letters_t, order, assigned, nbrs, options, fixed)
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
        # A cluster merged by hand may come back as two automatic clusters: both map onto the merge target.
        merge_targets = set(state.aliases.values())
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
    for i, lt in enumerate(letters):
        _note_member(state, issue_of[lt.letter_id], i)
        state.cluster_places.setdefault(issue_of[lt.letter_id], set()).update(_place_keys(state.place_info[i]))
        row = _row(state.matrix, i)
        if row:
            _add_to_centroid(state, issue_of[lt.letter_id], row)


def update(previous: ClusterResult, new_letters: Sequence[Letter | PetitionCase]) -> ClusterResult:
    """Add letters to an earlier result without renumbering: they join existing clusters or found new ones.

    The vocabulary of ``previous`` is kept (words never seen before do not count); re-run :func:`analyse`
    with ``previous=`` now and then to learn new words while keeping ids.

    Raises
    ------
    InputError
        If a new letter's id is already in ``previous`` or repeated.
    """
    new_t = tuple(lt if isinstance(lt, Letter) else Letter.from_case(lt) for lt in new_letters)
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
        place_info=[*old.place_info, *(_letter_places(lt, m) for lt, m in zip(new_t, mined_new, strict=False))],
        cluster_places={k: set(v) for k, v in old.cluster_places.items()},
        cluster_cores={k: Counter(v) for k, v in old.cluster_cores.items()},
        cluster_sizes=dict(old.cluster_sizes),
        df=old.df + Counter(t for m in mined_new for t in set(m.tokens)),
        df_repeat=old.df_repeat + Counter(
            t for m, lt in zip(mined_new, new_t, strict=False) if _REPEAT_MARKER.search(lt.text) for t in set(m.tokens)
        ),
        evidence=[*old.evidence, *(_evidence(lt, m) for lt, m in zip(new_t, mined_new, strict=False))],
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
    _assign(state, letters_all, order, assigned, nbrs, previous.options)
    issue_of = {letters_all[i].letter_id: cid for i, cid in assigned.items()}
    return _derive(letters_all, state, issue_of, previous.decisions, previous.options)


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
        aliases=dict(state.aliases),
        pinned=dict(state.pinned),
    )
    issue_of = dict(result.issue_of)
    if decision.action == "merge":
        for cid in (decision.source, decision.target):
            if cid not in known:
                raise NotFoundError(f"cluster id {cid!r} is not in this result")
        if decision.source == decision.target:
            raise InputError(f"merge: source and target are the same cluster {decision.source!r}")
        new_state.aliases[decision.source] = decision.target
        for lid, cid in issue_of.items():
            if cid == decision.source:
                issue_of[lid] = decision.target
        for lid, cid in new_state.pinned.items():
            if cid == decision.source:
                new_state.pinned[lid] = decision.target
    else:
        for lid in decision.letter_ids:
            if lid not in issue_of:
                raise NotFoundError(f"letter id {lid!r} is not in this result")
        target = _issue_id(new_state.next_number)
        if decision.action == "split":
            new_state.next_number += 1
            for lid in decision.letter_ids:
                issue_of[lid] = target
                new_state.pinned[lid] = target
        else:
            for lid in decision.letter_ids:
                cid = _issue_id(new_state.next_number)
                new_state.next_number += 1
                issue_of[lid] = cid
                new_state.pinned[lid] = cid
        decision = dataclasses.replace(decision, target=target)
    _rebuild_centroids(new_state, result.letters, issue_of)
    return _derive(result.letters, new_state, issue_of, (*result.decisions, decision), result.options)
