"""Whether two letters are one matter (the link gate), and the date-ordered assignment of letters to issues."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from planner.analysis.alike import SAME_WORDING, charge_told_alike, one_charge
from planner.analysis.companies import _same_company
from planner.analysis.evidence import (
    _CHARGE_TEMPLATE_RATIO,
    _GENERIC_MONEY,
    _LOOSE_CORES,
    _REPEAT_MARKER,
    Letter,
    _astray_programmes,
    _cores_related,
    _cores_share,
    _covers,
    _Evidence,
    _figures_conflict,
    _is_charge,
    _is_money,
    _names_charge,
    _other_schemes,
    _other_sources,
    _own_nuisances,
    _own_objects,
    _place_keys,
    _PlaceInfo,
    _programme_astray,
    _shared_concepts,
    _types_match,
    _unit_charges,
)
from planner.analysis.ids import _id_number, _issue_id, _resolve_alias
from planner.analysis.learned import learned_topic
from planner.analysis.meaning import (
    _ALIKE,
    _APART_IN_MEANING,
    _DECIDED,
    _FEE_ALONE,
    _FIRM,
    closeness,
    closer_needed,
    fits,
    groups_fit,
    meaning_link,
    merge_sums,
    note_member,
    one_topic,
)
from planner.analysis.pairs import _cross_links
from planner.analysis.practices import PRACTICES, practice_reason
from planner.analysis.same_writer import _repeated, _repeats_other, _unlike
from planner.analysis.textmine import Mined, _word_tags, core_terms, matter_words, programme_terms
from planner.analysis.topics import _NOT_ANCHORS, _everyday, _money_kinds, _specific, _topic_tag, named_waters
from planner.errors import InputError


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
        matters (every "村干部优亲厚友评低保" letter), never linked across places, except one deposit on one object.
    rare_df
        A matter word used by at most this share of the register (at least 3 letters) counts as specific
        evidence for a cross-place link; framing words (请求纪委监委核实查处) are far commoner.
    merge_threshold
        Not used (kept for compatibility): clusters merge only through a same-matter link.
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
            raise InputError(f"同类问题阈值 issue_threshold 应在 0 到 1 之间，收到 {self.issue_threshold!r}")
        if not 0.0 <= self.place_bonus < 1.0:
            raise InputError(f"同地加分 place_bonus 应不小于 0 且小于 1，收到 {self.place_bonus!r}")
        if self.neighbours < 1:
            raise InputError(f"近邻数 neighbours 至少为 1，收到 {self.neighbours!r}")
        if not 0.0 <= self.repeat_ratio <= 100.0:
            raise InputError(f"重复举报相似度 repeat_ratio 应在 0 到 100 之间，收到 {self.repeat_ratio!r}")
        for name in ("town_threshold", "cross_threshold", "template_overlap", "template_ratio", "rare_df"):
            if not 0.0 < getattr(self, name) <= 1.0:
                raise InputError(f"参数 {name} 应大于 0 且不大于 1，收到 {getattr(self, name)!r}")
        if self.systemic_counties < 2:
            raise InputError(f"跨县系统性问题的县数 systemic_counties 至少为 2，收到 {self.systemic_counties!r}")


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
    distinct_cache: dict[int, frozenset[str]] = field(default_factory=dict)  # the gate's caches, while df is unchanged
    sequence_cache: dict[int, str] = field(default_factory=dict)
    link_cache: dict[tuple[int, int], bool] = field(default_factory=dict)
    # Linked through a topic word (_anchored): differing charge names (好处费 / 代办费 of 残疾证) do not hold it back.
    anchor_pairs: set[tuple[int, int]] = field(default_factory=set)
    # Letter index -> its topic words (_is_anchor), valid while df and the register's size are unchanged.
    anchor_words: dict[int, frozenset[str]] = field(default_factory=dict)
    evidence: list[_Evidence] = field(default_factory=list)
    # Pairs of letter ids (sorted) a leader confirmed as one matter or rejected, from the review queue.
    must_link: frozenset[tuple[str, str]] = frozenset()
    cannot_link: frozenset[tuple[str, str]] = frozenset()
    link_follow: dict[str, str] = field(default_factory=dict)  # a confirmed pair's second letter -> its first
    # Issue id -> (its letter indices, hotspot_of, repeat_of, issue cluster, hotspot clusters) of the last result
    # derived from this state, reused for issues whose letters did not change (see clustering._derive).
    derived: dict[str, tuple] = field(default_factory=dict)
    # Issue id -> (size, core-word counter, dominant core words) for _dominant_cores.
    dominant_cache: dict[str, tuple] = field(default_factory=dict)
    # Letter index -> its village, town and county keys as sets (for _relation).
    place_sets: dict[int, tuple] = field(default_factory=dict)
    # Unit meaning vectors of the letters, centred on the register's mean (planner.analysis.semantic), or None.
    sem: np.ndarray | None = None
    sem_mean: np.ndarray | None = None
    sem_sums: dict[str, np.ndarray] = field(default_factory=dict)  # group -> sum of its letters' vectors
    meaning_pairs: dict[tuple[int, int], float] = field(default_factory=dict)  # linked by meaning -> threshold
    writer_letters: tuple[int, dict[str, list[int]]] | None = None  # (register size, petitioner key -> indices)


def _relation(state: _State, i: int, j: int) -> str:
    """:func:`~planner.analysis.evidence._place_relation` of ``i``, ``j`` on their place keys, built once a letter."""
    sa, sb = _place_sets(state, i), _place_sets(state, j)
    if sa[0] and sb[0] and not sa[0].isdisjoint(sb[0]):
        return "village"
    if sa[1] and sb[1] and not sa[1].isdisjoint(sb[1]):
        return "apart-village" if (sa[0] and sb[0]) else "town"
    if not (sa[0] or sa[1] or sa[2]) or not (sb[0] or sb[1] or sb[2]):
        return "unknown"
    if sa[2] and sb[2] and not sa[2].isdisjoint(sb[2]) and not ((sa[0] or sa[1]) and (sb[0] or sb[1])):
        return "town"
    return "apart"


def _place_sets(state: _State, i: int) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    got = state.place_sets.get(i)
    if got is None:
        pi = state.place_info[i]
        got = (frozenset(pi.villages), frozenset(pi.towns), frozenset(pi.counties))
        state.place_sets[i] = got
    return got


def _neighbours(
    query: sparse.csr_matrix, base: sparse.csr_matrix, k: int, floor: float,
    query_pos: np.ndarray, base_pos: np.ndarray,
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


def _dominant_cores(state: _State, cid: str) -> frozenset[str]:
    """Core matter words named by at least half of a cluster's letters (kept until the cluster grows)."""
    counts = state.cluster_cores.get(cid)
    if not counts or (state.aliases and cid in state.aliases.values()):
        return frozenset()  # a person merged matters into this cluster: it no longer stands for one core word
    size = state.cluster_sizes.get(cid, 1)
    got = state.dominant_cache.get(cid)
    if got is not None and got[0] == size and got[1] is counts:
        return got[2]
    half = size / 2
    out = frozenset(w for w, n in counts.items() if n >= half)
    state.dominant_cache[cid] = (size, counts, out)
    return out


