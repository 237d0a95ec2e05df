"""How a register sheet is laid out around its letters: a header over two rows, total and signature rows below."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from planner.domain import HANDLING_DAYS
from planner.errors import InputError
from planner.intake.columns import (
    _BARE_UNIT_HEADERS,
    FIELD_BY_KEY,
    HEADER_SEARCH_ROWS,
    OFFICE_SIDE,
    _field_for,
    _find_header,
    _norm_header,
    is_row_ref_header,
)
from planner.intake.rows import parse_date

#: Words a sub-header row holds under a group label (信访人 | 被反映对象) besides the headers of a field.
_SUB_LABELS = frozenset({"姓名", "名称", "职务", "单位", "性别", "年龄", "身份", "职业", "住址", "地址", "电话",
                         *(_norm_header(h) for h in _BARE_UNIT_HEADERS)})
#: Endings of a group label that say only "about": 被反映对象 + 姓名 reads 被反映人姓名.
_GROUP_ENDINGS = ("基本情况", "基本信息", "情况", "信息", "对象")
#: A row below the letters that is none: totals, remarks and the signatures of who filled in and checked the form.
_TOTAL_RE = re.compile(r"^(合计|总计|小计|共计|累计|总数)")
_REMARK_RE = re.compile(r"^(备注|附注|注|说明)(?:[:：]|$)")
_SIGNED_RE = re.compile(r"^(填表人|填报人|制表人|审核人|审批人|负责人|经办人|统计人|签发人|填表日期|制表日期|报送日期)")


def _label(value: object) -> str | None:
    if value is None:
        return None
    text_ = str(value).replace("\n", "").strip()
    return text_ or None


def header_word(value: object) -> bool:
    """True when a cell reads as a column header (信访人, 联系电话, 单位及职务, 序号), not as a letter's value."""
    text_ = _label(value)
    if text_ is None or len(text_) > 16 or isinstance(value, int | float):
        return False
    return bool(_field_for(text_)[0]) or _norm_header(text_) in _SUB_LABELS or is_row_ref_header(text_)


def _join(group: str, sub: str) -> str:
    """A group label and the label under it as one header: 信访人 + 联系电话 -> 信访人联系电话,
    被反映对象 + 姓名 -> 被反映人姓名, 被反映对象 + 单位及职务 -> 被反映单位及职务."""
    if _norm_header(sub).startswith(_norm_header(group)):
        return sub  # 信访人 over 信访人姓名
    base, about = group, False
    for ending in _GROUP_ENDINGS:
        if group.endswith(ending) and len(group) > len(ending):
            base, about = group[: -len(ending)], ending == "对象"
            break
    if base != group and _norm_header(sub).startswith(_norm_header(base)):
        return sub  # 来信情况 over 来信编号: 来信编号, not 来信来信编号
    if about and _norm_header(sub) in ("姓名", "名称") and not base.endswith("人"):
        base += "人"
    return base + sub


def _groups(upper: Sequence[object], lower: Sequence[object], width: int, top: int,
            merged: Sequence[tuple[int, int, int, int]]) -> dict[int, int]:
    """Column -> column of the group label above it (信访人 over 姓名 | 联系电话)."""
    groups: dict[int, int] = {}
    if merged:
        for r1, c1, r2, c2 in merged:
            if r1 == top == r2 and c2 > c1 and c1 < width and _label(upper[c1]) is not None:
                groups |= {c: c1 for c in range(c1, min(c2, width - 1) + 1)}
        return groups
    # Merges lost (CSV, or a sheet "unmerged"): a label with blanks to its right over a row of sub-labels.
    owner = None
    for c in range(width):
        if _label(upper[c]) is not None:
            owner = c if _label(lower[c]) is not None else None
        elif _label(lower[c]) is not None and owner is not None:
            groups[owner] = owner
            groups[c] = owner
        else:
            owner = None
    return groups


