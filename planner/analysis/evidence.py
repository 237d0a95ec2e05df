"""What the clustering sees of a letter: the :class:`Letter`, its TF-IDF features, its evidence and its places."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from planner.analysis.companies import _company_name
from planner.analysis.textmine import (
    Mined,
    _word_tags,
    gazetteer,
    mine,
    normalise,
    office_programmes,
    programme_terms,
    tokenizer,
)
from planner.domain import PetitionCase
from planner.errors import InputError


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
    private_names
        The petitioners' names (PERSONAL, never shown): no word of them names a group (:mod:`.private_names`).
    outside
        About a place outside Zhangzhou (市外, 转外地办理): linked to no letter of the city's own, only to other such
        letters and to the same petitioner's.
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
    outside: bool = False
    private_names: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not str(self.letter_id).strip():
            raise InputError(f"每件信件都须有编号，收到 {self.letter_id!r}")
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
    """Each word's IDF, made once per fitted vectorizer (a vectorizer is fitted once, in ``analyse``, and never
    again): the review queue explains thousands of pairs, and ``vec.idf_`` is rebuilt on every read (it took 2.8 s
    of 关联分析's open on the demo register)."""
    got = getattr(vec, "xiafang_idf", None)
    if got is None:
        idf = vec.idf_
        got = {term: float(idf[i]) for term, i in vec.vocabulary_.items()}
        vec.xiafang_idf = got
    return got


def _mine_letters(letters: Sequence[Letter]) -> list[Mined]:
    return [_mine_cached(lt.text) for lt in letters]


# What mining found depends on the text alone and is immutable: a re-run over a register (analyse with
# previous=, the 关联分析 page after an import) mines only the letters it has not seen.
_mine_cached = functools.lru_cache(maxsize=1 << 15)(mine)


@functools.lru_cache(maxsize=1 << 15)
def _letter_parts(letter: Letter) -> tuple[Mined, tuple[str, ...], _Evidence, _PlaceInfo]:
    """What the clustering computes of one letter alone: mined words, TF-IDF features, evidence and places.

    Each depends only on the letter (a frozen value) and is only read afterwards, so a re-run over the same
    register (the 关联分析 page after an import of 100 letters) reuses them for the letters it has seen.
    """
    m = _own_village_whole(_mine_cached(letter.text), letter)
    return m, tuple(_features(m, letter)), _evidence(letter, m), _letter_places(letter, m)


def _own_village_whole(m: Mined, letter: Letter) -> Mined:
    """The words of a letter without the pieces of its own village's name that the segmenter cut off as words
    (半山村 read 半 + 山村): two letters of one village never share 山村 as a matter (walk W28: 半山村's 低保 letter
    and its 殴打 letter were one matter on it). A piece the letter also writes on its own, outside the name, stays."""
    name = letter.village
    if len(name) < 3 or name not in letter.text:
        return m
    rest = letter.text.replace(name, "、")
    pieces = {t for t in (*m.tokens, *m.cores) if len(t) >= 2 and t != name and t in name and t not in rest}
    if not pieces:
        return m
    return dataclasses.replace(m, tokens=tuple(t for t in m.tokens if t not in pieces),
                               key_terms=tuple(t for t in m.key_terms if t not in pieces),
                               cores=tuple(t for t in m.cores if t not in pieces))


_REPEAT_MARKER = re.compile(
    r"再次反映|再次举报|又一次|第[二三四五六七八九十\d]+次(?:反映|来信|举报)|已反映过|反映过此事|上次反映|此前反映|之前反映"
    r"|曾反映|曾经反映|多次反映|仍未解决|仍然没有解决|继续反映|重复反映"
)


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
    cadre: bool = False


# The letter accuses a village body or cadre: without a town/county unit or company named, its matter is that
# village's own (every village has a 村会计; one village's is not another's).
_LOCAL_ACTOR_RE = re.compile(
    r"村里|村委|(?<!镇)村干部|村支书|村主任|村会计|村党支部|村报账员|村民委员会|居委会|村集体|村财|村务|社区党委"
)


# A village cadre named as the actor (村会计冒领, 村支书截留): that village's own matter even when another village's
# letter tells the same kind of story. A village *body* collecting a charge (村委会收押金) may follow a town's rule.
_CADRE_RE = re.compile(
    r"(?<!镇)村干部|村支书|村书记|村主任|村长|村会计|村报账员|报账员|村出纳|村委委员|村委会主任|村党支部|村两委|社区书记"
    r"|社区主任|妇女主任|村妇联|村监委|村民小组长|小组长"
)


# A register's 被反映人 column often names a unit (角美镇林业站) or a unit's post (书洋镇林业站站长),
# not a person.
_UNIT_END_RE = re.compile(
    r"(?:局|所|站|政府|公司|委员会|村委会|居委会|中心|办|合作社|学校|中学|小学|幼儿园|医院|卫生院|厂|场|队|社区|街道"
    r"|银行|信用社|集团|党委|党支部|管委会|办事处)$"
)


def _unit_not_person(raw: str) -> bool:
    """True when a reported "person" is a unit, or only a unit's post with no name (书洋镇林业站站长)."""
    core = re.sub(r"[（(][^）)]*[）)]$", "", raw).strip()
    if _UNIT_END_RE.search(core):
        return True
    m = re.search(r"(?:副?(?:站长|所长|局长|镇长|乡长|主任|书记|院长|校长|队长|经理))$", core)
    return bool(m) and bool(_UNIT_END_RE.search(core[: m.start()])) and len(core[: m.start()]) >= 3


def _person_name(raw: str) -> str:
    name = re.sub(r"[（(][^）)]*[）)]", "", raw).strip()
    return _TITLE_RE.sub("", name) or name


#: Money words and charges of the link gate (planner.analysis.linking).
_CHARGE_TEMPLATE_RATIO = 0.7
_GENERIC_MONEY = frozenset(("补贴", "补助", "补偿款", "资金"))
_LOOSE_CORES = _GENERIC_MONEY | {"红包", "代办费", "工资"}
_MONEY_ENDINGS = ("款", "金", "补贴", "补助", "资金", "津贴", "扶持", "分红", "工资", "欠薪", "空饷")


def _is_money(core: str) -> bool:
    """True for a core word naming money paid out (补偿款, 高龄补贴, 后期扶持), not a nuisance (噪音, 油烟)."""
    return core.endswith(_MONEY_ENDINGS)


def _names_charge(shared: Sequence[str]) -> bool:
    return any(_is_charge(x) for x in shared)


@functools.lru_cache(maxsize=65536)
def _is_charge(word: str) -> bool:
    from planner.analysis.textmine import charge_terms

    charges = charge_terms()
    return word in charges or any(c in word for c in charges)


def _unit_type(unit: str, prefixes: Sequence[str]) -> str:
    """The kind of unit without its place (山格镇林业站 -> 林业站); "" for village committees."""
    u = unit.replace("工作站", "站")  # 林业工作站 is the 林业站
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
        | {u[:k] for u in m.units for k in range(1, len(u) + 1) if u[:k] in gaz}  # gazetteer names a unit starts with
        | {"漳州市", "漳州", "县", "市", "区", "镇", "乡"},
        key=len,
        reverse=True,
    )
    # Companies are compared by name (below), not as a kind of unit.
    types = {t for u in m.units if not _COMPANY_RE.search(u) and (t := _unit_type(u, prefixes))}
    reported_units = (*letter.reported_units, *(p for p in letter.reported_persons if _unit_not_person(p)))
    companies = {c for u in (*m.units, *reported_units) if _COMPANY_RE.search(u) and (c := _company_name(u))}
    # A unit in the 被反映人 column (each town's 林业站) is not a named culprit: it must not keep one matter apart.
    persons = {_person_name(p) for p in (*m.persons, *(p for p in letter.reported_persons if not _unit_not_person(p)))}
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
        cadre=bool(_CADRE_RE.search(letter.text)),
    )


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