def _cores_conflict(mine_cores: Iterable[str], theirs: Iterable[str], loose: bool = False) -> bool:
    """True when both sides name core matter words and share none (保证金 vs 好处费); with ``loose`` (a link
    through a learned topic word) the loose money words (补贴, 红包, 代办费) are left out first."""
    mine_set = set(mine_cores)
    if loose:
        mine_set -= _LOOSE_CORES
        theirs = set(theirs) - _LOOSE_CORES
    return bool(mine_set and theirs and not _cores_related(tuple(sorted(mine_set)), tuple(sorted(theirs))))


def _note_member(state: _State, cid: str, i: int) -> None:
    state.cluster_sizes[cid] = state.cluster_sizes.get(cid, 0) + 1
    state.cluster_cores.setdefault(cid, Counter()).update(state.mined[i].cores)
    note_member(state, cid, i)


def _same_pattern(state: _State, i: int, j: int, overlap: float, ratio: float, limit: float) -> bool:
    """True when two letters are one complaint pattern with other slots: their distinctive words (used by at most
    ``limit`` letters, not the register's framing) overlap by ``overlap`` (Jaccard) and the shorter one's matter
    words, in order, are found almost whole in the other (``ratio``), places, persons, figures, handling left out."""
    da, db = _distinctive(state, i, limit), _distinctive(state, j, limit)
    if len(da & db) < overlap * max(1, len(da | db)):
        return False
    a, b = _sequence(state, i), _sequence(state, j)
    return bool(a and b) and _partial_ratio(a, b) >= 100.0 * ratio


@functools.lru_cache(maxsize=1 << 16)
def _partial_ratio(a: str, b: str) -> float:
    """rapidfuzz's partial ratio, cached: letters of one template give the same matter-word sequences."""
    return fuzz.partial_ratio(a, b)


