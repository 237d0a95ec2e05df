"""What an assignment of letters to issues yields: hotspots by place, repeat chains, issue labels and spans."""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from planner.analysis.evidence import (
    _TITLE_RE,
    Letter,
    _county_name,
    _persons,
    _PlaceInfo,
    _units,
)
from planner.analysis.linking import (
    ClusterOptions,
    _State,
)
from planner.analysis.practices import PRACTICES
from planner.analysis.private_names import name_words, names_a_person
from planner.analysis.textmine import (
    _matter_lexicon,
    _village_names,
    _word_tags,
    core_terms,
    domain_terms,
    gazetteer,
    tokenizer,
)
from planner.analysis.wording import address_places, as_written, within_place_name
from planner.domain import Cluster

_NO_PLACE = "地点不明"


def _hotspots(
    issue_id: str,
    members: list[int],
    letters: Sequence[Letter],
    place_info: list[_PlaceInfo],
) -> dict[int, str]:
    """Group an issue cluster's letters by place: village (or finer named place), else town, else county.

    A hotspot is one place: letters of two counties or two towns are never joined, whatever name they share (walk
    W14: 但路 of 但路也没修 read as a place joined seven letters of four counties into one hotspot 梧宅村; a village
    name also recurs from town to town). Its label names the place all its letters share (:func:`_group_place`)."""
    info = [place_info[i] for i in members]
    parent = list(range(len(members)))
    # The county and town each group stands in (a letter's own first, as resolved or as written).
    where = [
        ({c for c in pi.counties[:1] if not c.startswith("n:")}, {t for t in pi.towns[:1] if t.startswith("t:")})
        for pi in info
    ]

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> bool:
        rx, ry = find(x), find(y)
        if rx == ry:
            return True
        (cx, tx), (cy, ty) = where[rx], where[ry]
        if len(cx | cy) > 1 or len(tx | ty) > 1:
            return False  # two counties or two towns: two places, however alike their names
        lo, hi = min(rx, ry), max(rx, ry)
        parent[hi] = lo
        where[lo] = (cx | cy, tx | ty)
        return True

    # 1. Letters sharing a village-level place (code or name; a name also counts when another letter
    #    only writes it without its suffix, e.g. 魅力之城 for 魅力之城小区).
    by_key: dict[str, list[int]] = {}  # key -> one letter of each group holding it (groups of other places apart)
    full_names: dict[str, str] = {}
    for pi in info:
        for key, name in pi.names.items():
            full_names.setdefault(key, name)
    for k, (vil, _t, _c, _n) in enumerate(info):
        for key in vil:
            owners = by_key.setdefault(key, [])
            for owner in owners:
                union(k, owner)
            owners.append(k)
            by_key[key] = list({find(o): o for o in owners}.values())
    # Short keys (经济 of 经济学院) would match unrelated words: they must be written in full (经济学院).
    name_keys = [
        (key[2:] if len(key) >= 5 else full_names.get(key, key[2:] + "\0"), owners)
        for key, owners in by_key.items()
        if key.startswith("n:")
    ]
    has_village = [bool(pi.villages) for pi in info]
    if name_keys and len(members) <= 400:
        for k, i in enumerate(members):
            text = letters[i].text
            for own in info[k].villages:  # 南村 inside the letter's own 新南村 is not a mention of 南村
                own_name = info[k].names.get(own, "")
                if len(own_name) >= 3:
                    text = text.replace(own_name, "\0")
            for name, owners in name_keys:
                if name in text:
                    for owner in owners:
                        if find(k) != find(owner) and union(k, owner):
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
            groups = {find(g) for g in town_groups.get(t, set())}
            if len(groups) == 1 and union(k, next(iter(groups))):
                pass
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
        if len(groups) == 1 and union(k, next(iter(groups))):
            pass
        elif c in county_only:
            union(k, county_only[c])
        else:
            county_only[c] = k
    roots = {find(k) for k in range(len(members)) if k not in placeless}
    # 3. Letters naming no place at all join the only placed group of their issue, else a 地点不明 group.
    for k in placeless:
        if len(roots) == 1:
            union(k, next(iter(roots)))
    groups: dict[int, list[int]] = defaultdict(list)
    for k in range(len(members)):
        groups[find(k)].append(k)
    labels = {r: _group_place([members[k] for k in ks], letters, place_info) for r, ks in groups.items()}
    # Two groups at places of one name (后江村 of 赤湖镇 and of 旧镇镇) are two hotspots: each says its town.
    for level in (1, 2):
        seen = Counter(labels.values())
        for r, ks in groups.items():
            if seen[labels[r]] > 1 and labels[r] != _NO_PLACE:
                labels[r] = _qualified(labels[r], [members[k] for k in ks], letters, place_info, level)
    seen, count = Counter(labels.values()), Counter()
    for r in sorted(r for r in groups if seen[labels[r]] > 1):
        count[labels[r]] += 1
        labels[r] = f"{labels[r]}·{count[labels[r]]}" if count[labels[r]] > 1 else labels[r]
    return {members[k]: f"{issue_id}@{labels[find(k)]}" for k in range(len(members))}


