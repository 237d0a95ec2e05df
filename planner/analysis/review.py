"""The review queue of 关联分析: letters almost linked, with the evidence for and against, for a leader to decide.

A *near miss* is a pair of letters in different issue clusters that look alike (high similarity, shared core
matter words, a shared place, unit or person) but that the same-matter gate kept apart, or that the date order
left apart. A leader confirms it (``Decision("link", (a, b))``: b joins a's issue and the pair stays linked in
every later run) or rejects it (``Decision("unlink", (a, b))``: never linked automatically, and no pair of the
same two groups is proposed again). Both are stored with the other decisions by :func:`planner.store.clusters.decide`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from planner.analysis.clustering import ClusterResult, Explanation, _detached, _pinned_from
from planner.analysis.evidence import _ASTRAY_RE, _FAVOUR_RE, _place_relation, named_schemes
from planner.analysis.linking import _LOOSE_CORES, _cores_conflict, _dominant_cores, _shared_concepts, _verdict
from planner.analysis.meaning import closeness
from planner.analysis.practices import PRACTICES
from planner.analysis.summaries import _as_written
from planner.analysis.textmine import office_programmes, programme_terms
from planner.analysis.wording import address_places, as_written, shown_term, within_place_name
from planner.errors import InputError

_TEMPLATE_REASON = "同一格式的反映"
_TEMPLATE_PENALTY = 0.5
_PER_ISSUE = 2
#: Practices that are each village's own matter (planner.analysis.practices): the cadres of two villages paying
#: themselves are two matters, however alike the letters read, and a leader has nothing to confirm between them.
_VILLAGE_PRACTICES = {core: what for core, (_told, what, _title) in PRACTICES.items()}


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Two letters almost linked.

    Attributes
    ----------
    a_id, b_id
        The letters (a is the earlier one); their issues differ.
    a_issue, b_issue
        Their issue cluster ids.
    similarity
        Cosine of their matter words.
    evidence_for
        Why they may be one matter (shared core words, terms, units, persons, place), in Chinese.
    evidence_against
        Why they were kept apart (the rule of the same-matter gate, or the date order), in Chinese.
    score
        Rank in the queue (higher first): similarity of words or of meaning, whichever is higher, plus shared core
        words and place.
    """

    a_id: str
    b_id: str
    a_issue: str
    b_issue: str
    similarity: float
    evidence_for: tuple[str, ...]
    evidence_against: str
    score: float


#: Least closeness of meaning (planner.analysis.meaning) that offers a pair without words in common: a little below
#: what links by meaning alone, so that the pairs just under it, or refused by a guard, reach a leader.
MEANING_FLOOR = 0.25
#: Least closeness of meaning of any pair offered, whatever words it shares (when the meaning was measured). A near
#: miss must be near: under it a pair rests on one broad word (补贴, 工资, 租金, 红包 told of other things) and the
#: letters say different things (browser walk: pairs at 语义相似度 -0.02 offered). Measured on the queue of the demo
#: register (seed 7, 600 letters) and tests/data/cluster_wording_dev*.csv and cluster_dev.csv, every pair offered
#: with no limit: 13 pairs under 0.15, none of them one matter by the truth; 12 pairs at 0.15-0.20, two of them one
#: matter (0.165, 0.169). It is also where the engine stops trusting words between two places
#: (planner.analysis.meaning: a link on a word or two under 0.15 of meaning is refused).
NEAR_FLOOR = 0.15


def _nearest_in_meaning(state, start: int, count: int, k: int) -> list[list[int]]:
    """For letters ``start`` .. ``start + count - 1``: their ``k`` nearest letters by meaning at MEANING_FLOOR or
    more (nothing when the meaning was not used)."""
    if state.sem is None:
        return [[] for _ in range(count)]
    sims = state.sem[start : start + count] @ state.sem.T
    sims[np.arange(count), np.arange(count) + start] = -1.0
    kk = min(k, sims.shape[1] - 1)
    top = np.argsort(-sims, axis=1)[:, :kk]
    return [[j for j in row.tolist() if sims[r, j] >= MEANING_FLOOR] for r, row in enumerate(top)]


