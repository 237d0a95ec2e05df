"""Links by meaning: two letters whose words share too little are still one matter when they mean the same thing.

The word rules (:mod:`planner.analysis.linking`) need a word in common; a matter told through other collectors,
units or words (优待金 / 优抚金 / 拥军优属补助; 长者食堂 / 老年食堂) has none. Each letter's meaning vector
(:mod:`planner.analysis.semantic`, centred on the register) says how close two letters are whatever their words.
A link on it alone:

- needs more closeness between places further apart (:data:`THRESHOLDS`), and less at one village where one letter
  names no matter word (:data:`UNNAMED_VILLAGE`);
- at two different places, needs money in both letters going the same way (a pig farm's sewage and a rubbish heap
  at two villages are alike in meaning and are each place's own matter; a fee or a subsidy is a practice);
- except that one programme's goods or money (a topic word of the register in both, 有机肥, 食堂), told with money in
  at least one letter and with no village or person named in either, are one practice whichever way the money goes;
- is no link between two named villages where a village cadre or body acts (each village's own matter);
- joins a group only when the letter is close, on average, to all its letters (:func:`fits`): one close pair must
  not chain two matters together.

Thresholds were chosen on the dev sets (benchmarks/clustering_results.md, runs 46-47).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.analysis.evidence import Letter, _programme_astray
from planner.analysis.topics import _money_kinds

#: Centred cosine of two letters' meaning vectors needed for a link by meaning alone, by how the places relate.
THRESHOLDS = {"village": 0.35, "town": 0.32, "apart-village": 0.32, "apart": 0.33, "unknown": 0.33}
#: At one village, where one letter names no matter word the miner knows (卖地的钱, 好赌: told in everyday words) and
#: neither names a person (a named official's business is that one's matter), the words found nothing against the
#: pair and this closeness is enough; where both name theirs, :data:`THRESHOLDS`
#: (a mixing plant's noise and a barbecue's smoke at one estate, 0.34, stay two matters). Run 57.
UNNAMED_VILLAGE = 0.25
#: The least closeness of a link by meaning elsewhere: letters nearer than this are each other's candidates (pairs
#: :func:`bar` lets link from :data:`UNNAMED_VILLAGE`, from there: only those, or the word rules would judge pairs
#: they never saw and join one village's other matters, demo seed 1).
FLOOR = min(THRESHOLDS.values())
#: A group (or two groups) joined by meaning needs this much less on average over all their pairs of letters.
FIT_DELTA = 0.10
#: Unless at one village, a link by meaning needs money named in both letters.
_MONEY_RELS = ("apart", "unknown", "apart-village", "town")
#: Money named any way: a sum (收十块钱, 八百元), a deposit, a levy, interest, insurance, a dividend.
_MONEY_RE = re.compile(
    r"钱|[0-9一二两三四五六七八九十百千万几]+ *(?:元|块|万)|押金|集资|摊派|筹资|利息|保险|分红|收益|款"
)
#: Word cosine from which two letters count as worded alike: meaning neither adds nor takes away a link.
_ALIKE = 0.3
#: Below this closeness of meaning a link the words found between two places (on a word or two) is refused.
_APART_IN_MEANING = 0.15
#: A link between places whose only common topic word is an everyday fee (伙食费, 保险费: a call-up check, an old
#: people's home and a works site all charge them) needs at least this closeness of meaning.
_FEE_ALONE = 0.3
#: Links no meaning takes back: the same petitioner, a leader's decision.
_DECIDED = ("同一信访人", "领导", "同村且同一做法")
#: Refusals that a link by meaning does not overrule: a leader's word, what the letters say against each other.
_FIRM = (
    "领导已判定", "核心事项不同", "被反映人不同", "被反映单位类别不同", "同一地点但收费标准",
    "共同的只是收费或资金名目", "同一格式的反映", "村干部或村级事务", "同类单位但主要事项不同",
    "同村但扰民的来源不同", "同村但反映的场所不同", "市外来信",
)


#: Money handed over, told by its sum (交两百块钱, 收了我八十块, 每份收五十元), also without its unit as villagers
#: say it (每户交四百, 罚了两百, 开口要1500): money taken.
_TAKEN_RE = re.compile(
    r"[交收缴付][了给他我们每人户份次个]{0,4}[0-9一二两三四五六七八九十百千万几]+ *(?:元|块|万)"
    r"|(?:[交收缴付罚]|开口要|要价)[了给他我们每人户份次个一]{0,4}(?:[0-9]{3,}|[一二两三四五六七八九几]+[百千万])(?![0-9多个年月天岁人户斤亩米])"
)


def _kinds(text: str) -> frozenset[str]:
    """Which way a letter's money goes (:func:`_money_kinds`), a sum handed over counting as money taken."""
    got = _money_kinds(text)
    return got | {"in"} if _TAKEN_RE.search(text) else got


#: Two letters that already name the same charge (押金, 好处费) and that the words still kept apart (another object:
#: a shop's deposit and a kindergarten's) need this much more closeness of meaning for a link.
CHARGE_EXTRA = 0.10