#: The label of a hotspot whose letters share no place (never formed by :func:`_hotspots`, said if it were).
_MANY_PLACES = "多地"


def _group_place(idx: Sequence[int], letters: Sequence[Letter], place_info: Sequence[_PlaceInfo]) -> str:
    """The place every letter of a hotspot that names a place at that level shares: a village (or finer place), else
    a town, else a county, as the first such letter writes it; ``多地`` when they share none (walk W14: the first
    letter's 梧宅村 named a hotspot of four counties)."""
    for level in (0, 1, 2):
        having = [i for i in idx if place_info[i][level]]
        if not having:
            continue
        shared = set.intersection(*(set(place_info[i][level]) for i in having))
        if level == 2:
            shared = {c for c in shared if not c.startswith("n:")} or shared
        if not shared:
            return _MANY_PLACES
        first = having[0]
        key = next(k for k in place_info[first][level] if k in shared)
        return _place_name(letters[first], place_info[first], level, key)
    return _NO_PLACE


def _qualified(label: str, idx: Sequence[int], letters: Sequence[Letter], place_info: Sequence[_PlaceInfo],
               level: int) -> str:
    """``label`` after the town (``level`` 1) or county (2) its letters share, when that does not already name it."""
    having = [i for i in idx if place_info[i][level]]
    if not having:
        return label
    shared = set.intersection(*(set(place_info[i][level]) for i in having))
    key = next((k for k in place_info[having[0]][level] if k in shared), "")
    if not key:
        return label
    outer = _place_name(letters[having[0]], place_info[having[0]], level, key)
    return label if label.startswith(outer) else outer + label


def _place_name(letter: Letter, info: _PlaceInfo, level: int, key: str) -> str:
    """The name of one place key of a letter at ``level`` (0 village, 1 town, 2 county), as written."""
    if level == 0:
        name = info.names.get(key) or key.split(":", 1)[1]
        return _place_as_written(name, (letter.address, letter.text)) if key.startswith("n:") else name
    if level == 1:
        if key.startswith("t:"):
            return letter.town if letter.town and letter.town_code == key[2:] else _town_name(key[2:])
        return key[2:]
    return _county_name(key)


def _hotspot_label(letter: Letter, info: tuple[list[str], list[str], list[str]]) -> str:
    vil, towns, counties, names = info
    if vil:
        key = vil[0]
        name = names.get(key) or key.split(":", 1)[1]
        return _place_as_written(name, (letter.address, letter.text)) if key.startswith("n:") else name
    if towns:
        key = towns[0]
        if key.startswith("t:"):
            return letter.town or _town_name(key[2:])
        return key[2:]
    if counties:
        return _county_name(counties[0])
    return _NO_PLACE


#: Characters that end the sentence's own words before a place and never begin a place's name (在南村, 的南村).
_NOT_NAME_START = frozenset("的在和与及或有是把被从到了对向给让跟说为去来")
_CJK = re.compile(r"[\u4e00-\u9fa5]+")


