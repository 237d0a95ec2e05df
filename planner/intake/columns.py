"""Register columns: the fields a column can fill, the headers offices use for them, header detection."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planner.errors import InputError
from planner.office.privacy import WRITER_WORDS, header_key

#: Header search depth: registers often have a title and a date line above the header.
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A field of a case that a register column can fill."""

    key: str
    label: str  # Chinese name shown to people
    synonyms: tuple[str, ...]  # headers that name this field, most common first
    required: bool = False
    personal: bool = False
    exact_only: tuple[str, ...] = ()  # headers that name this field only as the whole header (紧急, not 紧急联系人)


#: The fields a register column can map to, with the headers offices use for them.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("case_no", "编号", ("编号", "信访件编号", "信访编号", "件号", "登记号", "案件编号", "来信编号",
                                 "登记编号", "流水号", "信访件号"), required=True),
    # The day the letter reached the office (was received, registered, accepted) — never 转办/交办/办结 dates.
    FieldSpec("received_date", "收件日期", ("收件日期", "登记日期", "收信日期", "来信日期", "受理日期", "收到日期",
                                       "来访日期", "举报日期", "收件时间", "登记时间", "来信时间", "收信时间",
                                       "受理时间", "收到时间", "来访时间", "举报时间", "收文日期", "收文时间",
                                       "来件日期", "来件时间", "信访日期", "信访时间", "接收日期", "接收时间",
                                       "来电日期", "来电时间", "投诉日期", "投诉时间", "日期"), required=True),
    FieldSpec("deadline", "办理期限", ("办理期限", "办结期限", "办理时限", "办结时限", "期限", "截止日期", "应办结日期",
                                       "限办日期", "限办时间", "要求办结日期", "要求办结时间", "到期日期", "反馈期限",
                                       "回复期限", "答复期限", "反馈时限", "回复时限", "答复时限", "处理期限",
                                       "处理时限", "办理截止日期", "办结截止日期", "限期"),
              exact_only=("时限",)),
    # How urgent (or grave, or important) the office judged the letter: the case's severity, which 选件 ranks on.
    FieldSpec("severity", "紧急程度", ("紧急程度", "缓急程度", "急缓程度", "轻重缓急", "缓急", "急缓", "紧急等级",
                                     "缓急等级", "严重程度", "重要程度", "优先等级", "优先程度", "办理时限类别",
                                     "时限类别", "急件类别"),
              exact_only=("紧急", "等级", "优先级", "急件", "紧急性")),
    FieldSpec("source", "来源", ("来源", "信访来源", "来信方式", "信访形式", "信访方式", "渠道", "举报方式")),
    FieldSpec("category", "问题类别", ("问题类别", "问题类型", "问题分类", "类别", "分类", "反映问题类别",
                                     "业务类别", "问题性质", "反映问题类型", "反映问题分类", "信访类别",
                                     "举报类别", "事项类别", "举报事项类别", "投诉事项类别", "信访事项类别",
                                     "反映事项类别"),
              # Walk 1: a CSV headed 类型. Whole header only: 办理类型, 信访人类型 and 坐标类型 say something else.
              exact_only=("类型",)),
    FieldSpec("petitioner_name", "信访人", ("信访人", "举报人", "来信人", "信访人姓名", "举报人姓名", "来访人",
                                        "反映人", "反映人姓名", "来电人", "投诉人", "检举人", "控告人", "申诉人",
                                        "姓名"), personal=True),
    # Walk W18: 来电号码 (a 12345 hotline's register) was not read as the petitioner's phone.
    FieldSpec("petitioner_phone", "联系电话", ("联系电话", "电话", "手机", "手机号", "联系方式", "电话号码",
                                                  "手机号码", "联系手机", "移动电话", "联系号码", "来电号码", "来电号",
                                                  "联络方式", "联系办法"),
              personal=True),
    FieldSpec("petitioner_id", "身份证号", ("身份证号", "身份证号码", "证件号码", "身份证", "公民身份号码",
                                               "证件号", "身份证件号码", "身份证件号"),
              personal=True),
    FieldSpec("content", "反映内容", ("反映内容", "来信内容", "主要问题", "问题摘要", "反映问题", "主要内容",
                                    "举报内容", "内容摘要", "信访内容", "信访事项", "反映事项", "来信摘要",
                                    # Walk W18: 举报事项 was not read as the letter's words.
                                    "举报事项", "投诉事项", "检举事项", "控告事项", "来访事项", "来电事项", "来信事项",
                                    "问题描述", "主要诉求", "诉求事项",
                                    "内容"), required=True),
    FieldSpec("title", "标题", ("标题", "事由", "信件标题")),
    FieldSpec("reported_persons", "被反映人", ("被反映人", "被举报人", "被反映人姓名", "被投诉人")),
    FieldSpec("reported_units", "被反映单位", ("被反映单位", "被举报单位", "被反映人单位", "涉及单位",
                                       "被反映人所在单位", "被举报人所在单位", "被反映人工作单位", "被投诉单位")),
    # One column for both, as many offices keep it: split into persons and units item by item.
    FieldSpec("reported", "被反映单位/人", ("被反映单位/人", "被反映人/单位", "被反映单位(人)", "被反映单位或个人",
                                          "被反映单位及个人", "被举报单位/人", "被举报人/单位", "被反映对象",
                                          "被举报对象", "被反映人及单位", "被反映单位和个人", "涉及对象")),
    FieldSpec("address", "地址", ("地址", "住址", "发生地", "问题发生地", "详细地址", "事发地点", "发生地点",
                                 "信访人地址", "来信地址", "问题属地", "问题所在地", "所在地", "事发地", "问题地点",
                                 "反映问题所在地", "涉及地点", "地点", "属地", "发生地址", "所在地区", "涉及地区",
                                 "涉及区域", "信访人住址", "来信人住址", "来信人地址", "举报人住址", "举报人地址",
                                 "反映人住址", "反映人地址", "家庭住址", "家庭地址", "现住址")),
    FieldSpec("county", "县区", ("县区", "县(市、区)", "县市区", "所属县区", "区县", "县(区)", "县")),
    FieldSpec("town", "乡镇", ("乡镇", "乡镇街道", "乡镇(街道)", "镇街", "所属乡镇", "镇")),
    FieldSpec("village", "村", ("村", "村居", "村(社区)", "村社区", "所属村", "村(居)", "行政村", "村(居)委会",
                               "村委会", "所在村")),
    FieldSpec("lon", "经度", ("经度", "lon", "lng", "longitude")),
    FieldSpec("lat", "纬度", ("纬度", "lat", "latitude")),
    FieldSpec("datum", "坐标系", ("坐标系", "坐标类型", "坐标来源", "datum")),
    FieldSpec("people_affected", "涉及人数", ("涉及人数", "涉及群众", "涉及户数", "人数", "反映人数", "信访人数",
                                         "来信人数", "举报人数", "联名人数", "来访人数")),
    FieldSpec("status", "办理状态", ("办理状态", "状态", "办理情况", "办结情况", "处理状态", "办理结果")),
)
# How registers write a case's state; closed states of the register close an open case on re-import.
_STATUS_WORDS: dict[str, str] = {
    "已登记": "registered", "登记": "registered", "待办": "registered", "在办": "registered", "办理中": "registered",
    "未办结": "registered", "正在办理": "registered", "已选件": "selected", "已排程": "planned",
    "已下访": "visited", "已核查": "visited", "已化解": "resolved", "已解决": "resolved", "已澄清": "clarified",
    "澄清": "clarified", "已办结": "closed", "办结": "closed", "已结": "closed", "已了结": "closed",
    "息诉息访": "closed", "已息访": "closed",
}
_CLOSED_STATUSES = ("resolved", "clarified", "closed")
FIELD_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
PERSONAL_FIELDS = ("petitioner_name", "petitioner_phone", "petitioner_id")
_ANONYMOUS = {"匿名", "无", "不详", "无名", "匿名信", "未署名", "-", "—", "/", "无名氏"}