def _with_learned_villages(letters: Sequence[Letter], infos: Sequence[_PlaceInfo]) -> list[_PlaceInfo]:
    """The letters' places, where a letter of a town names no village but names bare (我们田螺坑的景区收入, 到浯屿的
    客船) the one village that other letters of the register name at that town (田螺坑村): that village added. jieba
    does not cut a bare name its dictionary lacks, so the text alone does not find it. Names under two characters,
    names the dictionary holds as common words (大地, 新村), a name inside a longer one of the town (南山 in 新南山)
    and a town's name (浦南镇 of its 浦南社区) are not read; a name two villages of the town share is not either."""
    from planner.analysis.textmine import _PROPER_TAGS, _word_tags

    tags = _word_tags()
    by_town: dict[str, dict[str, dict[str, str]]] = {}  # town key -> bare name -> village key -> name as written
    for info in infos:
        if len(info.villages) == 1 and info.towns:
            key = info.villages[0]
            name = info.names.get(key) or key.split(":", 1)[-1]
            bare, tag = _key(name), tags.get(_key(name))
            if len(bare) >= 2 and (tag is None or tag.startswith(_PROPER_TAGS)):
                for town in info.towns:
                    by_town.setdefault(town, {}).setdefault(bare, {})[key] = name
    out = list(infos)
    for k, (letter, info) in enumerate(zip(letters, infos, strict=True)):
        if info.villages or not info.towns:
            continue
        names = {b: keys for t in info.towns for b, keys in by_town.get(t, {}).items()}
        text, found = letter.text, []
        for bare in sorted(names, key=len, reverse=True):  # a longer name hides the names inside it
            said = re.compile(re.escape(bare) + r"(?![镇乡县区市]|街道)")  # 浦南镇 is the town, not its 浦南社区
            if said.search(text):
                found.append(bare)
            text = text.replace(bare, "　")
        if len(found) == 1 and len(names[found[0]]) == 1:
            (key, name), = names[found[0]].items()
            out[k] = info._replace(villages=[key], names={**info.names, key: name})
    return out


