"""The office's vocabulary: skills and problem categories with Chinese names and codes, accepted either way.

Skills are stored as codes (``forestry``), categories as their Chinese names (``林业``): both are what the rest of
the library already uses. Every reader (CSV, form, register) passes what a person wrote through
:func:`skill_code` / :func:`category_name`, so ``林业;财务``, ``forestry;finance`` and ``林业、finance`` mean the
same, and people always read the Chinese name (:func:`skill_name`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from planner.errors import InputError


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of the vocabulary: a code, the Chinese name people read, and other ways people write it."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()


#: What a visit may require of a team (专长).
SKILLS: tuple[Term, ...] = (
    Term("forestry", "林业", ("林业执法", "林权", "林政")),
    Term("finance", "财务", ("财会", "会计", "财务审核", "资金", "扶贫")),
    Term("land", "土地", ("国土", "自然资源", "征地", "土地管理")),
    Term("social", "民政社保", ("民政", "社保", "社会保障", "低保")),
    Term("engineering", "工程", ("工程建设", "建设工程", "工程造价")),
    Term("environment", "环保", ("环境", "生态环境", "环境保护")),
    Term("audit", "审计", ()),
    Term("law", "法律", ("法务", "法规")),
)

#: Problem categories (问题类别) of a letter; the name is what is stored.
CATEGORIES: tuple[Term, ...] = (
    Term("poverty_funds", "扶贫资金", ("扶贫", "乡村振兴资金")),
    Term("forestry", "林业", ("林业问题",)),
    Term("land_acquisition", "征地拆迁", ("征地", "拆迁", "征收拆迁")),
    Term("minimum_living", "低保", ("低保问题", "社会救助")),
    Term("village_finance", "村务财务", ("村务", "村财", "三资", "三资管理", "农村集体三资", "农村集体三资管理")),
    Term("construction", "工程建设", ("工程", "工程项目")),
    Term("environment", "环境", ("环保", "生态环境", "环境保护")),
    Term("conduct", "干部作风", ("作风", "作风问题", "四风")),
    Term("farm_subsidy", "惠农补贴", ("惠民惠农", "惠农资金", "补贴")),
    Term("medical_social", "医疗社保", ("医保", "社保", "医疗")),
    Term("education", "教育", ()),
    Term("land_dispute", "土地纠纷", ("山林土地纠纷", "宅基地")),
    Term("other", "其他", ("其它",)),
)

_SEPARATORS = re.compile(r"[;；,，、/|\s]+")


#: Quotation marks an office writes around a term (农村集体“三资”管理): the same word without them.
_QUOTES = str.maketrans("", "", "“”‘’「」『』\"'")


def _norm(text: object) -> str:
    return unicodedata.normalize("NFKC", str(text or "")).translate(_QUOTES).strip().lower()


def normalized_term(text: object) -> str:
    """A term as the vocabulary compares it (NFKC, without quotation marks and spaces at the ends, lower case)."""
    return _norm(text)


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for t in terms:
        for key in (t.code, t.name, *t.aliases):
            out.setdefault(_norm(key), t)
    return out


_SKILL_INDEX = _index(SKILLS)
_CATEGORY_INDEX = _index(CATEGORIES)
_SKILL_BY_CODE = {t.code: t for t in SKILLS}
_CATEGORY_BY_NAME = {t.name: t for t in CATEGORIES}


def split_terms(text: str) -> tuple[str, ...]:
    """Split ``林业;财务``, ``林业、财务``, ``forestry, finance`` into its parts (empty parts dropped)."""
    return tuple(p for p in _SEPARATORS.split(unicodedata.normalize("NFKC", text or "").strip()) if p)


def skill_code(text: str) -> str:
    """The code of a skill written as code, Chinese name or alias; an unknown skill is kept as written."""
    term = _SKILL_INDEX.get(_norm(text))
    return term.code if term else str(text).strip()


def skill_codes(values: Iterable[str] | str) -> tuple[str, ...]:
    """Codes of several skills (a string is split first), without duplicates, in the order given."""
    items = split_terms(values) if isinstance(values, str) else values
    return tuple(dict.fromkeys(c for c in (skill_code(v) for v in items) if c))


def skill_name(code: str) -> str:
    """The Chinese name of a skill code (an unknown skill is shown as written)."""
    term = _SKILL_BY_CODE.get(code) or _SKILL_INDEX.get(_norm(code))
    return term.name if term else str(code)


def skill_names(codes: Iterable[str]) -> str:
    """Chinese names joined with 、 (for people)."""
    return "、".join(skill_name(c) for c in codes)


def category_name(text: str) -> str:
    """The stored (Chinese) name of a category written as name, code or alias; unknown ones are kept as written."""
    term = _CATEGORY_INDEX.get(_norm(text))
    return term.name if term else str(text or "").strip()


def category_code(name: str) -> str:
    """The code of a category (an unknown category gives "")."""
    term = _CATEGORY_INDEX.get(_norm(name))
    return term.code if term else ""


def known_category(name: str) -> bool:
    """True when ``name`` is one of :data:`CATEGORIES` (by name, code or alias)."""
    return _norm(name) in _CATEGORY_INDEX


def category_names() -> tuple[str, ...]:
    """Every category's Chinese name, in vocabulary order."""
    return tuple(t.name for t in CATEGORIES)