@dataclass(frozen=True, slots=True)
class RowIssue:
    """A problem found in one row (``level`` 'error' rejects the row; 'warning' keeps it)."""

    row: int  # row number as the spreadsheet shows it (1-based, header rows included)
    column: str  # header text of the column, or "" for the whole row
    message: str  # plain Chinese, never containing personal values
    level: str = "error"
    ref: str = ""  # the clerk's own number for the row (序号), when the register has one
    # The note as a line summing up many rows says it, when ``message`` gives this row's own values: the rule
    # applied instead of the values (按 2026 年导入 for 按 2026-07-02 导入); "" when the message says it as well.
    kind: str = ""

    def text(self, filename: str = "") -> str:
        """One line for people: ``register.xlsx 第12行（序号 10）「收件日期」：……``."""
        where = f"{filename} " if filename else ""
        ref = f"（序号 {self.ref}）" if self.ref else ""
        col = f"「{self.column}」" if self.column else ""
        return f"{where}第{self.row}行{ref}{col}：{self.message}"

    def listing_order(self) -> int:
        """Where the issue is listed for people: 0 a row refused, 1 a row to look at (left out as not a letter, or
        the note asks the clerk to check or act: 请核对, 请删去一行), 2 a hint on a row imported as it is."""
        if self.level == "error":
            return 0
        return 1 if "请" in self.message or "不导入" in self.message else 2




