"""Names people read instead of codes: teams (T1 → 第一检查组), members (M11 → 王志强), same-day groups, skills."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from planner.domain import Team, Visit
from planner.vocabulary import SKILLS

#: Parts of a same-day group code that are codes, not names: issue/hotspot ids (I0142) and place codes (350628101).
_CODE_PART = re.compile(r"^(?:[A-Za-z]{1,3}\d+|\d{6,12})$")
_ORDINALS = "一二三四五六七八九十"
_SKILL_NAMES = {t.code: t.name for t in SKILLS}


def team_names(teams: Iterable[Team]) -> dict[str, str]:
    """Team name by team id (a team without a name keeps its id)."""
    return {t.team_id: t.name or t.team_id for t in teams}


def member_names(teams: Iterable[Team]) -> dict[str, str]:
    """Member name by member id, over all ``teams`` (a member without a name is called so, never by id)."""
    return {m.member_id: m.name or "未填姓名的成员" for t in teams for m in t.members}


def members_text(member_ids: Iterable[str], names: Mapping[str, str]) -> str:
    """Members to avoid, by name: those of ``names`` (the teams in view) by name, any other only counted —
    a member id (M21, m3fa…) is never shown."""
    ids = list(member_ids)
    known = [names[m] for m in ids if m in names]
    others = len(ids) - len(known)
    return "、".join([*known, *([f"其他组成员 {others} 人"] if others else [])])


def skill_names(codes: Iterable[str]) -> str:
    """Skills by their Chinese names, joined with 、 (``forestry`` → 林业)."""
    return "、".join(_SKILL_NAMES.get(c, c) for c in codes)


def _town_name(code: str) -> str:
    import geodata

    try:
        return geodata.town_by_code(code).name
    except ValueError:
        return ""


def _group_place(group: str) -> str:
    """The place a group code names: its name parts (土田村), else the town its code stands for."""
    parts = [p for p in group.split("@") if p]
    names = [p for p in parts if not _CODE_PART.match(p)]
    if names:
        return names[-1]
    towns = [_town_name(p) for p in parts if p.isdigit() and len(p) in (9, 12)]
    return next((t for t in towns if t), "")


def group_names(visits: Iterable[Visit]) -> dict[str, str]:
    """A readable name for every same-day group of ``visits``.

    A group built by 选件 (``I0142@土田村@350628101``: issue, place, town code) becomes ``土田村同日走访组``; two
    groups at one place are told apart as ``…（二）``. A group named by a person in a visits.csv keeps its name
    unless it is only a code.

    Parameters
    ----------
    visits
        The visits (their ``group`` fields are read).

    Returns
    -------
    dict[str, str]
        Name by group code.
    """
    codes = list(dict.fromkeys(v.group for v in visits if v.group))
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for code in codes:
        if "@" not in code and not _CODE_PART.match(code):
            out[code] = code  # a person's own name for the group
            continue
        base = f"{_group_place(code)}同日走访组"
        n = seen.get(base, 0)
        seen[base] = n + 1
        out[code] = base if n == 0 else f"{base}（{_ORDINALS[n] if n < len(_ORDINALS) else n + 1}）"
    return out


def readable(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every code in ``names`` replaced by its name (longest codes first, so T1 never eats T10)."""
    for code in sorted(names, key=len, reverse=True):
        if code and code != names[code]:
            text = text.replace(code, names[code])
    return text


def priority_label(visit: Visit) -> str:
    """优先级 as text: 必访 or the 1–5 score (one type, so a table column never mixes numbers and words)."""
    return "必访" if visit.must else str(visit.priority)


def visits_table(visits: Iterable[Visit], teams: Iterable[Team]) -> list[dict[str, object]]:
    """选件's table of visits: names, never codes; every column of one type (优先级 is text)."""
    visits, teams = list(visits), list(teams)
    team_name, member_name, group_name = team_names(teams), member_names(teams), group_names(visits)
    return [
        {
            "走访点": v.visit_id,
            "地点": v.label,
            "信访件": "、".join(v.case_nos),
            "类型": v.visit_type.label,
            "时长(分钟)": int(v.service_min),
            "优先级": priority_label(v),
            "最迟日期": v.latest_date.isoformat() if v.latest_date else "",
            "所需专长": skill_names(v.skills),
            "回避人员": members_text(v.excluded_members, member_name),
            "同日组": group_name.get(v.group, v.group),
            "指定组": team_name.get(v.team_id, v.team_id),
        }
        for v in visits
    ]