def _sequence(state: _State, i: int) -> str:
    seq = state.sequence_cache.get(i)
    if seq is None:
        seq = "".join(t for t in state.mined[i].tokens if not _handling(state, t))
        state.sequence_cache[i] = seq
    return seq


def _handling(state: _State, tok: str) -> bool:
    """Words mostly in letters that write again (走过场, 此前, 答复), no lexicon word (W14: 砍伐证): handling."""
    n = state.df.get(tok, 0)
    return n >= 2 and state.df_repeat.get(tok, 0) * 2 >= n and tok not in matter_words()


def _distinctive(state: _State, i: int, limit: float) -> frozenset[str]:
    """Letter ``i``'s matter words used by at most ``limit`` letters, handling words left out (cached)."""
    got = state.distinct_cache.get(i)
    if got is None:
        got = frozenset(
            t for t in state.evidence[i].tokens if state.df.get(t, 0) <= limit and not _handling(state, t)
        )
        state.distinct_cache[i] = got
    return got


def _is_noun(tok: str) -> bool:
    """A word naming a thing (渔船, 年审, 桉树), not an action or a manner (退还, 强制): what a charge is laid on."""
    tag = _word_tags().get(tok, "n")
    return tag.startswith(("n", "vn", "j")) or tok in core_terms()


def _linked(state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions) -> bool:
    """Cached :func:`_link` (the merge pass asks again about the pairs the assignment asked about)."""
    key = (i, j) if i < j else (j, i)
    got = state.link_cache.get(key)
    if got is None:
        got = _link(state, letters, i, j, sim, options)
        state.link_cache[key] = got
    return got


def _link(state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions) -> bool:
    """Whether two letters are about the same matter (the gate of every automatic link); see :func:`_verdict`."""
    return _verdict(state, letters, i, j, sim, options)[0]


def _verdict(
    state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions
) -> tuple[bool, str]:
    """Whether two letters are one matter, and the rule that decided it (Chinese): the words, then the meaning."""
    ok, why = _rules(state, letters, i, j, sim, options)
    if not ok and (got := learned_topic(state, letters, i, j, why, _relation(state, i, j), _anchor_words, options)):
        return True, got  # a matter the lexicon does not name, learned from the register (run 81)
    if state.sem is None or why.startswith(_FIRM) or sim >= _ALIKE:
        return ok, why  # worded alike: the words have decided (a refusal there is a template with other slots)
    rel, common = _relation(state, i, j), max(3.0, options.rare_df * len(letters))
    # One village's letters sharing a rare word (救灾物资, 分红) are not set apart by meaning (a clerk's summary and a
    # long letter read far apart to the model: dev6, 腊洲村).
    rare = rel == "village" and any(state.df.get(t, 0) <= common for t in _distinctive(state, i, 2 * common)
                                    & _distinctive(state, j, 2 * common) if len(t) >= 2)
    if ok:
        if (rel != "village" or sim < options.issue_threshold) and not (rare or why.startswith(_DECIDED)) and (
                closeness(state, i, j) < _APART_IN_MEANING):
            return False, "有个别相同的词，但内容语义相去甚远"  # 伙食费 at an old people's home and on a works site
        return ok, why
    if rel not in ("town", "village") and _same_pattern(state, i, j, options.template_overlap, options.template_ratio,
                                                        2 * common):
        return ok, why
    wa, wb = _anchor_words(state, i, len(letters), options), _anchor_words(state, j, len(letters), options)
    if wa & wb and all(t.endswith("费") for t in wa & wb) and any(_strong_anchor(t) for t in wa ^ wb):
        return ok, why  # a fee in common, a scheme on one side only (伙食费 of 以工代赈 vs of 敬老院): as _anchored
    shared = _shared_concepts(state.mined[i].cores, state.mined[j].cores)
    if closer_needed(state, i, j, rel, bool(shared) and all(_is_charge(x) or x in _LOOSE_CORES for x in shared)):
        return ok, why
    topic = one_topic(wa & wb, state.mined[i].cores, state.mined[j].cores, _LOOSE_CORES)
    extra = meaning_link(state, letters, i, j, rel, topic)
    return (True, extra) if extra else (ok, why)