def _norm_header(value: object) -> str:
    return header_key(value)



def _synonym_index() -> list[tuple[str, str]]:
    pairs = [(_norm_header(s), f.key) for f in FIELDS for s in (f.label, *f.synonyms)]
    return sorted(set(pairs), key=lambda p: (-len(p[0]), p[0]))


_SYNONYMS = _synonym_index()
_EXACT = {syn: key for syn, key in reversed(_SYNONYMS)} | {
    _norm_header(s): f.key for f in FIELDS for s in f.exact_only}


#: What a header about the writer holds when it is not their name (信访人身份, 举报人要求, 来信人单位 ...).
_NOT_A_NAME = re.compile("身份|证件|类别|类型|单位|要求|诉求|住址|地址|数|职业|职务|电话|手机|号码"
                         "|年龄|性别|情况|意见|态度")


#: What a header about the writer may hold besides their name (来信人电话, 信访人身份证).
_WRITER_FIELDS = ("petitioner_phone", "petitioner_id")
#: A header about the office's own side (经办人电话, 承办人手机, 登记人姓名, 承办单位联系电话, 包案领导电话): the
#: clerk's or unit's phone and name are no petitioner's; such a column is kept on the case as written, never read so.
OFFICE_SIDE = re.compile("(?:经办|承办|登记|受理|接待|接访|办理|经手|录入|填表|填报|审核|包案|督办|交办|转办|办案)"
                         "(?:人|单位|部门|科室|领导|干部)")


#: The reported side of a header (被反映, 被举报, 被投诉 ...), optionally with whom (人, 对象) and 的.
_REPORTED_SIDE = re.compile("被(?:反映|举报|投诉|控告|检举|信访)(人|对象)?的?")
#: What a header about the reported side says when it holds their unit or their post (单位及职务, 工作单位, 职务).
_UNIT_OR_POST = re.compile("(?:所在|工作)?(?:单位|职务|职位|岗位|部门)")
#: A person beside the unit in one header (被反映单位/人, 被反映单位及个人): one column for both.
_AND_PERSON = re.compile("人|姓名|对象")


