"""What a save on the 检查组 page changed, old → new, in words for the audit log (walk W27: «修改检查组「南靖平和组」：
成员 2 人» said neither that the team was renamed from 第一检查组 nor who joined or left, nor that skills, days, hours
or the base changed)."""

from __future__ import annotations

from planner.domain import Team, TeamMember, hhmm
from planner.vocabulary import skill_names


def _county(code: str) -> str:
    if not code:
        return "未填"
    import geodata

    return next((c.name for c in geodata.counties() if c.code == code), code)


def _skills(codes: tuple[str, ...]) -> str:
    return skill_names(codes) or "无"


def _base(t: Team) -> str:
    return t.base_name or f"{t.base_lon:.4f}, {t.base_lat:.4f}"


def _break(t: Team) -> str:
    if not t.has_break:
        return "无"
    return f"{hhmm(t.break_earliest_min)}–{hhmm(t.break_latest_min)} 开始 {t.break_min} 分钟"


def _limit(value: int | None, unit: str) -> str:
    return f"{value} {unit}" if value else "不限"


def _dates(before: tuple, after: tuple) -> str:
    if not before or not after:
        def said(ds: tuple) -> str:
            return "、".join(f"{d:%m-%d}" for d in ds) if ds else "每个工作日"
        return f"可出行日期 {said(before)} → {said(after)}"
    added = sorted(set(after) - set(before))
    gone = sorted(set(before) - set(after))
    parts = ([f"增加 {'、'.join(f'{d:%m-%d}' for d in added)}"] if added else []) + (
        [f"去掉 {'、'.join(f'{d:%m-%d}' for d in gone)}"] if gone else [])
    return "可出行日期" + "，".join(parts)


def _member(old: TeamMember, new: TeamMember) -> list[str]:
    said = []
    if old.name != new.name:
        said.append(f"成员 {old.name} 改名为 {new.name}")
    who = new.name or old.name
    if old.skills != new.skills:
        said.append(f"{who}的专长 {_skills(old.skills)} → {_skills(new.skills)}")
    if old.hometown_county_code != new.hometown_county_code:
        said.append(f"{who}的籍贯区县 {_county(old.hometown_county_code)} → {_county(new.hometown_county_code)}")
    if (old.hometown_town_code, old.former_postings, old.relations) != (
            new.hometown_town_code, new.former_postings, new.relations):
        said.append(f"{who}的回避信息已修改")
    return said


def team_changes(before: Team | None, after: Team, *, was_active: bool = True, active: bool = True) -> list[str]:
    """Each change from ``before`` (the team as saved) to ``after``, one phrase each (``组名 第一检查组 → 南靖平和组``,
    ``加入 张伟、李娜``, ``组的专长 无 → 林业``); a new team (``before`` None) lists its members and skills."""
    if before is None:
        said = [f"成员 {'、'.join(m.name for m in after.members)}"] if after.members else []
        if after.skills:
            said.append(f"组的专长 {_skills(after.skills)}")
        return said
    said = []
    if before.name != after.name:
        said.append(f"组名 {before.name} → {after.name}")
    old = {m.member_id: m for m in before.members}
    new = {m.member_id: m for m in after.members}
    if joined := [m.name for m in after.members if m.member_id not in old]:
        said.append(f"加入 {'、'.join(joined)}")
    if left := [m.name for m in before.members if m.member_id not in new]:
        said.append(f"移出 {'、'.join(left)}")
    for m in after.members:
        if m.member_id in old:
            said.extend(_member(old[m.member_id], m))
    if before.skills != after.skills:
        said.append(f"组的专长 {_skills(before.skills)} → {_skills(after.skills)}")
    if _base(before) != _base(after):
        said.append(f"基地 {_base(before)} → {_base(after)}")
    if (before.shift_start_min, before.shift_end_min) != (after.shift_start_min, after.shift_end_min):
        said.append(f"上下班 {hhmm(before.shift_start_min)}–{hhmm(before.shift_end_min)} → "
                    f"{hhmm(after.shift_start_min)}–{hhmm(after.shift_end_min)}")
    if _break(before) != _break(after):
        said.append(f"午休 {_break(before)} → {_break(after)}")
    if before.available_dates != after.available_dates:
        said.append(_dates(before.available_dates, after.available_dates))
    if before.max_visits_per_day != after.max_visits_per_day:
        said.append(f"每日最多走访点 {_limit(before.max_visits_per_day, '个')} → "
                    f"{_limit(after.max_visits_per_day, '个')}")
    if before.max_drive_min != after.max_drive_min:
        said.append(f"每日最长车程 {_limit(before.max_drive_min, '分钟')} → {_limit(after.max_drive_min, '分钟')}")
    if was_active != active:
        said.append("启用" if active else "停用")
    return said


__all__ = ["team_changes"]