def _two_rows(rows: Sequence[Sequence[object]], top: int,
              merged: Sequence[tuple[int, int, int, int]]) -> list[str | None] | None:
    """The labels of a header over rows ``top`` and ``top + 1``, or None when the header is one row."""
    if top < 0 or top + 1 >= len(rows):
        return None
    width = max(len(rows[top]), len(rows[top + 1]))
    upper = [rows[top][c] if c < len(rows[top]) else None for c in range(width)]
    lower = [rows[top + 1][c] if c < len(rows[top + 1]) else None for c in range(width)]
    # A column merged down both rows (序号, 备注) repeats its label in the lower row: only the others must be words.
    subs = [lo for up, lo in zip(upper, lower, strict=True) if _label(lo) is not None and _label(lo) != _label(up)]
    if len(subs) < 2 or not all(header_word(v) for v in subs):
        return None  # a row of letters' values, not of sub-labels
    heads = [_label(v) for v in upper if _label(v) is not None]
    if len(heads) < 2 or any(len(h) > 16 for h in heads):
        return None  # a title (merged across the sheet or not) over a one-row header
    groups = _groups(upper, lower, width, top, merged)
    if not all(header_word(upper[c]) or str(_label(upper[c])).endswith(_GROUP_ENDINGS)
               or OFFICE_SIDE.fullmatch(_norm_header(upper[c])) for c in set(groups.values())):
        return None  # 信访人, 被反映对象, 信访人基本情况, 经办人: a group label says whose columns follow
    if not any(_label(lower[c]) is not None and _label(lower[c]) != _label(upper[groups[c]]) for c in groups):
        return None
    labels: list[str | None] = []
    for c in range(width):
        up = _label(upper[groups[c]]) if c in groups else _label(upper[c])
        lo = _label(lower[c])
        labels.append(up if lo is None or lo == up else lo if up is None else _join(up, lo))
    return labels


class _Sheet(Protocol):
    @property
    def sheet(self) -> str: ...
    @property
    def rows(self) -> Sequence[Sequence[object]]: ...


_T = TypeVar("_T", bound=_Sheet)


def choose_sheet(tables: Sequence[_T], filename: str, sheet: str | None = None,
                 names: Mapping[str, Sequence[str]] | None = None) -> tuple[_T, int]:
    """The sheet a register is read from and the row its header search chose (0-based).

    Parameters
    ----------
    tables
        The file's sheets in order (a CSV is one, named ``CSV``).
    filename
        The file's name, for messages.
    sheet
        The sheet to read, by name; None for the sheet whose top rows look most like a register's header.
    names
        More headers per field that count when finding the header (see
        :func:`planner.intake.columns.effective_mapping`).

    Returns
    -------
    tuple
        The sheet and the index of its header row.

    Raises
    ------
    InputError
        No sheet of that name; no header row in the top rows of the sheet read.
    """
    if sheet is not None:
        chosen = [t for t in tables if t.sheet == sheet]
        if not chosen:
            have = "、".join(f"「{t.sheet}」" for t in tables)
            raise InputError(f"{filename}：没有名为 {sheet!r} 的工作表（文件中的工作表：{have}）")
        tables = chosen
    scored = [(t, *_find_header(t.rows, names)) for t in tables]
    if not scored or (best := max(scored, key=lambda s: s[2]))[2] < 3:
        where = f"工作表「{sheet}」" if sheet is not None else ""
        raise InputError(
            f"{filename}：{where}在前 {HEADER_SEARCH_ROWS} 行没有找到表头（应含“编号”“收件日期”“反映内容”等列）；"
            "若是 CSV 文件，请确认编码为 UTF-8 或 GBK"
        )
    return best[0], best[1]