def near_misses(
    result: ClusterResult,
    *,
    limit: int = 30,
    floor: float = 0.2,
    neighbours: int = 10,
) -> tuple[NearMiss, ...]:
    """Pairs of letters in different issues worth a leader's look, best first, one pair per two issues.

    Parameters
    ----------
    result
        A clustering result.
    limit
        At most this many pairs.
    floor
        Least similarity of a pair, unless it shares a core matter word. 0 lifts the floor of meaning
        (:data:`NEAR_FLOOR`) too: every pair the neighbours find is offered, however unlike (to read why the
        engine refused a pair).
    neighbours
        Most similar letters looked at for each letter.

    Returns
    -------
    tuple[NearMiss, ...]
        Pairs already confirmed or rejected are left out, and so is every other pair between two groups a leader
        answered 不是同一问题 for; a pair less close in meaning than :data:`NEAR_FLOOR` is no near miss; each
        issue appears at most twice.

    Raises
    ------
    InputError
        If ``limit`` or ``neighbours`` is below 1 or ``floor`` outside [0, 1].
    """
    if limit < 1 or neighbours < 1:
        raise InputError(f"条数 limit 和近邻数 neighbours 至少为 1，收到 {limit!r} 和 {neighbours!r}")
    if not 0.0 <= floor <= 1.0:
        raise InputError(f"下限 floor 应在 0 到 1 之间，收到 {floor!r}")
    state = result._state
    letters = result.letters
    n = len(letters)
    if n < 2:
        return ()
    matrix = state.matrix
    decided = state.must_link | state.cannot_link
    pinned, aliases = _pinned_from(result.decisions)
    detached = _detached(result.decisions, pinned, aliases)
    # A letter a leader moved out on its own is not offered again with the group it left (its anchors) or with any
    # letter the engine would link it to: the leader has decided that, and 恢复自动分组 undoes it.
    left = {lid: set(d.anchors) for d in result.decisions if d.action == "detach" for lid in d.letter_ids
            if lid in detached}
    issue = [result.issue_of[lt.letter_id] for lt in letters]
    answered = _answered_groups(result)
    least_meant = NEAR_FLOOR if floor > 0 and state.sem is not None else -np.inf
    k = min(neighbours, n - 1)
    base_t = matrix.T.tocsc()
    found: dict[tuple[str, str], NearMiss] = {}
    block = 512
    for start in range(0, n, block):
        sims = (matrix[start : start + block] @ base_t).toarray()
        rows = np.arange(sims.shape[0])
        sims[rows, rows + start] = 0.0
        if sims.shape[1] > k:
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        else:
            top = np.tile(np.arange(n), (len(rows), 1))
        near = _nearest_in_meaning(state, start, len(rows), k)
        for r in rows:
            i = start + int(r)
            for j in dict.fromkeys(top[r].tolist() + near[r]):
                sim = float(sims[r, j])
                if j == i or issue[i] == issue[j]:
                    continue
                meant = closeness(state, i, j) if state.sem is not None else 0.0
                a, b = (i, j) if (letters[i].received_date or letters[i].letter_id, i) <= (
                    letters[j].received_date or letters[j].letter_id, j) else (j, i)
                pair_ids = tuple(sorted((letters[a].letter_id, letters[b].letter_id)))
                if pair_ids in decided:
                    continue
                shared = _shared_concepts(state.mined[a].cores, state.mined[b].cores)
                if sim < floor and not shared and meant < MEANING_FLOOR:
                    continue
                key = tuple(sorted((issue[a], issue[b])))
                # A practice one village's letters tell in other words (误工补贴 / 值班补贴) is read from what was done,
                # and the meaning model reads such letters far apart (0.09): it is no broad word the floor keeps out.
                if key in answered or (meant < least_meant and not _VILLAGE_PRACTICES.keys() & set(shared)):
                    continue
                rel = _place_relation(state.place_info[a], state.place_info[b])
                score = max(sim, meant) + 0.15 * len(shared) + (0.1 if rel in ("village", "town") else 0.0)
                if key in found and found[key].score >= score:
                    continue
                ida, idb = letters[a].letter_id, letters[b].letter_id
                if idb in left.get(ida, ()) or ida in left.get(idb, ()):
                    continue
                linked, why = _verdict(state, letters, a, b, sim, result.options)
                if linked and (ida in detached or idb in detached):
                    continue
                own = _each_villages_own(state, a, b, rel)
                if own and not linked and not why.startswith(_TEMPLATE_REASON):
                    continue  # only what the practice's name shares: two villages' cadres, two matters
                against = _kept_apart(result, a, b, pinned) if linked else _as_said(why, letters[a].text,
                                                                                     letters[b].text)
                if own:
                    # One letter told at two villages (a template) is still offered, the places said, after every
                    # pair that may be one matter: it takes none of a group's two places in the queue (browser walk:
                    # 大地村's letter placed at the town only was left out for two such pairs).
                    against += "；" + own
                    score -= _TEMPLATE_PENALTY
                programme = ""
                if not linked and why.startswith(_TEMPLATE_REASON):
                    programme = _programme_told_alike(state, a, b, shared, letters[a].text)
                    # A template told at other places is a firm rule; a leader's time goes first to the pairs the
                    # gate refused on weaker grounds (too little in common, a word of their own on each side) and
                    # to one public programme told alike at several places with no village cadre acting (walks Q
                    # and R: 高标准农田 in three counties, which a leader may well call one practice).
                    if not programme:
                        score -= _TEMPLATE_PENALTY
                reasons = tuple(  # a word similarity under the floor is no support (walk M: "内容相似度 0.00")
                    r for r in explain_shown(result, letters[a].letter_id, letters[b].letter_id).reasons()
                    if not (r.startswith("内容相似度") and sim < floor)
                )
                said = "、".join(_shown_shared(t, letters[a].text, letters[b].text) for t in shared)
                if not linked:  # never against what the evidence for shows, nor against the office rule
                    against = _against_as_shown(against, said, shared, letters[a], letters[b])
                evidence = (("共同核心事项：" + said,) if shared else ()) + reasons + (
                    (f"同一公共项目（{programme}）各地说法几乎相同，未写村干部所为：如是同一做法，请确认合并为跨地区问题",)
                    if programme else ()
                )
                found[key] = NearMiss(
                    a_id=letters[a].letter_id,
                    b_id=letters[b].letter_id,
                    a_issue=issue[a],
                    b_issue=issue[b],
                    similarity=round(sim, 3),
                    evidence_for=evidence,
                    evidence_against=against,
                    score=round(score, 3),
                )
    ranked = sorted(found.values(), key=lambda m: (-m.score, m.a_id, m.b_id))
    # Each issue at most twice: one template told at twenty places would otherwise fill the whole queue.
    seen: dict[str, int] = {}
    out: list[NearMiss] = []
    for m in ranked:
        if seen.get(m.a_issue, 0) >= _PER_ISSUE or seen.get(m.b_issue, 0) >= _PER_ISSUE:
            continue
        seen[m.a_issue] = seen.get(m.a_issue, 0) + 1
        seen[m.b_issue] = seen.get(m.b_issue, 0) + 1
        out.append(m)
        if len(out) == limit:
            break
    return tuple(out)