def _reported_field(h: str) -> str | None:
    """The field of a header about the reported side, or None when the header is not one or says something else.

    ``被举报人单位及职务``, ``被反映人工作单位``, ``被投诉单位``, ``被反映人职务`` hold the reported unit (a post
    comes with its unit: 浦南镇农业服务中心主任); ``被投诉人``, ``被举报人姓名`` the reported person. The petitioner's
    own unit (反映人单位, 举报人工作单位) names no 被 and is never read so.
    """
    side = _REPORTED_SIDE.search(h)
    if side is None:
        return None
    rest = h[side.end():]
    if rest in ("", "姓名", "名字") and side.group(1) == "人":
        return "reported_persons"
    unit = _UNIT_OR_POST.match(rest)
    if unit is None:
        return None  # 被反映人及单位, 被反映人身份, 被反映问题: the synonyms decide
    return "reported" if _AND_PERSON.search(rest[unit.end():]) else "reported_units"


def _field_for(header: str, group: int = 0) -> tuple[str | None, int]:
    """The field a header names and how sure (2 exact, 1 contained), or (None, 0).

    ``group`` is the length of a group label the header starts with (反映问题 over 反映地址 reads 反映问题反映地址):
    a synonym lying wholly inside it never decides the field, the column's own label does.
    """
    h = _norm_header(header)
    if not h:
        return None, 0
    if h in _EXACT:
        return _EXACT[h], 2
    if key := _reported_field(h):
        return key, 1
    writer = False
    for syn, key in _SYNONYMS:
        # Short ASCII synonyms ("lat") only match whole headers; Chinese ones may sit inside a longer header.
        if len(syn) >= 2 and not syn.isascii() and h.find(syn, max(0, group - len(syn) + 1)) >= 0:
            if key == "petitioner_name" and "姓名" not in h and _NOT_A_NAME.search(h.replace(syn, "", 1)):
                writer = True  # 信访人身份, 举报人要求, 来信人单位: about the writer, not their name
                continue
            if writer and key not in _WRITER_FIELDS:
                continue  # 信访人类别 is no 问题类别: only the writer's phone or ID number (来信人电话, 信访人身份证)
            if key in PERSONAL_FIELDS and OFFICE_SIDE.search(h):
                continue  # 经办人电话: the clerk's phone, not the petitioner's 联系电话
            return key, 1
    return None, 0


def _group_length(header: str, below: object) -> int:
    """Length of the group label a two-row header starts with (反映问题 of 反映问题反映地址), 0 for none."""
    h, sub = _norm_header(header), _norm_header(below) if below is not None else ""
    return len(h) - len(sub) if sub and h != sub and h.endswith(sub) else 0


def detect_mapping(headers: Sequence[str], below: Sequence[object] = (),
                   hidden: Sequence[str] = ()) -> dict[str, str]:
    """Map fields to headers: exact synonyms first, then the longest synonym a header contains.

    Parameters
    ----------
    headers
        Column headers (already made unique).
    below
        For a header over two rows, the lower row's labels: a group label's words (反映问题 over 反映地址 |
        反映内容) never decide a column's field, the label under it does.
    hidden
        Headers of columns the sheet hides: one is used for a field only when no visible column names it.

    Returns
    -------
    dict[str, str]
        Field key -> header; each header and each field used at most once (first column wins).
    """
    groups = {h: _group_length(h, below[i] if i < len(below) else None) for i, h in enumerate(headers)}
    mapping: dict[str, str] = {}
    for pool in ([h for h in headers if h not in hidden], [h for h in headers if h in hidden]):
        for wanted in (2, 1):
            for h in pool:
                if h in mapping.values():
                    continue
                key, score = _field_for(h, groups[h])
                if key and score == wanted and key not in mapping:
                    mapping[key] = h
    if (home := mapping.get("address")) and _residence(home):
        # The petitioner's home (信访人住址) stands for the place only when no column names where the matter is:
        # 问题发生地 is the place to visit even when 住址 comes first.
        place = next((h for h in headers if h not in mapping.values() and h not in hidden
                      and _field_for(h, groups[h])[0] == "address" and not _residence(h)), None)
        if place is not None:
            mapping["address"] = place
    if "reported_units" not in mapping and ("reported" in mapping or "reported_persons" in mapping):
        # A bare 单位 beside 被举报对象 / 被反映人 is the reported person's unit (被举报对象 陈建国, 单位 某村委会).
        used = set(mapping.values())
        unit = next((h for h in headers if h not in used and _norm_header(h) in _BARE_UNIT_HEADERS), None)
        if unit is not None:
            mapping["reported_units"] = unit
    return mapping