def _rules(
    state: _State, letters: Sequence[Letter], i: int, j: int, sim: float, options: ClusterOptions
) -> tuple[bool, str]:
    """Whether two letters are about the same matter by their words, and the rule that decided it. A leader's
    decision on the pair decides. Same petitioner: yes when about the same place, writing again, or alike at all.
    Different core words or named persons (no shared unit kind) say no; the same village needs ordinary likeness,
    a shared core word or one practice; the same town the same core words, or more likeness; different places the
    same named charge on one object (桉树 + 保证金, whoever collects it), a programme's money without a village cadre
    acting, or a kind of unit and a rare word. One pattern at other places is other matters, except a deposit."""
    a, b = letters[i], letters[j]
    if state.cannot_link or state.must_link:
        pair = (a.letter_id, b.letter_id) if a.letter_id < b.letter_id else (b.letter_id, a.letter_id)
        if pair in state.cannot_link:
            return False, "领导已判定不是同一问题"
        if pair in state.must_link:
            return True, "领导已确认是同一问题"
    ea, eb = state.evidence[i], state.evidence[j]
    rel = _relation(state, i, j)
    if a.outside != b.outside and not (a.petitioner_key and a.petitioner_key == b.petitioner_key):
        return False, "市外来信（转外地办理），不与本市的信件关联"
    ca, cb = state.mined[i].cores, state.mined[j].cores
    if a.petitioner_key and a.petitioner_key == b.petitioner_key:
        # Writing again, or at one place, is one matter, unless words and meaning tell two (walk W8: 违建 / 托管收费;
        # W11: 再次反映 a cadre's absence, and a quarry in another county).
        apart, unlike = rel.startswith("apart"), _unlike(state, i, j)
        # One place: the letter says it writes again, unless it repeats another of the writer's letters there
        # (养老金冒领, then 鱼塘发包, then 再次反映 the pension: the pond is its own matter).
        again = (ea.repeat or eb.repeat) and not (apart and unlike)
        again = again and not (unlike and _repeats_other(state, letters, i, j))
        if sim >= options.min_similarity or again or not (apart or unlike):
            return True, "同一信访人"
    if rel != "village" and sim >= options.min_similarity and (why := _anchored(state, letters, i, j, rel, options)):
        state.anchor_pairs.add((i, j) if i < j else (j, i))
        return True, why
    same_core = _cores_share(ca, cb)
    related = same_core or _cores_related(tuple(ca), tuple(cb))
    # One programme's money kept, docked or drawn for the dead at several places is one matter for the office, in a
    # clerk's formula too (X村高龄补贴被冒领), whichever village's cadre is named, and however it went (红包 / 扣了).
    progs = _astray_programmes(ca, cb, a.text, b.text) if rel in ("apart", "apart-village") else ()
    if ca and cb and not related and not progs:
        return False, "核心事项不同：" + "、".join(ca[:3]) + " / " + "、".join(cb[:3])
    shared_units = _types_match(ea.unit_types, eb.unit_types) or bool(ea.companies & eb.companies)
    if rel != "village" and sim >= SAME_WORDING and (told := charge_told_alike(ea, eb, ca, cb, rel)):  # a deposit again
        return True, told
    if ea.persons and eb.persons and not progs and not ea.persons & eb.persons and not (
        shared_units and not (ea.text_persons and eb.text_persons)
    ) and not (rel == "apart" and not (ea.text_persons and eb.text_persons)):
        # A named culprit is that one's matter. At two towns the register's 被反映人 differ whatever the matter (each
        # town's own station head): only culprits the letters name keep them apart; the place rules still decide.
        return False, "被反映人不同"
    if ea.unit_types and eb.unit_types and not _types_match(ea.unit_types, eb.unit_types) and not one_charge(ca, cb):
        return False, "被反映单位类别不同"  # 自然资源所 vs 农业服务中心: another unit's practice, wherever it is
    if rel in ("village", "town", "apart-village") and (
        _figures_conflict(ea.rates, eb.rates) or (ea.years and eb.years and not ea.years & eb.years)
    ):
        return False, "同一地点但收费标准、金额或年份不同"
    shared = _shared_concepts(ca, cb)
    if rel in ("town", "apart-village") and not progs and shared and all(x in _GENERIC_MONEY for x in shared) and (
        other := _other_schemes(a.text, b.text)
    ):
        return False, "同镇但资金项目不同：" + other  # 水毁补助 / 沼气补助: 补贴 alone names no matter
    if rel == "village":
        # The same village or estate: ordinary similarity less the place bonus, or a shared core word.
        if told := [x for x in PRACTICES if x in ca and x in cb]:
            return True, practice_reason(told[0])  # 误工补贴 / 加班费 / 过节费; 脱岗 / 甩手掌柜: however worded
        if sim >= options.issue_threshold - options.place_bonus:
            return True, "同村且内容相近"
        if related and sim >= options.min_similarity / 2:
            if sim < options.min_similarity and (own := _own_nuisances(ca, cb)):
                return False, "同村但扰民的来源不同：" + "、".join(own)  # 搅拌站的噪音 / 烧烤店的油烟和吵闹
            if sim < options.min_similarity and (own := _other_sources(ea.tokens, eb.tokens)):
                return False, "同村但反映的场所不同：" + "、".join(own)  # 养猪场的污水 / 工厂偷排
            if sim < options.min_similarity and bool(ea.persons) != bool(eb.persons):
                return False, "同村但只有一方指名被反映人，内容相似度不足"
            return True, "同村且核心事项相同" if same_core else "同村且核心事项同属一类"
        return False, "同村但内容相似度不足"
    if ca and cb and _own_objects(shared, ca, cb):
        return False, "共同的只是收费或资金名目，对象不同：" + "、".join(ca[:3]) + " / " + "、".join(cb[:3])
    if rel == "town" and _covers(shared, ca, cb) and sim >= options.min_similarity:
        return True, "同镇且核心事项相同"  # the same matter words on both sides, however else it is told
    n = max(1, len(letters))
    common = max(3.0, options.rare_df * n)
    da = _distinctive(state, i, 2 * common)
    db = _distinctive(state, j, 2 * common)
    # One pattern with other slots (a template) is another place's matter; a charge on the same object told in
    # other words is not a template, so only near-identical wording counts as one for it.
    # 补贴 (any programme's money, once 补助/奖励金/扶持资金 are folded into it) names no matter by itself.
    named = tuple(x for x in shared if x not in _GENERIC_MONEY)
    ratio = options.template_ratio if not (len(named) >= 2 and _names_charge(shared)) else _CHARGE_TEMPLATE_RATIO
    # A deposit (保证金; 押金 folded in) is a rule someone set: one object in one clerk's formula at two places is one
    # practice (反映坂仔镇林业站收取桉树砍伐保证金) unless a village cadre acts (walk K).
    deposit = "保证金" in named and len(named) >= 2 and not (ea.cadre or eb.cadre)
    if rel != "town" and not deposit and not progs and _same_pattern(
        state, i, j, options.template_overlap, ratio, 2 * common
    ):
        return False, "同一格式的反映、不同地点（各地各自的问题）"
    company = _same_company(ea.companies, eb.companies, a.text, b.text) if same_core else ""
    if company:
        # One company named on both sides doing one thing (金鑫砂石 dredging the 北溪 in three counties): its
        # practice, wherever the letters were written, however little else their words share.
        return True, "同一被反映企业、同一事项：" + company + "（" + "、".join(shared) + "）"
    if progs:
        return True, "同一项目资金被截留、克扣或冒领：" + "、".join(progs)
    if rel != "town" and sim >= options.min_similarity:
        # Told independently elsewhere: the same named charge on one object (桉树 + 保证金, 医保 + 代办费) is one
        # practice whoever collects it; a programme's money (公益林 + 补偿款) too, unless a village cadre acts.
        charge = _names_charge(shared) and not _own_objects(shared, ca, cb)
        found = (da & db) - _NOT_ANCHORS if charge else ()  # 先交, 交了, 规定: no object
        objects = [t for t in found if len(t) >= 2 and _is_noun(t) and not _names_charge((t,))]
        if charge and (len(named) >= 2 or objects):
            return True, "同一收费名目、同一对象：" + "、".join(dict.fromkeys([*shared, *sorted(objects)[:2]]))
        if (
            len(shared) >= 2 and any(_is_money(x) for x in shared)
            and (not (ea.cadre or eb.cadre) or _programme_astray(ca, cb, a.text, b.text))
            and any(not _is_money(x) and not _is_charge(x) for x in named)
        ):
            return True, "同一专项资金问题：" + "、".join(shared)
    if rel == "town":
        nouns = [t for t in (da & db) - _NOT_ANCHORS if state.df.get(t, 0) <= common and len(t) >= 2 and _is_noun(t)]
        if nouns and sim >= options.min_similarity and (not (ca and cb) or _covers(shared, ca, cb)):
            return True, "同镇且有共同的具体事物：" + "、".join(sorted(nouns)[:3])
        if sim >= options.town_threshold:
            return True, "同镇且内容相近"
        if same_core and sim >= options.issue_threshold:
            return True, "同镇且核心事项相同"
        if ea.companies & eb.companies and sim >= options.min_similarity:
            return True, "同镇且被反映企业相同"
        return False, "同镇但相似度不足"
    if rel == "unknown":
        # No place on one side: text alone decides, and needs a shared core word or a rare word.
        rare = {t for t in da & db if state.df.get(t, 0) <= common and len(t) >= 2}
        if sim >= options.cross_threshold and (same_core or rare):
            return True, "内容相近且有共同的具体事项"
        return False, "一方地点不明且共同证据不足"
    why = _unit_charges(shared, ca, cb, a.text, b.text) if rel != "town" and shared_units else ""
    if why and sim >= options.min_similarity:
        return True, why
    if rel == "apart-village" and same_core and sim >= options.min_similarity and (rivers := named_waters(da & db)):
        return True, "同镇、同一条河的同一事项：" + "、".join([*rivers[:2], *shared[:2]])  # 北溪 dredged at two
    if sim < options.cross_threshold:
        return False, "不同地点且内容相似度不足"
    if rel != "apart-village" and (ea.local or eb.local) and not _programme_astray(
        ca, cb, a.text, b.text, _anchor_words(state, i, n, options), _anchor_words(state, j, n, options)
    ):
        return False, "村干部或村级事务，属各村各自的问题"
    rare = {t for t in da & db if state.df.get(t, 0) <= common and len(t) >= 2}
    shared_cores = sum(1 for x in ca if _cores_share((x,), cb))
    if shared_units:
        # The same kind of unit doing the same specific thing: a rare word or two core matter words in common,
        # and (when both name core words) the shared ones are each letter's main matter (公益林 alone is a setting).
        if ca and cb and not _covers(shared, ca, cb):
            return False, "同类单位但主要事项不同"
        if rare or shared_cores >= 2:
            return True, "同类单位、同一具体事项"
        return False, "同类单位但缺少共同的具体事项"
    if len(rare) >= 3:
        return True, "共同的具体项目或收费名目"  # no unit in common: a named project or charge in several words
    # Within one town or county, a specific word and a core word in common are enough (a county-wide practice).
    if rel == "apart-village" and same_core and rare and _covers(shared, ca, cb):
        return True, "同镇不同村、同一具体事项"
    return False, "不同地点且缺少共同的具体证据"