#: Refusals that say the letters have nothing specific in common: with shared core words shown for, they say which.
_NOTHING_SPECIFIC = ("同类单位但缺少共同的具体事项", "不同地点且缺少共同的具体证据")
_LOCAL_RULE = "村干部或村级事务，属各村各自的问题"


def _against_as_shown(against: str, said: str, shared: tuple[str, ...], la, lb) -> str:
    """``against`` as the queue shows it beside the evidence for (walk W28): 缺少共同的具体事项 beside 共同核心事项：
    保证金 says 除保证金外; a village's own matter beside one public programme both letters name (高龄补贴, 危房改造)
    says which letter does not tell its money going astray (kept, docked, drawn for the dead, claimed for nothing:
    one matter at every village by the office rule) or tells who was chosen for it."""
    head, _sep, rest = against.partition("；")
    tail = f"；{rest}" if rest else ""
    if head in _NOTHING_SPECIFIC and said:
        kind = re.sub(r"[但且]缺少共同的具体(?:事项|证据)$", "", head)
        return f"{kind}，除{said}外缺少共同的具体事项" + tail
    if head != _LOCAL_RULE:
        return against
    progs = programme_terms() | office_programmes()
    schemes = named_schemes(la.text), named_schemes(lb.text)
    named = [t for t in shared if t in progs] or sorted(
        x if len(x) <= len(y) else y for x in schemes[0] for y in schemes[1] if x in y or y in x)
    if not named:
        return against
    sides = []
    for lt in (la, lb):
        if chosen := _FAVOUR_RE.search(lt.text):
            sides.append(f"{lt.letter_id} 说的是谁能享受（“{chosen.group()}”）")
        elif not _ASTRAY_RE.search(lt.text):
            sides.append(f"{lt.letter_id} 的用词未读出这笔钱被截留、克扣、冒领或虚报")
    if not sides:
        return against
    return (f"同为{'、'.join(dict.fromkeys(named))}，但" + "，".join(sides)
            + "：村干部所为属各村各自的问题（项目资金被截留、克扣、冒领才是各村同一问题）" + tail)