def _residence(header: str) -> bool:
    h = _norm_header(header)
    return "住址" in h or "家庭" in h or any(w in h for w in WRITER_WORDS)


#: Headers that say only “unit”: the reported unit when the register has a reported-person column.
_BARE_UNIT_HEADERS = ("单位", "单位名称", "单位职务", "单位及职务", "单位和职务", "工作单位", "工作单位及职务",
                      "所在单位", "单位(职务)")


#: Headers of the clerk's running number. It restarts at 1 in every register, so it names a row, never a case:
#: it is shown beside the row number in messages and kept on the case, but it is no case number.
ROW_REF_HEADERS = ("序号", "顺序号", "序", "行号", "no", "no.", "序列号", "排序")
#: Other ways registers head that column (a walker's 顺序, 顺序号, 序次, 行次 …): a word of order or of the row, with
#: or without 号/码; read as 序号 is.
_ROW_REF_RE = re.compile(r"(?:顺序|次序|序次|序列|排序|行序|行次|行|序)(?:号|码)?|no\.?")


def is_row_ref_header(header: str | None) -> bool:
    """True when ``header`` is a running-number header (序号, 顺序, No.) rather than a case number."""
    h = _norm_header(header) if header else ""
    return bool(h) and (h in ROW_REF_HEADERS or bool(_ROW_REF_RE.fullmatch(h)))


def row_ref_note(row_ref: str | None) -> str:
    """What the column mapping took the clerk's running number as, in plain words ("" without one).

    The column fills no field of a case, so the selectboxes cannot show it; the note says that 「顺序」 (or 序号 …)
    was read as the row's 序号, where it shows, and why it is no 编号.
    """
    if not row_ref:
        return ""
    return (f"「{row_ref}」识别为行序号（序号）：每张登记表都从 1 编起，只用来指出是哪一行（写在校验结果的“序号”列和"
            "出错说明里），比较两行是否重复录入时不计入，并原样保存在信访件上；不作编号用。")


def find_row_ref(headers: Sequence[str], mapping: Mapping[str, str]) -> str | None:
    """The first header holding the clerk's running number (序号), or None.

    Parameters
    ----------
    headers
        The register's headers.
    mapping
        The effective mapping; a header mapped to a field other than 编号 is not the running number.

    Returns
    -------
    str | None
        The header, or None when the register has no such column.
    """
    others = {h for k, h in mapping.items() if k != "case_no"}
    return next((h for h in headers if h not in others and is_row_ref_header(h)), None)


#: Fields that place a case; when a register maps none of them, a column is looked for by its contents.
PLACE_FIELDS = ("address", "county", "town", "village", "lon", "lat")
#: Share of a column's sampled values that must name a Zhangzhou county or town for it to be read as the address.
ADDRESS_SNIFF_SHARE = 0.6
_SNIFF_SAMPLE = 40


def sniff_address_column(headers: Sequence[str], rows: Sequence[Sequence[object]],
                         mapping: Mapping[str, str]) -> tuple[str | None, float]:
    """The unmapped column whose values most often name a Zhangzhou county or town, and that share.

    Used only when the header names no place column: an office's own header (所属网格, 问题归属 …) is then
    recognised by what the column holds, and the import says so.

    Parameters
    ----------
    headers
        The register's headers.
    rows
        Data rows below the header (cells in header order).
    mapping
        The mapping so far (columns already used are skipped).

    Returns
    -------
    tuple[str | None, float]
        The header, or None when no column reaches :data:`ADDRESS_SNIFF_SHARE`; and its share.
    """
    from planner.places.resolver import resolve_many

    used = set(mapping.values())
    best, best_share = None, 0.0
    for i, header in enumerate(headers):
        if header in used:
            continue
        values = [str(r[i]).strip() for r in rows if i < len(r) and r[i] is not None and str(r[i]).strip()]
        values = [v for v in values if not v.replace(".", "").replace("-", "").isdigit()][:_SNIFF_SAMPLE]
        if len(values) < 3:
            continue
        placed = sum(1 for r in resolve_many(values) if r.county_code and (r.town_code or r.precision == "county"))
        share = placed / len(values)
        if share > best_share:
            best, best_share = header, share
    return (best, best_share) if best_share >= ADDRESS_SNIFF_SHARE else (None, best_share)