def header_rows(rows: Sequence[Sequence[object]], found: int,
                merged: Sequence[tuple[int, int, int, int]] = ()) -> tuple[int, int, Sequence[object]]:
    """Where a register's header is and its labels: (first row index, rows it spans, labels).

    A header over two rows has group labels (信访人, 被反映对象), merged across the columns below them, over a row of
    sub-labels (姓名 | 联系电话); each column is read as group and sub-label together (信访人联系电话), so the usual
    header words map it, and the sub-label row is never read as a letter. Without merges (a CSV) a label with blank
    cells to its right over a row of header words is such a group.

    Parameters
    ----------
    rows
        The sheet's rows from the top.
    found
        Index of the row the header search chose.
    merged
        The sheet's merged ranges (0-based, inclusive), if the file keeps them.

    Returns
    -------
    tuple[int, int, Sequence[object]]
        Index of the header's first row, 1 or 2, and the header labels.
    """
    for top in (found, found - 1):
        if (labels := _two_rows(rows, top, merged)) is not None:
            return top, 2, labels
    return found, 1, rows[found]


def not_a_letter(raw: Sequence[object], headers: Sequence[str], mapping: Mapping[str, str]) -> str:
    """Why a row below the header is no letter (a 合计 row, a remark, who filled in the form, the header printed
    again), as a note for the preview; "" for a row to read as a letter.

    A row with a received date is always read (a letter whose first cell happens to say 合计 stays a letter).
    """
    date_col = headers.index(mapping["received_date"]) if mapping.get("received_date") in headers else -1
    if 0 <= date_col < len(raw) and raw[date_col] is not None:
        try:
            if parse_date(raw[date_col]) is not None:
                return ""
        except (ValueError, OverflowError):
            pass
    cells = [v for v in raw if _label(v) is not None]
    if not cells:
        return ""
    first = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(cells[0])))
    # Only the word is shown: the rest of a signature row is a person's name.
    for pattern, kind in ((_TOTAL_RE, "合计行"), (_REMARK_RE, "表格备注"), (_SIGNED_RE, "填表、审核签名行")):
        if m := pattern.match(first):
            return f"以「{m.group(1)}」开头，是{kind}，不是来信，已跳过（不导入）"
    labels = [v for i, v in enumerate(raw) if _label(v) is not None
              and (header_word(v) or (i < len(headers) and _label(v) == headers[i]))]
    if len(cells) >= 2 and len(labels) == len(cells):
        return "这一行是表头（各格都是列名），不是来信，已跳过（不导入）"
    return ""


def reading_note(sheet: str, sheets: Sequence[str], header_row: int, header_span: int, *, deadline: bool,
                 hidden: Sequence[str] = (), mapping: Mapping[str, str] | None = None) -> str:
    """How a register was read, for the preview: which sheet of a workbook, a header over two rows, no 办理期限
    column, hidden columns and whether they are used ("" for a one-sheet register with a one-row header and a
    deadline column and nothing hidden)."""
    parts = []
    if len(sheets) > 1:
        # Walk W23: every sheet that is a register is imported; "save it apart" sent the other counties away.
        parts.append(f"工作簿共有 {len(sheets)} 张工作表（{'、'.join(sheets)}），读取的是「{sheet}」"
                     "；是登记表的工作表都一并导入，其余的跳过（各张工作表的读取情况见上）")
    if header_span > 1:
        parts.append(f"表头占第 {header_row}–{header_row + header_span - 1} 行：合并的上层表头与下层列名合起来读"
                     "（如“信访人”下的“联系电话”读作“信访人联系电话”）")
    if not deadline:
        parts.append("没有找到办理期限列（办理期限、办结时限、限办日期……）：每封信的办理期限按收件日期后 "
                     f"{HANDLING_DAYS} 天计；如登记表有这一列，请在“列映射”中指定")
    if hidden:
        fields = {h: FIELD_BY_KEY[k].label for k, h in (mapping or {}).items() if k in FIELD_BY_KEY}
        cols = "、".join(f"「{h}」（{'用作' + fields[h] if h in fields else '未使用'}）" for h in hidden)
        parts.append(f"表中有隐藏的列 {cols}：同一项有可见的列时，用可见的列，不用隐藏的列；如要改用隐藏的列，"
                     "请在“列映射”中指定")
    return "。".join(parts) + ("。" if parts else "")
