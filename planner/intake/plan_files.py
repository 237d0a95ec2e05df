"""teams.csv and visits.csv as people write them: Chinese headers (组号, 组名, 成员, 专长 …) read as the planner's."""

from __future__ import annotations

import ast
import csv
import io
import re
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from planner.errors import InputError

# The column names people write (组号, 编号, 经度 …) live with the rest of the office's words in planner.vocabulary
# (the routing readers use them too, and must not import this module back).
from planner.vocabulary import TEAMS_HEADERS, VISITS_HEADERS, header_map


def _read(path: str | Path, synonyms: Mapping[str, tuple[str, ...]], reader: Callable[[Path], list],
          shown_as: str | None = None) -> list:
    """Run ``reader`` on a copy of ``path`` whose header row uses the planner's names; errors name ``path`` (or
    ``shown_as``: an uploaded file's own name, not the temporary copy the page wrote)."""
    path = Path(path)
    if shown_as:
        try:
            return _read(path, synonyms, reader)
        except InputError as exc:
            raise InputError(str(exc).replace(str(path), shown_as)) from None
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
            # Name the column as the file does (基地经度), not as the planner calls it (depot_lon).
            for col, written in sorted(wanted.items(), key=lambda kv: -len(kv[0])):
                if written != col:
                    message = re.sub(rf"(?<![\w]){re.escape(col)}(?![\w])", written, message)
            missing = re.search(r"(?:missing column\(s\)|缺少列) (\[[^\]]*\])", message)
            if missing:
                cols = ast.literal_eval(missing.group(1))
                named = "、".join(f"{(synonyms.get(c) or (c,))[0]}（{c}）" for c in cols)
                message = (message[:missing.start()] + f"缺少列 {named}" + message[missing.end():]
                           + "；列名可写作：" + "；".join("、".join((*synonyms.get(c, ()), c)) for c in cols))
            raise InputError(message) from None


def read_teams(path: str | Path, *, shown_as: str | None = None) -> list:
    """Teams from a teams.csv with the planner's or Chinese column names (组号, 组名, 基地经度, 成员, 专长 …).

    Skills are accepted by their Chinese names or codes (林业 = forestry).

    Raises
    ------
    InputError
        Naming the file, row and column (as written in the file) of a bad value, or a missing column.
    """
    from planner.routing.planio import read_teams_csv

    return _read(path, TEAMS_HEADERS, read_teams_csv, shown_as)


def read_visits(path: str | Path, *, shown_as: str | None = None) -> list:
    """Visits from a visits.csv with the planner's or Chinese column names (编号, 经度, 纬度, 优先级 …).

    Values may be Chinese too: 优先级 必访, 类型 核查/回访/澄清/座谈 (``must``, ``investigation`` … in older files).

    Raises
    ------
    InputError
        Naming the file, row and column of a bad value, or a missing column.
    """
    from planner.routing.planio import read_visits_csv

    return _read(path, VISITS_HEADERS, read_visits_csv, shown_as)
