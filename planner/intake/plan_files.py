"""teams.csv and visits.csv as people write them: Chinese column names (组号, 组名, 成员, 专长 …) read as the planner's."""

from __future__ import annotations

import ast
import csv
import io
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from planner.errors import InputError

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


def _read(path: str | Path, synonyms: Mapping[str, tuple[str, ...]], reader: Callable[[Path], list]) -> list:
    """Run ``reader`` on a copy of ``path`` whose header row uses the planner's names; errors name ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = path.read_text(encoding="gb18030")  # saved from Excel on a Chinese Windows
        except UnicodeDecodeError:
            raise InputError(f"文件 {path} 不是 UTF-8 或 GBK 编码的文本文件") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise InputError(f"文件 {path} 是空的")
    mapping = header_map([h.strip() for h in rows[0]], synonyms)
    wanted = {v: k for k, v in mapping.items()}
    header = [mapping.get(h.strip(), h.strip()) for h in rows[0]]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        with copy.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows([header, *rows[1:]])
        try:
            return reader(copy)
        except InputError as exc:
            message = str(exc).replace(str(copy), str(path))
            # Name the column as the file does (基地经度), not only as the planner calls it (depot_lon).
            for col, written in sorted(wanted.items(), key=lambda kv: -len(kv[0])):
                if written != col:
                    message = re.sub(rf"(?<![\w]){re.escape(col)}(?![\w])", f"{col}（{written}）", message)
            missing = re.search(r"(?:missing column\(s\)|缺少列) (\[[^\]]*\])", message)
            if missing:
                cols = ast.literal_eval(missing.group(1))
                message += "；可写作：" + "；".join(f"{c} = {'、'.join(synonyms.get(c, ()))}" for c in cols)
            raise InputError(message) from None


def read_teams(path: str | Path) -> list:
    """Teams from a teams.csv with the planner's or Chinese column names (组号, 组名, 基地经度, 成员, 专长 …).

    Skills are accepted by their Chinese names or codes (林业 = forestry).

    Raises
    ------
    InputError
        Naming the file, row and column (as written in the file) of a bad value, or a missing column.
    """
    from planner.routing.planio import read_teams_csv

    return _read(path, TEAMS_HEADERS, read_teams_csv)


def read_visits(path: str | Path) -> list:
    """Visits from a visits.csv with the planner's or Chinese column names (编号, 经度, 纬度, 优先级 …).

    Values may be Chinese too: 优先级 必访, 类型 核查/回访/澄清/座谈 (``must``, ``investigation`` … in older files).

    Raises
    ------
    InputError
        Naming the file, row and column of a bad value, or a missing column.
    """
    from planner.routing.planio import read_visits_csv

    return _read(path, VISITS_HEADERS, read_visits_csv)