def _is_anchor(state: _State, tok: str, limit: float) -> bool:
    """A topic word learned from the register: a noun of at least two characters (退耕还林, 残疾证, 营养餐, 渔船)
    written in at least two letters but few (``limit``), rare in Chinese at large, not a charge or money word and
    not about who acted or how it was handled."""
    n = state.df.get(tok, 0)
    return (
        2 <= n <= limit and len(tok) >= 2 and tok not in _NOT_ANCHORS and not _handling(state, tok)
        and _topic_tag(tok) and not _is_charge(tok) and (len(tok) >= 4 or not _is_money(tok))
        and tok not in _GENERIC_MONEY and tok not in _LOOSE_CORES and not tok[0].isdigit()
        and not tok.startswith("被") and not any(w in tok for w in _WAGE_WORDS)
        and not tok.endswith(_PLACE_ENDINGS) and _specific(tok)
    )


#: A word ending like a place (山村 cut out of 岱山村 and 下山村, 新村, 小镇) names where, not what: two letters about
#: villages whose names share it are not one matter (a re-walk found a 水库移民 letter in a 危房改造 issue that way).
_PLACE_ENDINGS = ("村", "镇", "乡", "街道")


#: Wages named any way are money, not a topic (工钱, 工人工资: every wage letter says them).
_WAGE_WORDS = ("工资", "工钱", "报酬", "薪")