def closer_needed(state, i: int, j: int, rel: str, charge_only: bool) -> bool:
    """Whether letters ``i`` and ``j``, sharing only a charge or money word (``charge_only``), are not close enough
    in meaning for that: the words already saw the charge and judged."""
    return charge_only and closeness(state, i, j) < THRESHOLDS[rel] + CHARGE_EXTRA


def closeness(state, i: int, j: int) -> float:
    """Centred cosine of letters ``i`` and ``j``'s meaning vectors."""
    return float(state.sem[i] @ state.sem[j])


def one_topic(anchors: frozenset[str], ca: Sequence[str], cb: Sequence[str], loose: frozenset[str]) -> bool:
    """Whether two letters share a topic word (``anchors``) and name no other matter besides it: every core word
    of either letter, the loose money words (``loose``) aside, is that topic or named by both. A fishing boat's
    燃油补贴 and its 年检 fee share 渔船 and are two matters."""
    return bool(anchors) and all(x in anchors or (x in ca and x in cb) for x in {*ca, *cb} - loose)


def bar(state, i: int, j: int, rel: str) -> float:
    """The closeness a link by meaning alone needs between letters ``i`` and ``j`` whose places relate as ``rel``:
    :data:`UNNAMED_VILLAGE` at one village where one letter names no matter word and neither a person, else
    :data:`THRESHOLDS`."""
    ea, eb = state.evidence[i], state.evidence[j]
    unnamed = rel == "village" and not ((state.mined[i].cores and state.mined[j].cores) or ea.persons or eb.persons)
    return UNNAMED_VILLAGE if unnamed else THRESHOLDS[rel]


def meaning_link(state, letters: Sequence[Letter], i: int, j: int, rel: str, topic: bool = False) -> str:
    """The reason letters ``i`` and ``j`` are one matter by meaning (Chinese, with the closeness), or "".

    ``topic``: the two letters share a topic word learned from the register (有机肥, 食堂). Where neither names a
    village or a person, that programme's benefit sold, charged for or kept, told at town level, is one practice:
    the money may go either way and one letter may name none (run 55)."""
    s = closeness(state, i, j)
    limit = bar(state, i, j, rel)
    if s < limit:
        return ""
    ea, eb = state.evidence[i], state.evidence[j]
    ka, kb = _kinds(letters[i].text), _kinds(letters[j].text)
    money_a, money_b = bool(ka or _MONEY_RE.search(letters[i].text)), bool(kb or _MONEY_RE.search(letters[j].text))
    practice = (
        topic and (money_a or money_b) and not ea.persons and not eb.persons
        and not state.place_info[i].villages and not state.place_info[j].villages
    )
    if ka and kb and not ka & kb and not practice:
        return ""  # money paid out against money taken
    listed = _programme_astray(state.mined[i].cores, state.mined[j].cores, letters[i].text, letters[j].text)
    if rel in _MONEY_RELS and not practice and not listed and not (
        ka & kb or (_MONEY_RE.search(letters[i].text) and _MONEY_RE.search(letters[j].text))
    ):
        return ""  # the same kind of harm at two places (a pig farm's sewage, a rubbish heap) is each place's own
    if rel != "village" and state.place_info[i].villages and state.place_info[j].villages and (
        ea.cadre or ea.local or eb.cadre or eb.local
    ) and not listed:
        return ""  # two named villages, a village cadre or body acting: each village's matter
    state.meaning_pairs[(i, j) if i < j else (j, i)] = limit
    return f"用词不同但内容语义相近（语义相似度 {s:.2f}，门槛 {limit:.2f}）"


def note_member(state, cid: str, i: int) -> None:
    """Add letter ``i``'s meaning vector to group ``cid``'s sum (for :func:`fits`)."""
    if state.sem is not None:
        got = state.sem_sums.get(cid)
        state.sem_sums[cid] = state.sem[i].copy() if got is None else got + state.sem[i]


def merge_sums(state, keep: str, gone: str) -> None:
    got = state.sem_sums.pop(gone, None)
    if got is not None:
        state.sem_sums[keep] = got if keep not in state.sem_sums else state.sem_sums[keep] + got


def fits(state, i: int, j: int, cid: str) -> bool:
    """Whether letter ``i``, linked by meaning alone to letter ``j``, is close enough on average to every letter of
    ``j``'s group ``cid`` (not to one of them only: one close pair would chain matters together)."""
    t = state.meaning_pairs.get((i, j) if i < j else (j, i))
    if t is None:
        return True
    n = state.cluster_sizes.get(cid, 0)
    total = state.sem_sums.get(cid)
    return total is None or n == 0 or float(state.sem[i] @ total) / n >= t - FIT_DELTA


def groups_fit(state, i: int, j: int, a: str, b: str) -> bool:
    """Whether groups ``a`` and ``b``, joined by the meaning link of letters ``i`` and ``j`` alone, are close enough
    on average over all their pairs of letters."""
    t = state.meaning_pairs.get((i, j) if i < j else (j, i))
    if t is None:
        return True
    sa, sb = state.sem_sums.get(a), state.sem_sums.get(b)
    na, nb = state.cluster_sizes.get(a, 0), state.cluster_sizes.get(b, 0)
    return sa is None or sb is None or not na or not nb or float(sa @ sb) / (na * nb) >= t - FIT_DELTA