def _each_villages_own(state, a: int, b: int, rel: str) -> str:
    """What to say against a pair of letters telling a practice that is each village's own matter (村干部给自己发补贴)
    at two villages they name, naming no one and no company in common (``大地村 / 和美村：各村干部给自己发补贴，各是各村
    的问题``); ``""`` for any other pair. The linking rules keep such letters apart for good, so the queue leaves
    them out unless they are one letter told at both places (walk: 大地村's cadres offered to 和美村's group for the
    shared 滥发补贴, with 不同地点且内容相似度不足 against it). A letter naming no village (only a town, or no
    place), or a village of the same name, may be about the same village and is offered as any other."""
    pa, pb = state.place_info[a], state.place_info[b]
    if rel not in ("apart", "apart-village") or not (pa.villages and pb.villages):
        return ""
    practices = [x for x in _VILLAGE_PRACTICES if x in state.mined[a].cores and x in state.mined[b].cores]
    ea, eb = state.evidence[a], state.evidence[b]
    if not practices or ea.persons & eb.persons or ea.companies & eb.companies:
        return ""
    # A village filed under a farm (v:350629400201) and the same name a letter writes (n:大地) are keyed apart: the
    # same village's name on both sides is no two villages, and the pair is a leader's to judge (browser walk).
    va, vb = ({p.names.get(k) or k.split(":", 1)[1] for k in p.villages} for p in (pa, pb))
    if va & vb:
        return ""
    va, vb = (min(v) for v in (va, vb))
    return f"{va} / {vb}：各村干部{_VILLAGE_PRACTICES[practices[0]].removeprefix('村干部')}，各是各村的问题"


def explain_shown(result: ClusterResult, a_id: str, b_id: str) -> Explanation:
    """``result.explain(a_id, b_id)`` with a practice among the shared words said as what it is: no letter writes
    滥发补贴, and the explanation read 共同关键词：滥发补贴（原文：同义词） in the queue and in 与 … 的关联 (walk).

    Raises
    ------
    NotFoundError
        If either id is not in the result.
    """
    explained = result.explain(a_id, b_id)
    ta, tb = result.letter(a_id).text, result.letter(b_id).text
    # A shared word one of the letters writes only inside or across a place's name is no word they share (walk
    # W13: 村村 of 浦南村村集体 and 康美村村集体 among the 共同关键词).
    pa, pb = _places_named(result, a_id), _places_named(result, b_id)
    terms = tuple(t for t in explained.shared_terms
                  if not (within_place_name(t, ta, pa) or within_place_name(t, tb, pb)))
    if terms == explained.shared_terms and not _VILLAGE_PRACTICES.keys() & set(terms):
        return explained
    return replace(explained, shared_terms=terms, terms_shown=tuple(_shown_shared(t, ta, tb) for t in terms))


def _places_named(result: ClusterResult, letter_id: str) -> tuple[str, ...]:
    """The places a letter is filed at or names, as written (besides the gazetteer's)."""
    letter = result.letter(letter_id)
    info = result._state.place_info[result._index()[letter_id]]
    return (letter.county, letter.town, letter.village, *info.names.values(), *address_places(letter.address))


def _shown_shared(term: str, text_a: str, text_b: str) -> str:
    """A shared core word as the queue shows it: a practice with what it is (滥发补贴（村干部给自己发补贴）; no
    letter writes the word, so ``shown_term`` would say 原文：同义词), any other word by ``shown_term``."""
    if term in _VILLAGE_PRACTICES and not as_written(term, text_a) and not as_written(term, text_b):
        return f"{term}（{_VILLAGE_PRACTICES[term]}）"
    return shown_term(term, text_a, text_b)