def _unique_headers(raw: Sequence[object], row_no: int) -> tuple[list[str], list[RowIssue]]:
    headers: list[str] = []
    issues: list[RowIssue] = []
    seen: dict[str, int] = {}
    for i, v in enumerate(raw):
        name = str(v).strip() if v is not None and str(v).strip() else f"第{i + 1}列"
        name = name.replace("\n", "")
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            issues.append(RowIssue(row_no, name, f"表头「{name}」重复出现，"
                                                 f"第 {seen[name]} 次出现的列记为「{name}({seen[name]})」，"
                                            "默认只用第一列", "warning"))
            name = f"{name}({seen[name]})"
        headers.append(name)
    return headers, issues


def _find_header(rows: Sequence[Sequence[object]],
                 names: Mapping[str, Sequence[str]] | None = None) -> tuple[int, int]:
    """Index of the header row in the first rows and its score (number of recognised fields).

    ``names`` are more headers per field (see :func:`effective_mapping`); a cell that is one of them counts too.
    """
    more = {_norm_header(n): key for key, ns in (names or {}).items() for n in ns}
    best, best_score = -1, 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {k for k, _ in (_field_for(str(v)) for v in row if v is not None) if k}
        keys |= {more[h] for v in row if v is not None and (h := _norm_header(v)) in more}
        score = len(keys) + 2 * len(keys & {"case_no", "content", "received_date"})
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def effective_mapping(detected: Mapping[str, str], headers: Sequence[str],
                      mapping: Mapping[str, str | None] | None = None,
                      names: Mapping[str, Sequence[str]] | None = None) -> dict[str, str]:
    """The columns a register is read by: the detected ones, ``names`` for fields still without one, then ``mapping``.

    Parameters
    ----------
    detected
        Field key -> header, as :func:`detect_mapping` found them.
    headers
        The register's headers.
    mapping
        The user's overrides: field key -> header, or None (or "") to leave a field without a column. A header
        given to one field is taken from any other field.
    names
        More headers per field (field key -> headers, compared as :func:`planner.office.privacy.header_key`
        compares them) for tables no register is, such as a message board's 留言详情 for 反映内容; a field takes
        the first header of the table that is one of them, and only when no column was detected for it.

    Returns
    -------
    dict[str, str]
        Field key -> header.

    Raises
    ------
    InputError
        ``mapping`` names an unknown field or a header the register does not have.
    """
    effective = dict(detected)
    for key, wanted in (names or {}).items():
        keys = {_norm_header(n) for n in wanted}
        used = set(effective.values())
        if key not in effective and (h := next((h for h in headers if h not in used
                                                  and _norm_header(h) in keys), None)):
            effective[key] = h
    for key, header in (mapping or {}).items():
        if key not in FIELD_BY_KEY:
            raise InputError(f"列对应中有未知字段 {key!r}；可用字段：{'、'.join(FIELD_BY_KEY)}")
        if header in (None, ""):
            effective.pop(key, None)
            continue
        if header not in headers:
            raise InputError(f"列对应中字段「{FIELD_BY_KEY[key].label}」指向的列 {header!r} 不在表头中")
        for other, h in list(effective.items()):
            if h == header and other != key:
                effective.pop(other)
        effective[key] = header
    return effective