def _strong_anchor(tok: str) -> bool:
    """A topic word that names a scheme by itself (以工代赈, 一事一议, 耕地地力保护补贴, or a listed public
    programme), not only a thing or a fee (伙食费, 台风)."""
    return len(tok) >= 4 or tok in programme_terms()


def _anchor_words(state: _State, i: int, n: int, options: ClusterOptions) -> frozenset[str]:
    """Letter ``i``'s topic words (cached per letter: the gate asks about each letter some forty times)."""
    got = state.anchor_words.get(i)
    if got is None:
        limit = 2 * max(3.0, options.rare_df * n)
        got = frozenset(t for t in state.evidence[i].tokens if _is_anchor(state, t, limit))
        state.anchor_words[i] = got
    return got


def _anchored(
    state: _State, letters: Sequence[Letter], i: int, j: int, rel: str, options: ClusterOptions
) -> str:
    """The reason two letters at different places are one matter through a topic word learned from the register
    (退耕还林 with 补助 docked in six towns, 残疾证 with a fee by any name), or "" when they are not.

    Both letters must share such a word and the direction of the money (paid out / taken), must not be one
    complaint pattern with other slots, must not name different matters or charges of the lexicon, and must not
    be two named villages with a village cadre or body acting (that village's own matter)."""
    n = max(1, len(letters))
    wa = state.anchor_words.get(i)
    if wa is None:
        wa = _anchor_words(state, i, n, options)
    if not wa:
        return ""
    wb = state.anchor_words.get(j)
    if wb is None:
        wb = _anchor_words(state, j, n, options)
    if wa.isdisjoint(wb):
        return ""
    anchors = sorted(wa & wb)
    if all(t.endswith("费") for t in anchors) and any(_strong_anchor(t) for t in wa ^ wb):
        return ""  # only a fee in common, and one letter names a scheme the other does not (以工代赈 vs 敬老院 伙食费)
    ea, eb = state.evidence[i], state.evidence[j]
    ka, kb = _money_kinds(letters[i].text), _money_kinds(letters[j].text)
    if not ka & kb and ((ka and kb) or programme_terms().isdisjoint(anchors)):
        # Money going opposite ways, or none named and the shared word is no public programme (营养餐, 村道).
        return ""
    ca, cb = state.mined[i].cores, state.mined[j].cores
    # The lexicon still speaks: two named charges (保证金 / 检尺费), two matters (低保 / 拆迁) or one charge on two
    # objects (桉树 / 建房) are two matters; only the loose money words (补贴, 红包, 代办费) may differ.
    xa = tuple(x for x in ca if x not in _LOOSE_CORES)
    xb = tuple(x for x in cb if x not in _LOOSE_CORES)
    if xa and xb and (not _cores_share(xa, xb) or _own_objects(_shared_concepts(xa, xb), xa, xb)):
        return ""
    if not ka & kb:
        # Linked by a programme's name alone (no money either way): a letter whose own matter is another one of the
        # lexicon (采砂: sand lorries broke the 村道) names the programme only as a setting. What is done wrong on
        # the programme itself (偷工减料 on a 村道: one family) is no other matter.
        oa = [x for x in xa if x not in anchors]
        ob = [x for x in xb if x not in anchors]
        other_a = bool(oa) and not any(_cores_related((x,), tuple(anchors)) for x in oa)
        other_b = bool(ob) and not any(_cores_related((x,), tuple(anchors)) for x in ob)
        if (other_a and not ob) or (other_b and not oa):
            return ""
    na, nb = [x for x in ca if _is_charge(x)], [x for x in cb if _is_charge(x)]
    if na and nb and not _cores_share(na, nb):
        return ""
    if ea.persons and eb.persons and not ea.persons & eb.persons and ea.text_persons and eb.text_persons:
        return ""
    if ea.unit_types and eb.unit_types and not _types_match(ea.unit_types, eb.unit_types):
        return ""
    pa, pb = _place_sets(state, i), _place_sets(state, j)
    if pa[0] and pb[0] and (ea.cadre or ea.local or eb.cadre or eb.local) and not _programme_astray(
        ca, cb, letters[i].text, letters[j].text, wa, wb
    ):
        return ""  # two named villages, a village cadre or body acting: each village's matter
    if rel in ("town", "apart-village") and (
        _figures_conflict(ea.rates, eb.rates) or (ea.years and eb.years and not ea.years & eb.years)
    ):
        return ""
    common = max(3.0, options.rare_df * n)
    if _same_pattern(state, i, j, options.template_overlap, options.template_ratio, 2 * common):
        return ""
    if state.sem is not None and all(t.endswith("费") and _everyday(t) for t in anchors) and (
            closeness(state, i, j) < _FEE_ALONE):
        return ""  # an everyday fee's name alone (伙食费 at a call-up check, an old people's home, a works site)
    return "同一具体事项（登记簿中少见的共同词）：" + "、".join(anchors[:3])