def _place_as_written(name: str, texts: Sequence[str]) -> str:
    """A village's name as the letters write it. The text mining keeps only the end of a name that jieba cut in
    two (山格镇 + 新 + 南村 gives 南村; browser walk: the hotspot of 新南村 read （南村）): the one to three characters
    before it belong to the name when, with it, they make a village of the gazetteer (新南村), or when they stand
    right after a town or county the letter names (…镇新南村). ``name`` itself otherwise."""
    villages, gaz = _village_names(), gazetteer()
    for text in texts:
        pos = text.find(name)
        while pos > 0:
            for k in (3, 2, 1):
                head = text[max(0, pos - k) : pos]
                if len(head) < k or head[0] in _NOT_NAME_START or not _CJK.fullmatch(head):
                    continue
                if head + name in villages:
                    return head + name
                before = text[: pos - k]
                if k <= 2 and any(
                    (e := gaz.get(before[-n:])) is not None and e.name == before[-n:] and e.level in ("town", "county")
                    for n in range(2, 6) if len(before) >= n
                ):
                    return head + name
            pos = text.find(name, pos + 1)
    return name


def _town_name(code: str) -> str:
    for name, entry in gazetteer().items():
        if entry.code == code and entry.name == name:
            return name
    return code


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


#: Measures jieba's dictionary tags as nouns (the others are tagged q or m and are left out with them). 公分 (a
#: centimetre) is also the piece jieba cuts from 公分给 (救灾款公分给了…; browser walk: a group named 公分).
_MEASURES = frozenset({"公分", "市斤", "块钱", "毛钱"})