def _key(name: str) -> str:
    from planner.analysis.textmine import _strip_suffix

    return _strip_suffix(name.strip())


def _place_label(key: str, letter_names: dict[str, str]) -> str:
    return letter_names.get(key, key.split(":", 1)[-1])


def _shared_place(
    a: Letter, ma: Mined, b: Letter, mb: Mined, infos: tuple[_PlaceInfo, _PlaceInfo] | None = None
) -> tuple[str, str]:
    """The most precise place two letters share, by name, and how to say it: ``地点相同`` (one village, or one town
    where neither names a village), ``同一乡镇`` (one town, a village named on one side at least: the letters may be
    at two villages of it), ``同一县区`` (one county, two towns or a town on one side only); ``("", "")`` when none.
    A bare 地点相同 for one county sat beside 不同地点 among the reasons against (walk S). ``infos``: their places as
    the analysis read them (with the villages learned from the register, :func:`_with_learned_villages`)."""
    va, ta, ca, na = infos[0] if infos else _letter_places(a, ma)
    vb, tb, cb, _nb = infos[1] if infos else _letter_places(b, mb)
    for key in va:
        if key in vb:
            return a.village or na.get(key) or key.split(":", 1)[1], "地点相同"
    said = "同一乡镇" if va or vb else "地点相同"
    for key in ta:
        if key in tb:
            if a.town:
                return a.town, said
            kind, value = key.split(":", 1)
            return (_coded_name(value, "town") if kind == "t" else value), said  # a name, never a bare code
    for key in ca:
        if key in cb:
            return _county_name(key), "同一县区"
    return "", ""