def _writes_again(
    state: _State, letters: Sequence[Letter], i: int, first: int, keys: set, opts: ClusterOptions
) -> int | None:
    """The letter of its petitioner that letter ``i`` repeats (``first``, the writer's first letter, or at one place
    the earlier letter of the writer's matter it is about), or None: it says so, at the same place or not about
    another matter (a 再次反映 of another matter elsewhere finds its own among its candidates), or is one matter
    with ``first`` at its place."""
    near = dict(_row(state.matrix, first))
    sim = sum(w * near.get(c, 0.0) for c, w in _row(state.matrix, i))
    # One place also when only one letter names the village (W16: 再次反映北辰村拆违不公, the first at 朝阳镇 only).
    here = bool(keys & _place_keys(state.place_info[first])) or _relation(state, i, first) in ("village", "town")
    if _REPEAT_MARKER.search(letters[i].text) and (here or not _unlike(state, i, first)):
        # At one place, a repeat of the writer's other matter there joins the letter it repeats.
        return _repeated(state, letters, i, first) if here and _unlike(state, i, first) else first
    return first if here and _linked(state, letters, i, first, sim, opts) else None


def _assign(
    state: _State,
    letters: Sequence[Letter],
    todo: Iterable[int],
    assigned: dict[int, str],
    nbrs: dict[int, list[tuple[int, float]]],
    options: ClusterOptions,
    fixed: Mapping[str, str] | None = None,
    centroids: bool = True,
) -> None:
    """Assign letters in order: join the best candidate cluster above the threshold, else found a new one.
    Letters in ``fixed`` (letter id -> cluster id from an earlier run) keep their cluster. ``centroids=False``
    leaves the clusters' centroids alone (nothing here reads them; ``analyse`` rebuilds them all afterwards).
    A letter from a petitioner already seen joins that petitioner's earlier cluster when it says it writes again
    (再次反映 ...), or is about the same place and the gate finds one matter (two matters stay two: walk W8). A
    candidate cluster holding letters from the same village (or town) gets ``place_bonus``."""
    matrix = state.matrix
    # A confirmed pair's second letter joins its first letter's group, never the other way round (walk F: confirming
    # a lone letter with one of a four-letter group took that letter out of its group).
    follow, lead = state.link_follow, defaultdict(list)
    for m, first_of_pair in follow.items():
        lead[first_of_pair].append(m)
    index = {letters[k].letter_id: k for k in assigned} if follow else {}
    by_petitioner: dict[str, int] = {}
    for j in sorted(assigned):
        key = letters[j].petitioner_key
        if key and key not in by_petitioner:
            by_petitioner[key] = j
    for i in todo:
        lt = letters[i]
        keys = _place_keys(state.place_info[i])
        first = by_petitioner.get(lt.petitioner_key) if lt.petitioner_key else None
        partner = index.get(follow.get(lt.letter_id, "")) if follow else None
        if lt.letter_id in state.pinned:
            cid = _resolve_alias(state.aliases, state.pinned[lt.letter_id])
        elif partner is not None:
            # A leader confirmed the pair: it joins even when the letter's stored group is kept (walk F: a leader's
            # confirmation is stored without rewriting the office's groups, and the kept group used to win).
            cid = _resolve_alias(state.aliases, assigned[partner])
        elif fixed and lt.letter_id in fixed:
            cid = _resolve_alias(state.aliases, fixed[lt.letter_id])
        elif first is not None and (again := _writes_again(state, letters, i, first, keys, options)) is not None:
            cid = _resolve_alias(state.aliases, assigned[again if again in assigned else first])
        else:
            best, best_score = "", -1.0
            for j, sim in nbrs.get(i, ()):
                if best and sim + options.place_bonus < best_score:
                    break  # neighbours come best first: none further on can win, even with the place bonus
                if j == i or j not in assigned or not _linked(state, letters, i, j, sim, options):
                    continue
                cid = _resolve_alias(state.aliases, assigned[j])
                if not fits(state, i, j, cid):
                    continue  # close to one letter of the group by meaning, not to the group
                if _cores_conflict(
                    state.mined[i].cores, _dominant_cores(state, cid), (min(i, j), max(i, j)) in state.anchor_pairs
                ):
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
        if follow:
            index[lt.letter_id] = i
            for k in [index[m] for m in lead.get(lt.letter_id, ()) if m in index and m not in state.pinned]:
                assigned[k] = cid  # the second letter came first in the order: it follows now
                _note_member(state, cid, k)
        if lt.petitioner_key and lt.petitioner_key not in by_petitioner:
            by_petitioner[lt.petitioner_key] = i
        state.cluster_places.setdefault(cid, set()).update(keys)
        _note_member(state, cid, i)
        if centroids and (row := _row(matrix, i)):
            _add_to_centroid(state, cid, row)


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
    alias: dict[str, str] = {}
    for i, j, sim in _cross_links(assigned, nbrs, frozen):
        a, b = _resolve_alias(alias, assigned[i]), _resolve_alias(alias, assigned[j])
        if a == b or not _linked(state, letters, i, j, sim, options):
            continue
        if _cores_conflict(_dominant_cores(state, a), _dominant_cores(state, b), (i, j) in state.anchor_pairs):
            continue
        if not groups_fit(state, i, j, a, b):
            continue
        keep, gone = (a, b) if _id_number(a) <= _id_number(b) else (b, a)
        state.cluster_cores.setdefault(keep, Counter()).update(state.cluster_cores.pop(gone, Counter()))
        state.cluster_sizes[keep] = state.cluster_sizes.get(keep, 0) + state.cluster_sizes.pop(gone, 0)
        merge_sums(state, keep, gone)
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