def _programme_told_alike(state, a: int, b: int, shared: tuple[str, ...], text_a: str) -> str:
    """The public programme (``cluster_programmes.txt``) two letters kept apart as one template share, as the first
    letter writes it, when neither names a village cadre acting; "" otherwise (every 村干部优亲厚友评低保 letter is
    that village's own matter, and is not pointed out)."""
    if state.evidence[a].cadre or state.evidence[b].cadre:
        return ""
    names = [x for x in shared if x in programme_terms()]
    return "、".join(as_written(x, text_a) or x for x in names) if names else ""


def _answered_groups(result: ClusterResult) -> set[tuple[str, str]]:
    """The pairs of groups (sorted issue ids) a leader has answered 不是同一问题 for: the card asked whether two
    groups are one matter, shown through two of their letters, so the answer holds for the groups as they are now,
    not only for those two letters (browser walk: the same two groups came back at once through another pair of
    letters). The rejection itself stays a pair of letters (:class:`Decision` ``unlink``): it follows the letters
    when a later decision or run puts them in other groups."""
    out: set[tuple[str, str]] = set()
    for pair in result._state.cannot_link:
        ga, gb = (result.issue_of.get(lid) for lid in pair)
        if ga and gb and ga != gb:
            out.add((ga, gb) if ga < gb else (gb, ga))
    return out


def _as_said(why: str, text_a: str, text_b: str) -> str:
    """A refusal in the letters' own words: ``核心事项不同：手续费 / 押金``, not the lexicon's folded 代办费 (walk M).
    Words before `` / `` are the first letter's, after it the second's; a one-sided list is both letters'."""
    head, sep, rest = why.partition("：")
    if not sep:
        return why
    sides = rest.split(" / ")
    if len(sides) == 2:
        said = [_said_list(side, text) for side, text in zip(sides, (text_a, text_b), strict=True)]
        return f"{head}：{said[0]} / {said[1]}"
    return f"{head}：" + "、".join(_said_both(w, text_a, text_b) for w in rest.split("、"))


def _said_both(word: str, text_a: str, text_b: str) -> str:
    written = {as_written(word, text_a), as_written(word, text_b)} - {""}
    return shown_term(word, text_a, text_b) if written and written != {word} else word


def _said_list(words: str, text: str) -> str:
    return "、".join(dict.fromkeys(as_written(w, text) or w for w in words.split("、")))


def _kept_apart(result: ClusterResult, a: int, b: int, pinned: dict[str, str]) -> str:
    """Why two letters the gate calls one matter are in different groups, as it is (walk E: "归入了其他更相近的组" was
    said of a letter in no group at all)."""
    state, letters = result._state, result.letters
    ida, idb = letters[a].letter_id, letters[b].letter_id
    ga, gb = result.issue_of[ida], result.issue_of[idb]
    for lid in (ida, idb):
        if lid in pinned:
            return f"{lid} 已由人工调整到现在的组"
    anchored = (min(a, b), max(a, b)) in state.anchor_pairs
    for mine, group in ((b, ga), (a, gb)):
        theirs = _dominant_cores(state, group)
        if _cores_conflict(state.mined[mine].cores, theirs, anchored):
            # The words the rule compared: with a topic word in common, loose money words (补偿款, 补贴) are left out.
            text = letters[mine].text
            own = [as_written(w, text) or w for w in state.mined[mine].cores if not (anchored and w in _LOOSE_CORES)]
            texts = [x.text for x in result.letters_of(ga if mine == b else gb)]
            main = sorted(_as_written(w, texts) or w for w in theirs if not (anchored and w in _LOOSE_CORES))
            return (f"{letters[mine].letter_id} 的事项（{'、'.join(own)}）"
                    f"与对方所在组的主要事项（{'、'.join(main)}）不同")
    if any(g in pinned.values() or g in state.aliases.values() for g in (ga, gb)):
        return "对方所在组有人工调整，系统不自动并组"
    later = b
    size = result.cluster(result.issue_of[letters[later].letter_id]).size
    if size > 1:
        return "按时间顺序归入了其他更相近的组"
    # What is known for sure is that it stands alone; the rule that usually keeps it so is given as a hint.
    return (f"{letters[later].letter_id} 单独成组，未自动并入对方所在组"
            "（已归类的信件在重新分析时留在原组；勾选“全部重新归类”可按现在的规则重新归类）")