def _coded_name(code: str, level: str) -> str:
    """The gazetteer's name of a town (or county) code; the code itself only when the gazetteer lacks it."""
    for name, entry in gazetteer().items():
        if entry.code == code and entry.level == level and entry.name == name:
            return name
    return code


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


def _place_relation(a: _PlaceInfo, b: _PlaceInfo) -> str:
    """``village`` (a shared village or finer place), ``town`` (shared town, no conflicting villages),
    ``apart`` (places named on both sides, none shared at that level) or ``unknown`` (a side names none)."""
    # The lists are short (mostly one key): no sets are built when a side is empty.
    if a.villages and b.villages and not set(a.villages).isdisjoint(b.villages):
        return "village"
    if a.towns and b.towns and not set(a.towns).isdisjoint(b.towns):
        return "apart-village" if (a.villages and b.villages) else "town"
    if not (a.towns or a.villages or a.counties) or not (b.towns or b.villages or b.counties):
        return "unknown"
    if (
        a.counties and b.counties and not set(a.counties).isdisjoint(b.counties)
        and not ((a.towns or a.villages) and (b.towns or b.villages))
    ):
        return "town"  # one side names only the county: no conflict of place, as close as we can tell
    return "apart"


def _types_match(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two letters name a common kind of unit (新城小区搅拌站 and 搅拌站 are one kind)."""
    return any(x.endswith(y) or y.endswith(x) for x in a for y in b)


def _amount_text(amount: tuple[str, float]) -> str:
    """``("亩", 800.0)`` -> 每亩800元; ``("#万元", 3.5)`` -> 3.5万元: a rate or figure of :attr:`_Evidence.rates` as
    letters write it."""
    unit, value = amount
    v = f"{value:g}"
    return f"{v}{unit[1:]}" if unit.startswith("#") else f"每{unit}{v}元"


def _amounts(a: frozenset[tuple[str, float]], b: frozenset[tuple[str, float]]) -> tuple[tuple[str, ...], ...]:
    """The amounts two letters both give (the same rate or sum: one instance told twice), and the rates for one unit
    that disagree (每亩800元 / 每亩500元: evidence against), as text."""
    rated = {v for u, v in a & b if not u.startswith("#")}  # 每亩800元 is not told again as 800元
    same = tuple(_amount_text(x) for x in sorted(a & b) if not (x[0] == "#元" and x[1] in rated))
    units = sorted({u for u, _ in a} & {u for u, _ in b} - {u for u, _ in a & b})
    other = tuple(
        "、".join(_amount_text(x) for x in sorted(a) if x[0] == u) + " / "
        + "、".join(_amount_text(x) for x in sorted(b) if x[0] == u)
        for u in units if not u.startswith("#")
    )
    return same, other


def _figures_conflict(a: frozenset[tuple[str, float]], b: frozenset[tuple[str, float]]) -> bool:
    """True when both letters give a rate for the same unit (每亩) and no rate agrees."""
    units = {u for u, _ in a} & {u for u, _ in b}
    return any(not ({v for w, v in a if w == u} & {v for w, v in b if w == u}) for u in units)


def _cores_share(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when two letters name a common core matter word (青苗补偿款 contains 补偿款)."""
    if not a or not b:
        return False
    return _cores_share_t(tuple(a), tuple(b))


@functools.cache
def _core_families() -> dict[str, frozenset[int]]:
    """Core word -> the families (line numbers of ``cluster_core_families.txt``) it stands in."""
    from planner.analysis.textmine import _read_lines

    out: dict[str, set[int]] = {}
    for k, line in enumerate(_read_lines("cluster_core_families.txt")):
        for w in line.split():
            out.setdefault(w, set()).add(k)
    return {w: frozenset(v) for w, v in out.items()}


@functools.lru_cache(maxsize=1 << 16)
def _cores_related(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when two letters name a common core word or two core words of one family (租金 / 发包)."""
    if not a or not b:
        return False
    if _cores_share_t(a, b):
        return True
    fam = _core_families()
    fa = frozenset().union(*(fam.get(x, frozenset()) for x in a))
    return any(not fa.isdisjoint(fam.get(y, frozenset())) for y in b)


@functools.lru_cache(maxsize=1 << 18)
def _cores_share_t(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """:func:`_cores_share` on tuples, cached: the link gate asks about the same few core-word sets again and again."""
    # A two-character core (补贴, 质量) inside a longer one says little; 补偿款 in 青苗补偿款 says the same money.
    return any(x == y or (len(x) >= 3 and x in y) or (len(y) >= 3 and y in x) for x in a for y in b)


@functools.lru_cache(maxsize=1 << 16)
def _shared_concepts(ca: tuple[str, ...], cb: tuple[str, ...]) -> tuple[str, ...]:
    """Core matter words of ``ca`` shared with ``cb``, each concept once (补偿款 inside 征地补偿款 is one)."""
    if not ca or not cb:
        return ()
    return tuple(x for x in _top_cores(tuple(ca)) if _cores_share((x,), cb))


@functools.lru_cache(maxsize=65536)
def _top_cores(cores: tuple[str, ...]) -> tuple[str, ...]:
    """Core words not contained in a longer one of the same letter (征地补偿款, not also 补偿款)."""
    return tuple(x for x in cores if not any(x != y and x in y for y in cores))


@functools.lru_cache(maxsize=1 << 16)
def _covers(shared: tuple[str, ...], ca: tuple[str, ...], cb: tuple[str, ...]) -> bool:
    """True when the shared core words are at least half of each letter's core words (its main matter) and
    neither side has a core word of its own that the other lacks (桉树 + 保证金 vs 建房 + 保证金)."""
    if not shared:
        return False
    na = len(_top_cores(tuple(ca)))
    nb = len(_top_cores(tuple(cb)))
    return 2 * len(shared) >= max(na, nb) and not _own_objects(shared, ca, cb)


def _how_taken(core: str) -> bool:
    """A charge, a 红包 or generic money: how money was taken, not what for."""
    return _is_charge(core) or core in _LOOSE_CORES


@functools.lru_cache(maxsize=1 << 16)
def _own_objects(shared: tuple[str, ...], ca: tuple[str, ...], cb: tuple[str, ...]) -> bool:
    """True when each letter names core words the other lacks (桉树 vs 建房), at least as many as they share: one
    charge on two objects, not one matter told with an extra word on each side."""
    # Words of one family (过渡费 / 拆迁) are one matter told from two sides, not two objects.
    # How the money was taken (红包 / 代办费 / 加急费 for one 户口 practice) is no object of its own (dev6, run 73);
    # a deposit kept on one side only is (林权证: 测绘费 at one town, 保证金 not refunded at another).
    deposit = ("保证金" in ca) != ("保证金" in cb)
    only_a = [x for x in ca if not _cores_related((x,), tuple(cb)) and (deposit or not _how_taken(x))]
    only_b = [x for x in cb if not _cores_related((x,), tuple(ca)) and (deposit or not _how_taken(x))]
    return bool(only_a and only_b) and len(shared) <= min(len(only_a), len(only_b))


#: What a place suffers, not its source: a nuisance told on one side only, beside another both name, is another
#: source's matter (a mixing plant's night noise; a barbecue's smoke and noise, at one estate).
_NUISANCES = frozenset("噪音 扰民 油烟 粉尘 异味 臭味 污水 排污 垃圾 烟尘 废气 恶臭 污染".split())


def _own_nuisances(ca: Sequence[str], cb: Sequence[str]) -> tuple[str, ...]:
    """Nuisances (:data:`_NUISANCES`) that one letter names and nothing in the other is related to."""
    return tuple(x for x in ca if x in _NUISANCES and not _cores_related((x,), tuple(cb))) + tuple(
        x for x in cb if x in _NUISANCES and not _cores_related((x,), tuple(ca))
    )


#: Endings of a word naming a works or a business (养猪场, 工厂, 搅拌站, 烧烤店): what a nuisance comes from.
_SOURCE_ENDINGS = ("场", "厂", "站", "店", "馆", "工地")


def _other_sources(ta: Iterable[str], tb: Iterable[str]) -> tuple[str, ...]:
    """The works or businesses two letters name when each names its own and none in common (养猪场 / 工厂), or ()."""
    sa = {t for t in ta if len(t) >= 2 and t.endswith(_SOURCE_ENDINGS)}
    sb = {t for t in tb if len(t) >= 2 and t.endswith(_SOURCE_ENDINGS)}
    return (*sorted(sa), *sorted(sb)) if sa and sb and sa.isdisjoint(sb) else ()


def _office_programme(ca: Sequence[str], cb: Sequence[str], wa: Iterable[str] = (), wb: Iterable[str] = ()) -> bool:
    """True when both letters name one programme the office listed (设置 › 公共项目名称) as a core or topic word.

    Listing a programme is the office saying that its money going wrong at several villages is one county- or
    city-wide matter, even where village cadres handle it (each village stays its own hotspot); the shipped
    programmes keep the rule that a village cadre's doing at a named village is that village's own matter."""
    listed = office_programmes()
    if not listed:
        return False
    if ca and cb and any(x in listed for x in _shared_concepts(tuple(ca), tuple(cb))):
        return True
    return any(t in listed for t in set(wa) & set(wb))


#: A programme's money going astray: kept, docked, drawn in others' names (the dead's), claimed for nothing, unpaid.
_ASTRAY_RE = re.compile(
    r"冒领|代领|顶领|截留|克扣|扣发|扣留|扣除|扣了|被扣|每亩扣|每户扣|每人扣|少发|未发|没发|不发|停发|没有发|未足额|挪用|侵占"
    r"|私吞|私分|贪污|套取|骗取|虚报|还在领|继续领|照领|领走|占为己有|没有分|未分配|没有兑现|未兑现|拖欠|去向不明"
    r"|只给了?我?|只发了?|只拿到|少给|没给|不给|少拿|也领了?|也在领|照样领|冒名|顶替|扣下|扣掉|扣走"
    r"|还在.{0,4}领|继续.{0,4}领|替.{0,3}领|领去|拿走|拿去|取走|扣作|打到他|没拨|只到|没拿到|挪去|挪作|被谁拿|骗补"
    r"|人在领|比公示的少|发到手.{0,6}少|(?:去世|过世|死了|已故|死人).{0,20}(?:还|仍|继续|照样).{0,6}(?:发|领|打钱)"
    # Claimed falsely or diverted, in a petitioner's own words (run 71, dev5): 报成茶园, 多报, 钱进了他的账户.
    r"|报成|报大|多报|名[字义].{0,12}领|进了.{0,8}(?:账户|账上|腰包|口袋|卡)|到手只有|去哪了|哪里去了|在谁手里|没收到"
    r"|没分下来|还没分|分掉|钱.{0,4}分了|根本没(?:种|建|挖|做|搬|倒|上)|照样.{0,4}领|把钱领|拖了.{0,3}[年月]"
    # Docked or held back in other words (run 74, dev6): 先扣一千块, 扣三成, 扣在村里, 没到账, 说早就发了.
    r"|先扣|扣[一二两三四五六七八九几百千0-9]|扣在|没到账|未到账|交一部分|早就(?:发|拨|打)[^，。]{0,4}了"
    # Taken by someone, in plain words (walk W28: 危房改造补助款被村主任拿了一半).
    r"|被[^，。；]{0,8}?(?:拿了|吞了|吞掉|吃了|吃掉|贪了|占了)"
)
#: Choosing who gets a benefit (优亲厚友, 人情保): favouritism at one village is that village's own matter.
_FAVOUR_RE = re.compile(r"优亲厚友|关系保|人情保|关系户|评不上|评不到|评上|名额|不符合条件|不够条件|小车|楼房|纳入")


def _astray_programmes(ca: Sequence[str], cb: Sequence[str], ta: str, tb: str,
                       wa: Iterable[str] = (), wb: Iterable[str] = ()) -> tuple[str, ...]:
    """The shipped public programmes (高龄补贴, 青苗补偿款, 光伏) both letters name when both say its money was kept,
    docked, drawn for the dead or claimed for nothing and neither is about who was chosen for it; () otherwise."""
    progs = programme_terms()
    pa, pb = [x for x in ca if x in progs], [x for x in cb if x in progs]
    # Named in both, or two of one family (耕地地力保护补贴 / 种粮补贴); 补偿款 alone is no programme.
    named = sorted({*(set(pa) & set(pb)), *(set(wa) & set(wb) & progs)}) or (
        [*pa, *pb] if pa and pb and _cores_related(tuple(pa), tuple(pb)) else []
    )
    if not named and not (pa and pb):  # two listed programmes of their own are two matters, whatever else is shared
        sa, sb = named_schemes(ta), named_schemes(tb)
        named = sorted({x if len(x) <= len(y) else y for x in sa for y in sb if x in y or y in x})  # 沼气 / 沼气池
    if not named or not all(_ASTRAY_RE.search(t) and not _FAVOUR_RE.search(t) for t in (ta, tb)):
        return ()
    return tuple(named)


#: Words naming a programme's money: the words just before one name the programme (茶园改造补助, 沼气池补贴).
_SCHEME_MONEY_RE = re.compile(
    r"补助款|补助金|补助资金|补助|补贴款|补贴金|补贴|资助金|资助|扶持资金|奖补资金|奖补|生活费|津贴|搬迁款|补偿款|补偿金"
)
_CLAUSE_END_RE = re.compile(r"[，。、；：！？,.;:!?\s“”\"（）()]")
#: Words before a programme's money that do not name it: amounts, times, people, cadres' own allowances (误工补贴 at
#: three villages is three villages' matters), generic works (改造, 建设) and what letters say around it.
_NOT_SCHEMES = frozenset(
    """
    每亩 每户 每人 每月 每年 国家 上面 上级 政府 村里 镇里 乡里 县里 这笔 那笔 本来 说是 一笔 这个 那个 我们 他们 自己
    改造 建设 修复 困难 生活 基本 项目 专项 扶持 发展 提升 工作 误工 过节 交通 值班 开会 加班 电话 通讯 伙食 一次性 补缴
    资金 相关 有关 各种 各项 所有 全部 应得 应该 规定 政策 标准 部分 剩下 剩余 多少 保护 名单 发放 申报 申请 冒领 反映
    说好 帮忙 名字 名义 孩子 小孩 家庭 出来 免费 还有 园长 乡政府 镇政府 村委 村委会 干部 村干部 困难户 贫困户 脱贫户
    农户 群众 村民 老人 每个 这次 那次 去年 今年 前年 当时 之前 以前 后来 现在 一直 还是 就是 其他 别的 上回 上次
    会计 出纳 文书 补助 补贴 按规定 社员 有的 那些 这些 拿去 领去 领走 拿走 拿了 领了 报了
    """.split()
)
#: jieba's tags of words that name no programme (places, numbers, pronouns, adverbs ...); its other tags are unsure
#: here (孤儿 is tagged a person's name, 水毁 a verb).
_NOT_SCHEME_TAGS = ("ns", "m", "q", "r", "d", "p", "c", "u", "t", "y", "e")


@functools.lru_cache(maxsize=1 << 16)
def named_schemes(text: str) -> frozenset[str]:
    """The words naming programmes whose money a letter speaks of (茶园, 沼气池, 孤儿 before 补助, 补贴, 生活费), up
    to two per mention, read from the text itself: a programme neither the shipped nor the office's list holds."""
    tags, tk, out = _word_tags(), tokenizer(), set()
    for m in _SCHEME_MONEY_RE.finditer(text):
        before = _CLAUSE_END_RE.split(text[max(0, m.start() - 9) : m.start()])[-1].removesuffix("的")
        kept = 0
        for w in reversed(tk.lcut(before, HMM=False)):
            if kept == 2:
                break
            if len(w) >= 2 and w not in _NOT_SCHEMES and not (tags.get(w) or "x").startswith(_NOT_SCHEME_TAGS):
                out.add(w)
                kept += 1
    return frozenset(out)


def _other_schemes(ta: str, tb: str) -> str:
    """``"水毁 / 沼气"`` when both letters name the programme of their money (:func:`named_schemes`) and no word of
    one is in a word of the other; "" otherwise."""
    sa, sb = named_schemes(ta), named_schemes(tb)
    if not sa or not sb or any(x in y or y in x for x in sa for y in sb):
        return ""
    return "、".join(sorted(sa)) + " / " + "、".join(sorted(sb))


#: Money demanded for a service, in a petitioner's words: a named charge, a 红包, an amount taken or to be paid (收八十,
#: 要交六百; an amount alone is a price or a compensation, not a demand: demo seed 7's 光伏 land at 每亩130000元).
_DEMAND_RE = re.compile(
    r"收取|收费|要交|交钱|要钱|红包|好处费|喝茶"
    r"|(?:收|交|要)[^，。；]{0,8}?[0-9一二两三四五六七八九十百千几]{2,}"
)


def _unit_charges(shared: Sequence[str], ca: Sequence[str], cb: Sequence[str], ta: str, tb: str) -> str:
    """One kind of unit taking money for one service at several places (派出所 and 户口: 加急费 at one, a 红包 at
    another, 代办费 at a third) is one practice, however little else the letters share: the reason, or ""."""
    objects = [x for x in shared if not (_how_taken(x) or _is_money(x))]
    if not objects or _own_objects(tuple(shared), tuple(ca), tuple(cb)):
        return ""
    if not all(_DEMAND_RE.search(t) or any(_is_charge(x) for x in c) for t, c in ((ta, ca), (tb, cb))):
        return ""
    return "同类单位、同一事项收费：" + "、".join(objects[:2])


def astray_keys(cores: Sequence[str], text: str) -> frozenset[str]:
    """Keys of the public programmes a letter says money of went astray (the programme, its families): letters
    sharing one are candidates for :func:`_astray_programmes` however far apart their words are (种粮补贴 /
    耕地地力保护补贴), and only the rules decide. Empty for a letter about who was chosen, or naming no programme."""
    progs = programme_terms() | office_programmes()
    named = [x for x in cores if x in progs]
    if not (named or _SCHEME_MONEY_RE.search(text)) or not _ASTRAY_RE.search(text) or _FAVOUR_RE.search(text):
        return frozenset()
    fam = _core_families()
    return frozenset([*(f"p:{x}" for x in named), *(f"f:{k}" for x in named for k in fam.get(x, ())),
                      *(f"s:{w}" for w in named_schemes(text))])


def _programme_astray(ca: Sequence[str], cb: Sequence[str], ta: str, tb: str,
                      wa: Iterable[str] = (), wb: Iterable[str] = ()) -> bool:
    """True when both letters tell one public programme's money going astray: the office listed the programme
    (:func:`_office_programme`), or :func:`_astray_programmes` finds one.

    Such money leaking at several villages is one matter for the office (one 专项整治), even where village cadres
    handle it; each village stays its own hotspot. Favouritism in choosing recipients (低保 given to relatives) and
    a cadre's own conduct stay each village's matter."""
    return _office_programme(ca, cb, wa, wb) or bool(_astray_programmes(ca, cb, ta, tb, wa, wb))