# --- column names of teams.csv and visits.csv as people write them ---------------------------------------------

#: The planner's column -> the names people write for it (compared without spaces and bracketed units).
TEAMS_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("组号", "编号", "组编号", "检查组编号", "代码"),
    "name": ("组名", "名称", "检查组", "检查组名称", "组名称"),
    "depot_lon": ("基地经度", "出发地经度", "驻地经度", "经度"),
    "depot_lat": ("基地纬度", "出发地纬度", "驻地纬度", "纬度"),
    "shift_start": ("上班时间", "出发时间", "班次开始", "开始时间", "工作开始"),
    "shift_end": ("下班时间", "返回时间", "班次结束", "结束时间", "工作结束"),
    "break_earliest": ("午休最早", "午休最早开始", "午休开始", "最早午休"),
    "break_latest": ("午休最晚", "午休最晚开始", "最晚午休"),
    "break_min": ("午休分钟", "午休时长", "午休分钟数"),
    "skills": ("专长", "技能", "专业", "所需专长"),
    "max_visits_per_day": ("每日最多走访点", "每天最多走访点", "每日最多走访", "每日最多"),
    "max_drive_min": ("每日最长车程", "最长车程", "每天最长车程"),
    "dates": ("出行日期", "可出行日期", "日期"),
    "members": ("成员", "组员", "人员"),
    "base_name": ("基地", "出发地", "驻地", "基地名称"),
}
VISITS_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("编号", "走访点", "走访点编号"),
    "lon": ("经度",),
    "lat": ("纬度",),
    "service_min": ("核查分钟", "核查时长", "时长", "走访时长"),
    "priority": ("优先级",),
    "earliest_date": ("最早日期", "最早走访日期"),
    "latest_date": ("最迟日期", "最晚日期", "期限"),
    "window_start": ("时间窗开始", "最早到达"),
    "window_end": ("时间窗结束", "最晚结束"),
    "skills": ("所需专长", "专长", "技能"),
    "team": ("指定组", "检查组"),
    "date": ("指定日期",),
    "group": ("同日组",),
    "label": ("地点", "名称"),
    "case_nos": ("信访件", "信访件编号", "案件编号"),
    "visit_type": ("类型", "走访类型"),
    "excluded_members": ("回避人员编号", "回避人员", "回避"),
}
_UNIT = re.compile(r"[（(][^）)]*[）)]")


def _key(header: str) -> str:
    return _UNIT.sub("", re.sub(r"\s+", "", header)).lower()


def header_map(headers: list[str], synonyms: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """The planner's column for each header in ``headers`` that names one (English names map to themselves).

    Raises
    ------
    InputError
        When two headers name the same column.
    """
    lookup = {_key(col): col for col in synonyms}
    lookup.update({_key(name): col for col, names in synonyms.items() for name in names})
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for header in headers:
        col = lookup.get(_key(header or ""))
        if col is None:
            continue
        if col in seen:
            raise InputError(f"列 {header!r} 与列 {seen[col]!r} 指的是同一项（{col}），请只保留一列")
        seen[col] = header
        out[header] = col
    return out