def _rank_label_terms(terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Order a cluster's weighted words for its label: core matter words (保证金, 低保) first, then domain
    terms, nouns and verbs; numerals, measures, adverbs and function words (一户, 公分, 暗示 ...) never name a
    matter. A word is a whole word only when jieba's dictionary or the lexicon knows it: what jieba's guesser makes
    of characters it cannot place is as often a piece of two words (过班 of 加班过班, 钱公 of 钱公分配, 家报 of 自己
    家报了) as a word, and a label made of it reads as a typo (browser walk: 过班)."""
    cores, dom, tags, known = core_terms(), domain_terms(), _word_tags(), tokenizer().FREQ
    lexicon = _matter_lexicon()
    out = []
    for t, w in terms:
        if t.startswith("#") or t in _MEASURES or not (known.get(t) or t in lexicon):
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


def _label(terms: list[tuple[str, float]], texts: Sequence[str] = ()) -> tuple[str, tuple[str, ...]]:
    """A group's label and key words from its weighted words, each as its letters write it: a word the lexicon folded
    (手续费 -> 代办费, 占用耕地 -> 非法占地) is shown in the letters' own words, and a word none of them writes in any
    form is left out (a label names what the letters say). Without ``texts`` the words are taken as they are."""
    words: list[str] = []
    for t, _w in terms:
        if t.startswith("#"):
            continue
        shown = _as_written(t, texts) if texts else t
        if not shown or any(shown in w or w in shown for w in words):
            continue
        words.append(shown)
        if len(words) == 4:
            break
    return "、".join(words[:3]) if words else "（无关键词）", tuple(words)


def _as_written(term: str, texts: Sequence[str]) -> str:
    """``term`` when one of ``texts`` writes it, else the variant the letters write most (ties: the longer one),
    else ``""``."""
    if any(term in x for x in texts):
        return term
    said = Counter(w for x in texts if (w := as_written(term, x)))
    return min(said, key=lambda w: (-said[w], -len(w), w)) if said else ""


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
    inv_vocab = _inverse_vocabulary(state)
    out = [_issue_cluster(cid, idx, letters, state, inv_vocab, options) for cid, idx in members.items()]
    out.sort(key=lambda c: (not c.systemic, -c.size, c.cluster_id))
    return tuple(out)


def _inverse_vocabulary(state: _State) -> dict[int, str]:
    return {i: t for t, i in state.vectorizer.vocabulary_.items()}


def _issue_cluster(
    cid: str,
    idx: Sequence[int],
    letters: Sequence[Letter],
    state: _State,
    inv_vocab: dict[int, str],
    options: ClusterOptions,
) -> Cluster:
    """One issue cluster: label and key terms from its centroid, counties, towns, reported units and persons."""
    cen = state.centroids.get(cid, {})
    # The 30 heaviest words (heapq.nsmallest is sorted(...)[:30] without sorting them all).
    terms = heapq.nsmallest(30, ((inv_vocab[j], w) for j, w in cen.items()), key=lambda t: (-t[1], t[0]))
    texts = [_own_words(letters[i]) for i in idx]
    # A label names the matter, not whom it is about (徐雅琴、企业、砂场 on the demo's 关联分析): the persons the
    # letters name or report are listed apart (``reported``) and never taken for matter words.
    persons = {p for i in idx for p in (*_persons(letters[i], state.mined[i]), *letters[i].reported_persons)
               if len(p) >= 2}
    terms = [(t, w) for t, w in terms if not any(t in p or p in t for p in persons)]
    # Nor by a name the segmenter knows, nor a writer's or reported person's given name or how one is called (walk
    # W10: 低保、春花、亲戚 — 春花 of the petitioner 李春花; 春花姐, 阿华, 老王 likewise).
    names = {_TITLE_RE.sub("", p) for p in persons} | {n for i in idx for n in letters[i].private_names}
    said = name_words(names)
    terms = [(t, w) for t, w in terms if not names_a_person(t, said, names)]
    terms = [(t, w) for t, w in terms if not _place_fragment(t, idx, letters, state, texts)]
    label, key_terms = _label(_rank_label_terms(terms), texts)
    label = _practice_title(idx, letters, state) or label
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
    return Cluster(
        cluster_id=cid,
        kind="issue",
        label=label,
        case_nos=tuple(letters[i].letter_id for i in idx),
        county_codes=tuple(sorted(counties)),
        town_codes=tuple(sorted(towns)),
        key_terms=key_terms,
        reported=tuple(_without_cut_names([r for r, _n in reported.most_common() if r not in _GENERIC_UNITS])[:10]),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        systemic=len(counties) >= options.systemic_counties,
    )


#: Practices (:mod:`planner.analysis.practices`) as a group's title names them. The letters telling one share no
#: word of it (误工补贴 / 加班费 / 过节费), so the words of a label never name it (walk: a group of 大地村's cadres
#: paying themselves read 补贴、山林、加班费).
_PRACTICE_TITLES = {core: title for core, (_told, _what, title) in PRACTICES.items()}
#: Between a practice and the places of its letters in a title (村干部滥发补贴 · 大地村); a hotspot's label is the
#: practice with its place in brackets (村干部滥发补贴（大地村）), as every hotspot's label is.
_TITLE_PLACE = " · "
#: Most places named in a practice's title; more are counted (大地村、和美村等 4 处).
_TITLE_PLACES = 3


def _practice_title(idx: Sequence[int], letters: Sequence[Letter], state: _State) -> str:
    """The title of a group most of whose letters tell one practice: the practice and where it is (each village's
    cadres are their own matter, so the place is half of what the group is), ``""`` for any other group."""
    for core, title in _PRACTICE_TITLES.items():
        telling = [i for i in idx if core in state.mined[i].cores]
        if 2 * len(telling) <= len(idx):
            continue
        # A village where a letter names one; a letter placed only at a town or county says no more than that.
        finest = [i for i in telling if state.place_info[i].villages] or telling
        places = list(dict.fromkeys(p for i in finest if (p := _hotspot_label(letters[i], state.place_info[i]))
                                    != _NO_PLACE))
        if not places:
            return title
        shown = "、".join(places[:_TITLE_PLACES])
        return title + _TITLE_PLACE + (shown if len(places) <= _TITLE_PLACES else f"{shown}等 {len(places)} 处")
    return ""


#: Words that end a place's name: a label word ending so may be the tail of one (山村 of 璞山村, walk 3).
_PLACE_ENDS = ("村", "镇", "乡", "社区", "街道")
#: Last characters of a place's name: a word beginning so may begin inside one (村镇 of 珪后村 + 镇干部).
_PLACE_LAST = frozenset("村镇乡区县市道")
#: Bare words that name no one in particular: never listed as 被反映对象 (walk 3: 公司).
_GENERIC_UNITS = frozenset({"公司", "企业", "单位", "部门", "集团", "工厂", "厂家", "商家", "老板", "有关部门"})


def _place_fragment(term: str, idx: Sequence[int], letters: Sequence[Letter], state: _State,
                    texts: Sequence[str]) -> bool:
    """True when ``term`` (山村) is only the tail of a place the group's letters name (璞山村, 招山村): a word ending
    like a place that a longer name of a village or town of these letters (as placed, or a gazetteer village their
    texts write) ends with; or a word every letter writing it writes only inside or across a place's name."""
    if term[0] not in _PLACE_LAST and not term.endswith(_PLACE_ENDS):
        return False
    named = {n for i in idx for n in state.place_info[i].names.values()}
    named.update(letters[i].address for i in idx)
    named.update(n for i in idx for n in (letters[i].county, letters[i].town, letters[i].village) if n)
    named.update(n for i in idx for n in address_places(letters[i].address))
    if term[0] in _PLACE_LAST and (said := [x for x in texts if term in x]) and all(
            within_place_name(term, x, named) for x in said):
        return True  # 村镇 of 珪后村镇干部: the end of a place and the start of the next word (walk W13)
    if not term.endswith(_PLACE_ENDS):
        return False
    if any(n != term and n.endswith(term) for n in named):
        return True
    return any(v != term and v.endswith(term) and any(v in x for x in texts) for v in _village_names())


#: A name as a letter masks it (黄某, 林某某, 陈XX), once its title (村主任, 村支书) is taken off.
_MASKED_NAME_RE = re.compile(r"[\u4e00-\u9fa5](?:某某?|[XＸx×＊*]{1,2})")
#: What may follow a masked name's 某 in another masked name (黄某某 is not 黄某 in full); "" is the name itself.
_MASK_CHARS = ("", *"某XＸx×＊*")


def _without_cut_names(names: Sequence[str]) -> list[str]:
    """``names`` without a masked name cut short from a fuller one of the same surname listed too: 村主任黄某山 read
    as 村主任黄某 beside 黄某山 (walk 2: 被反映对象 黄某山、村主任黄某); the fuller one is kept, order unchanged."""
    cores = [_TITLE_RE.sub("", n) for n in names]
    return [n for n, core in zip(names, cores, strict=True)
            if not (_MASKED_NAME_RE.fullmatch(core)
                    and any(o.startswith(core) and o[len(core):len(core) + 1] not in _MASK_CHARS for o in cores))]


def _own_words(letter: Letter) -> str:
    """Everything a letter writes that its matter words come from: the text and the reported units and persons."""
    return "\n".join((letter.text, *letter.reported_units, *letter.reported_persons))


def _hotspot_clusters(
    issue: Cluster,
    idx: Sequence[int],
    letters: Sequence[Letter],
    hotspot_of: dict[str, str],
    place_info: list[_PlaceInfo],
) -> list[Cluster]:
    """The hotspot clusters of one issue (its letters ``idx`` in input order, grouped by ``hotspot_of``)."""
    hs_members: dict[str, list[int]] = defaultdict(list)
    for i in idx:
        hs_members[hotspot_of[letters[i].letter_id]].append(i)
    out = []
    for hid, hidx in hs_members.items():
        dates = [letters[i].received_date for i in hidx if letters[i].received_date]
        counties = sorted({c for i in hidx for c in place_info[i][2] if not c.startswith("n:")})
        out.append(
            Cluster(
                cluster_id=hid,
                kind="hotspot",
                label=f"{issue.label.partition(_TITLE_PLACE)[0]}（{hid.split('@', 1)[1]}）",
                case_nos=tuple(letters[i].letter_id for i in hidx),
                county_codes=tuple(counties),
                parent_id=issue.cluster_id,
                key_terms=issue.key_terms,
                first_date=min(dates) if dates else None,
                last_date=max(dates) if dates else None,
            )
        )
    return out
