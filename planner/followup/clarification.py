"""澄清函: a clarification letter (docx) for a cadre whose reported matter proved untrue, as an official letter.

Layout follows the usual party/government document format (GB/T 9704): issuing organ in red at the top, a letter
number, the title centred in 小标宋 二号, the addressee flush left, body in 仿宋 三号 with a two-character first-line
indent and 28 pt line spacing, the issuing organ and the date (2026年12月7日) right-aligned at the end. The letter
names the cadre and the matter; it never names the petitioner.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.domain import CaseStatus
from planner.errors import InputError, NotFoundError
from planner.followup.common import (
    _case_row,
    _check_version,
    _flush,
    _history,
    _need_who,
    _stale_as_conflict,
    _visible,
    case_key,
    set_case_status,
    stored_case_no,
)
from planner.store.history import diff, log_change
from planner.store.models import CaseRow, ClarificationRow

DEFAULT_ORGAN = "中共漳州市纪律检查委员会 漳州市监察委员会"
_TITLE_FONT = "方正小标宋简体"
_BODY_FONT = "仿宋_GB2312"
_HEADING_FONT = "黑体"


#: Openings of a written finding that repeat the letter's own "经带信下访实地调查核实" (longest first). The short
#: ones are dropped only when punctuation follows (经查阅档案 is not an opening).
_FINDING_OPENINGS = ("经带信下访实地调查核实", "经带信下访调查核实", "经实地调查核实", "经调查核实", "经实地核查",
                     "经调查", "经核查", "经核实", "经查明", "经查实", "调查核实", "经查")
_OPENINGS_NEEDING_PUNCT = ("调查核实", "经查")

#: Words a user may put before the matter that the letter's own "我委收到反映……同志" already says.
_MATTER_LEADS = ("信访人反映", "信访件反映", "群众反映", "来信反映", "有人反映", "举报人反映", "反映称", "举报称",
                 "反映", "举报", "关于", "该同志", "同志")

#: A clause that already concludes the matter untrue (反映不实, 反映的问题不属实, 查无实据 …).
_CONCLUSION = re.compile(r"不属实|失实|查无实据|(?:反映|举报|问题|情况|内容|事项|均|基本|所述)不实|不实$")

#: Punctuation that may end a user's text and is replaced by the letter's own (closing quotes/brackets are kept).
_TRAILING = "。．.；;，,、：:！!？? \u3000\t\n"

#: Runs of sentence punctuation ("。，", "，。", "；，") collapse to their strongest mark.
_PUNCT_RUN = re.compile(r"[，。；、：,;]{2,}")
_PUNCT_RANK = "。；：，、"


def _collapse_punctuation(text: str) -> str:
    def strongest(m: re.Match[str]) -> str:
        marks = m.group(0).replace(",", "，").replace(";", "；")
        return min(marks, key=lambda c: _PUNCT_RANK.index(c) if c in _PUNCT_RANK else len(_PUNCT_RANK))

    return _PUNCT_RUN.sub(strongest, text)


def _clean_matter(matter: str, cadre: str, cadre_title: str) -> str:
    """The matter as it fits in "我委收到反映{who}{matter}问题的信访举报".

    Leading 反映/反映其/举报, the cadre's own name or post, and a closing 的问题/问题 are dropped (the letter says
    them), as are trailing 。/；/，.
    """
    text = _collapse_punctuation(matter.strip().rstrip(_TRAILING))
    names = tuple(n for n in (f"{cadre_title}{cadre}" if cadre_title else "", cadre_title, cadre) if n)
    changed = True
    while changed:
        changed = False
        text = text.lstrip("：:，,、 ")
        for lead in (*_MATTER_LEADS, *names):
            if text.startswith(lead) and len(text) > len(lead):
                text, changed = text[len(lead):], True
                break
        else:
            # 其 = "him/her" (反映其在……); 其他/其中/其余/其实 are words of their own.
            if text.startswith("其") and len(text) > 1 and text[1] not in "他它中余实间":
                text, changed = text[1:], True
    stripped = re.sub(r"(?:的)?(?:问题|情况|事项)$", "", text).rstrip(_TRAILING)
    return stripped or text


def _clean_finding(finding: str) -> tuple[str, bool]:
    """The finding as it follows "经带信下访实地调查核实，", and whether it already concludes the matter untrue."""
    text = _collapse_punctuation(finding.strip().rstrip(_TRAILING))
    for opening in _FINDING_OPENINGS:
        if text.startswith(opening) and len(text) > len(opening):
            rest = text[len(opening):]
            if opening in _OPENINGS_NEEDING_PUNCT and rest[0] not in "：:，,、 ":
                continue
            text = rest.lstrip("：:，,、 ")
            break
    clauses = [c for c in re.split(r"[，。；,;]", text) if c]
    return text, any(_CONCLUSION.search(c) for c in clauses)


#: A 被澄清干部 that names a unit or a group, not a cadre (the letter says 关于…同志).
_NOT_A_PERSON = re.compile(r"(工作人员|干部们|等人|站|局|所|委|会|公司|单位|政府|部门|办公室|中心|学校|医院|卫生院)$")


@dataclass(frozen=True, slots=True)
class ClarificationLetter:
    """What a clarification letter says.

    Attributes
    ----------
    cadre
        The cadre cleared, e.g. ``"张某某"``.
    matter
        The matter reported, e.g. ``"将产业扶贫资金拨给家庭农场后私分"``.
    finding
        What the investigation established, e.g. ``"该镇采取“龙头企业+乡镇+贫困户”模式，资金使用符合政策规定"``.
    addressee
        主送: the cadre's organisation, e.g. ``"中共华安县华丰镇委员会"``.
    issued_date
        Date of the letter.
    cadre_title
        The cadre's post, e.g. ``"华丰镇党委书记"`` (optional).
    received_date
        When the letter was received (optional; the body then says when).
    issuing_organ
        The issuing organ; a space separates joint organs (one line each at the top).
    document_no
        Letter number such as ``"漳纪函〔2026〕12号"`` (optional).
    cc
        抄送 (optional).
    """

    cadre: str
    matter: str
    finding: str
    addressee: str
    issued_date: dt.date
    cadre_title: str = ""
    received_date: dt.date | None = None
    issuing_organ: str = DEFAULT_ORGAN
    document_no: str = ""
    cc: str = ""

    def __post_init__(self) -> None:
        labels = {"cadre": "被澄清干部", "matter": "反映事项", "finding": "核查结论", "addressee": "送达单位",
                  "issuing_organ": "出具机关"}
        for name, label in labels.items():
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"澄清函须填写{label}，收到 {value!r}")
            object.__setattr__(self, name, " ".join(value.split()))
        # The optional lines too: a 文号 or 职务 pasted with a leading (full-width) space began its line with one.
        for name in ("cadre_title", "document_no", "cc"):
            object.__setattr__(self, name, " ".join(str(getattr(self, name) or "").split()))
        if not isinstance(self.issued_date, dt.date):
            raise InputError(f"澄清函的出具日期应为日期（如 2026-12-07），收到 {self.issued_date!r}")
        if _NOT_A_PERSON.search(self.cadre):
            # Walk G: 角美镇林业站工作人员 became “关于角美镇林业站工作人员同志有关问题的澄清函”.
            raise InputError(f"被澄清干部应填一位干部的姓名（如 张某某），收到 {self.cadre!r}；单位和职务请填在"
                             "“职务”“主送单位”中。澄清函为具体干部澄清正名，单位不适用。")

    @property
    def title(self) -> str:
        """关于张某某同志有关问题的澄清函."""
        return f"关于{self.cadre}同志有关问题的澄清函"

    def paragraphs(self) -> tuple[str, ...]:
        """Body paragraphs in order (without addressee and signature)."""
        who = f"{self.cadre_title}{self.cadre}同志" if self.cadre_title else f"{self.cadre}同志"
        when = f"{cn_date(self.received_date)}，" if self.received_date else ""
        # Users type the matter and the finding as they would in a report ("反映其在……问题。", "经查，……，
        # 反映问题不属实。"): the letter already says 反映……同志, 问题, 经带信下访实地调查核实 and concludes
        # 不属实, so the joins drop what would be said twice, and the conclusion is added only when the finding
        # does not already have it.
        matter = _clean_matter(self.matter, self.cadre, self.cadre_title)
        finding, concluded = _clean_finding(self.finding)
        first = (f"{when}我委收到反映{who}{matter}问题的信访举报。经带信下访实地调查核实，{finding}"
                 + ("。" if concluded else "，反映的问题不属实。"))
        return (
            _collapse_punctuation(first),
            "根据《中国共产党纪律检查机关监督执纪工作规则》和澄清正名工作的有关规定，现予以澄清，"
            f"请在适当范围内说明情况，消除不良影响，支持{self.cadre}同志放下包袱、担当作为。",
            "特此函告。",
        )

    def text(self) -> str:
        """The whole letter as plain text (stored with the record and searchable)."""
        head = [self.issuing_organ, self.document_no, self.title, f"{self.addressee}："]
        tail = [*self.issuing_organ.split(), cn_date(self.issued_date)]
        if self.cc:
            tail.append(f"抄送：{self.cc}")
        return "\n".join(p for p in (*head, *self.paragraphs(), *tail) if p)


def cn_date(day: dt.date) -> str:
    """``2026年12月7日`` (no leading zeros, as in official documents)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _set_font(run, name: str, size_pt: float, *, bold: bool = False,
              color: tuple[int, int, int] | None = None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = RGBColor(*color)
    # Word picks Chinese glyphs from the eastAsia font slot, which font.name does not set.
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
    return run


def render_letter(letter: ClarificationLetter) -> bytes:
    """Render the letter as a ``.docx`` file.

    Parameters
    ----------
    letter
        The validated letter content.

    Returns
    -------
    bytes
        The document (A4, margins 37/35/28/26 mm as in GB/T 9704).
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)

    def para(text: str, *, font: str = _BODY_FONT, size: float = 16, align=None, indent: bool = False,
             bold: bool = False, color=None, space_after: float = 0):
        p = doc.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28 if size <= 16 else size * 1.5)
        fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
        if align is not None:
            p.alignment = align
        if indent:
            fmt.first_line_indent = Pt(size * 2)
        _set_font(p.add_run(text), font, size, bold=bold, color=color)
        return p

    red = (0xC0, 0x00, 0x00)
    for organ in letter.issuing_organ.split():
        para(organ, font=_TITLE_FONT, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, color=red)
    if letter.document_no:
        para(letter.document_no, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    # The red rule under the masthead.
    rule = para("━" * 24, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, color=red, space_after=12)
    rule.paragraph_format.line_spacing = Pt(14)
    para(letter.title, font=_TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=16)
    para(f"{letter.addressee}：")
    for text in letter.paragraphs():
        para(text, indent=True)
    para("")
    for organ in letter.issuing_organ.split():  # joint organs sign one per line
        para(organ, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(cn_date(letter.issued_date), align=WD_ALIGN_PARAGRAPH.RIGHT)
    if letter.cc:
        para("")
        para(f"抄送：{letter.cc}", size=14)
    core = doc.core_properties
    core.title = letter.title
    core.author = core.last_modified_by = letter.issuing_organ.split()[0]
    # The blank template's own (python-docx, 2013, "generated by python-docx") would travel with the official letter.
    core.comments, core.keywords, core.subject, core.category = "", "", "", ""
    core.created = core.modified = dt.datetime.combine(letter.issued_date, dt.time())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def letter_file_name(letter: ClarificationLetter, case_no: str = "", seq: int = 1) -> str:
    """``澄清函-<case_no>-<cadre>-2026-12-07.docx`` with characters unsafe in file names removed; the case's second
    letter and later ones say which they are (``…-2026-12-07-第2份.docx``)."""
    parts = ["澄清函", case_no, letter.cadre, letter.issued_date.isoformat()]
    name = "-".join(p for p in parts if p)
    return _sequenced(re.sub(r'[\\/:*?"<>|\s]+', "_", name) + ".docx", seq)


def _sequenced(name: str, seq: int) -> str:
    """``name`` (a ``.docx`` file name) marked as the case's ``seq``-th letter when it is not the first."""
    if seq <= 1:
        return name
    stem = name.removesuffix(".docx")
    return f"{stem}-第{seq}份.docx"


def letter_names(session: Session, case_ids: Iterable[int]) -> dict[int, str]:
    """Letter id -> its file name, one name per letter of a case (walk: two letters on one finding, issued the same
    day for the same cadre, downloaded under one name). Letters issued since are stored with their sequence
    (:func:`letter_file_name`); a name a case's earlier letter already bears is marked with the letter's sequence
    among the case's letters (in the order issued), the first keeping its own."""
    rows = session.execute(select(ClarificationRow.id, ClarificationRow.case_id, ClarificationRow.document_name)
                           .where(ClarificationRow.case_id.in_(set(case_ids)))
                           .order_by(ClarificationRow.case_id, ClarificationRow.id)).all()
    out: dict[int, str] = {}
    taken: dict[int, set[str]] = {}
    seqs: dict[int, int] = {}
    for rid, case_id, name in rows:
        seq = seqs[case_id] = seqs.get(case_id, 0) + 1
        used = taken.setdefault(case_id, set())
        if name and name in used:
            name = _sequenced(name, seq)
        used.add(name)
        out[rid] = name
    return out


def issue_clarification(
    session: Session, case_no: str, letter: ClarificationLetter, *, who: str, scope: str = ""
) -> tuple[int, bytes]:
    """Render the letter, store it in ``clarifications`` and mark the case 已澄清.

    Parameters
    ----------
    session
        Open session; the caller commits.
    case_no
        The case whose report proved untrue.
    letter
        The letter content.
    who
        User name for the record and the case history.
    scope
        Where the clarification is made known (e.g. ``"华丰镇党政班子会议"``).

    Returns
    -------
    tuple[int, bytes]
        Id of the clarification record and the ``.docx`` bytes.
    """
    data = render_letter(letter)
    # The case's letters so far (withdrawn ones too): this one's file name says it is the n-th.
    seq = 1 + len(session.scalars(select(ClarificationRow.id)
                                  .where(ClarificationRow.case_id == _case_row(session, case_no).id)).all())
    cid = record_clarification(
        session,
        case_no,
        cadre=f"{letter.cadre_title}{letter.cadre}",
        issued_date=letter.issued_date,
        who=who,
        scope=scope,
        text=letter.text(),
        document=data,
        document_name=letter_file_name(letter, case_no, seq),
        document_no=letter.document_no,
    )
    return cid, data


def marked_document(data: bytes, session: Session, row: ClarificationRow) -> bytes:
    """The stored letter with a red 本函已撤回 head (who, when, why) above its first line, for the record; the stored
    document itself is left as issued."""
    from docx import Document

    from planner.followup.clarification_withdraw import WITHDRAWN_LABEL, withdrawal_text

    doc = Document(io.BytesIO(data))
    first = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    for text, size in (("本函已撤回（仅供存档，不得再送达或引用）", 16),
                       (withdrawal_text(session, row), 12)):
        _set_font(first.insert_paragraph_before().add_run(text), "黑体", size, bold=size > 12, color=(0xC0, 0, 0))
    core = doc.core_properties
    core.title = f"（{WITHDRAWN_LABEL}）{core.title or ''}"
    core.modified = dt.datetime.combine(row.withdrawn_at.date(), dt.time()) if row.withdrawn_at else core.modified
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --------------------------------------------------------------------------------------------- 澄清 records


def clarification_refusal(session: Session, case_no: str) -> str:
    """Why no 澄清函 may be issued for ``case_no`` yet, in Chinese; ``""`` when it may.

    A 澄清函 says "经带信下访实地调查核实……反映的问题不属实": it rests on a visit that found the report untrue — a
    visit recorded as 已走访 with 反映问题 认定为不实 (``report_true`` False). A letter's status alone (已下访, 已化解)
    or a visit that found nobody (未找到), was postponed (改期) or left 反映问题 未认定 or 属实 is not that ground
    (walk S: a letter whose only visit was 未找到, 未认定, was “澄清” all the same); the answer says what is there
    and what is missing.
    """
    from planner.store.models import VisitOutcomeRow

    case = _case_row(session, case_no)
    rows = session.execute(
        select(VisitOutcomeRow.result, VisitOutcomeRow.report_true, VisitOutcomeRow.report_partly)
        .where(VisitOutcomeRow.case_id == case.id)
    ).all()
    visited = [report_true for result, report_true, _ in rows if result == "visited"]
    partly = any(result == "visited" and report_true and report_partly for result, report_true, report_partly in rows)
    if any(report_true is False for report_true in visited):
        return ""
    if not rows:
        found = f"尚无走访调查记录（状态：{CaseStatus(case.status).label}）"
    elif not visited:
        found = "的走访记录均为未找到或改期，尚未实地核实"
    elif partly:  # 部分属实 is not 不实: what proved so stands, and no 澄清函 says otherwise (walk 3)
        found = "的走访记录认定反映问题部分属实"
    elif any(visited):
        found = "的走访记录认定反映问题属实"
    else:
        found = "的走访记录未认定反映问题是否属实"
    return (f"信访件 {case.case_no} {found}：澄清函须以一次认定反映不实的走访为据——一条结果为“已走访”、"
            "反映问题认定为“不实（需澄清）”的走访记录。请先在“走访结果”中登记或更正这次走访，再出具澄清函。")


def _require_investigated(session: Session, case) -> None:
    """Refuse a 澄清函 without a visit that found the report untrue (:func:`clarification_refusal`)."""
    if why := clarification_refusal(session, case.case_no):
        raise InputError(why)


@_stale_as_conflict
def record_clarification(
    session: Session,
    case_no: str,
    *,
    cadre: str,
    issued_date: dt.date,
    who: str,
    scope: str = "",
    text: str = "",
    document: bytes | None = None,
    document_name: str = "",
    document_no: str = "",
) -> int:
    """Record a clarification (澄清) issued for a cadre and mark the case 已澄清; audited (``clarification_issue``:
    who, the letter's number, date and 文号, its case — not the cadre or the text).

    :func:`issue_clarification` generates the letter and calls this (``document_no``: the letter's 文号).

    Returns
    -------
    int
        Id of the clarification record.
    """
    who = _need_who(who)
    if not str(cadre or "").strip():
        raise InputError(f"信访件 {case_no!r} 的澄清须写明被澄清干部，收到 {cadre!r}")
    case = _case_row(session, case_no)
    _require_investigated(session, case)
    row = ClarificationRow(
        case_id=case.id, cadre=cadre.strip(), issued_date=issued_date, scope=scope, text=text,
        document=document, document_name=document_name, recorded_by=who,
    )
    session.add(row)
    _flush(session, f"case {case_no!r}")
    _history(session, case, who, "clarification", {"clarification_id": row.id, "cadre": row.cadre,
                                                   "issued_date": issued_date, "scope": scope})
    log_change(session, "clarification", row.id, who=who, action="created", case_id=case.id,
               changes={"cadre": row.cadre, "issued_date": issued_date, "scope": scope,
                        "document_name": document_name})
    if CaseStatus(case.status) is not CaseStatus.CLOSED:
        set_case_status(session, case.case_no, CaseStatus.CLARIFIED, who=who, note=f"为{row.cadre}澄清")
    from planner.office import audit

    # Walk W15: an issued official letter was only in its own 修改记录, never in 审计日志.
    audit.record(session, who, "clarification_issue", case_nos=[case.case_no], detail={
        "letter": row.id, "issued_date": issued_date, "document_no": str(document_no or "").strip(),
        "document": bool(document)})
    _flush(session, f"case {case_no!r}")
    return row.id


def clarification_document(
    session: Session, clarification_id: int, *, actor: object | None = None
) -> tuple[str, bytes]:
    """The stored letter of a clarification as ``(file name, bytes)``, read when a user asks for it.

    ``actor`` (a ``planner.office.security.Actor``) must be allowed to see the letter's case; None is batch use. A
    user's download is audited as an ``export`` (who, which letter, its case), in ``session`` (the caller commits), as
    each itinerary download is (walk W15: a leader's and an officer's downloads were recorded nowhere).

    A withdrawn letter (已撤回) is given for the record as a copy headed 本函已撤回 (who, when, why), named 已撤回-…
    (:func:`marked_document`).

    Raises
    ------
    NotFoundError
        If there is no such clarification, it has no stored document, or ``actor`` may not see its case.
    """
    query = _visible(select(ClarificationRow, CaseRow.case_no).join(CaseRow, CaseRow.id == ClarificationRow.case_id)
                     .where(ClarificationRow.id == int(clarification_id)), actor)
    row, case_no = session.execute(query).first() or (None, "")
    if row is None or not row.document:
        raise NotFoundError(f"澄清记录 #{clarification_id!r} 没有保存的澄清函")
    from planner.followup.clarification_withdraw import withdrawn_file_name

    withdrawn = row.withdrawn_at is not None
    if actor is not None:
        from planner.office import audit

        audit.record(session, actor, "export", case_nos=[case_no],
                     detail={"what": "clarification", "letter": row.id, "format": "docx",
                             **({"withdrawn": True} if withdrawn else {})})
    name = letter_names(session, [row.case_id])[row.id] or f"澄清函-{clarification_id}.docx"
    if withdrawn:
        return withdrawn_file_name(name), marked_document(bytes(row.document), session, row)
    return name, bytes(row.document)


def list_clarifications(
    session: Session, case_no: str | None = None, *, actor: object | None = None, query: str = ""
) -> list[dict]:
    """Clarifications (newest first) as dicts: id, case_no, cadre, issued_date, scope, document_name, has_document,
    version, withdrawn (True for a letter 已撤回), state (已出具 / 已撤回), withdrawal (who withdrew it, when and why,
    or ""), download_name (已撤回-… for a withdrawn letter).

    Parameters
    ----------
    case_no
        Only this case's letters.
    actor
        Only letters of cases this ``planner.office.security.Actor`` may see (None: all).
    query
        Words that must all appear in the case number, the cadre or the file name.
    """
    stmt = _visible(
        select(ClarificationRow, CaseRow.case_no)
        .join(CaseRow, CaseRow.id == ClarificationRow.case_id)
        .order_by(ClarificationRow.issued_date.desc(), ClarificationRow.id.desc()),
        actor,
    )
    if case_no is not None:
        stmt = stmt.where(CaseRow.case_no == stored_case_no(session, case_no))
    # Compared as the import reads numbers (NFKC), on both sides: ＺＺ２０２６－００１ typed finds ZZ2026-001, and a
    # number stored full-width before that is found by its half-width spelling (an office's letters are few).
    from planner.followup.clarification_withdraw import letter_state, withdrawal_text, withdrawn_file_name

    words = [case_key(w).casefold() for w in str(query or "").split()]
    found = session.execute(stmt).all()
    names = letter_names(session, {r.case_id for r, _ in found})
    return [
        {"id": r.id, "case_no": no, "cadre": r.cadre, "issued_date": r.issued_date, "scope": r.scope,
         "document_name": names[r.id], "has_document": bool(r.document), "version": r.version,
         "withdrawn": r.withdrawn_at is not None, "state": letter_state(r), "withdrawal": withdrawal_text(session, r),
         "download_name": withdrawn_file_name(names[r.id]) if r.withdrawn_at is not None else names[r.id]}
        for r, no in found
        if all(any(w in case_key(v).casefold() for v in (no, r.cadre, names[r.id])) for w in words)
    ]


@_stale_as_conflict
def correct_clarification(
    session: Session,
    clarification_id: int,
    *,
    who: str,
    expected_version: int | None = None,
    cadre: str | None = None,
    issued_date: dt.date | None = None,
    scope: str | None = None,
) -> bool:
    """Correct the register entry of an issued clarification (cadre, date, scope); the changes go to its history.

    The stored letter itself is the document that was issued and is not rewritten.

    Raises
    ------
    NotFoundError
        If there is no such clarification.
    InputError
        For an empty cadre.
    ConflictError
        If the entry changed since ``expected_version`` was read.
    """
    who = _need_who(who)
    row = session.get(ClarificationRow, clarification_id)
    if row is None:
        raise NotFoundError(f"没有编号为 {clarification_id!r} 的澄清记录")
    _check_version("澄清函登记", clarification_id, row.version, expected_version)
    if cadre is not None and not str(cadre).strip():
        raise InputError(f"澄清记录 #{clarification_id!r} 须写明被澄清干部，收到 {cadre!r}")
    wanted = {"cadre": None if cadre is None else str(cadre).strip(), "issued_date": issued_date, "scope": scope}
    after = {k: v for k, v in wanted.items() if v is not None}
    changes = diff({k: getattr(row, k) for k in after}, after)
    if not changes:
        return False
    for k, v in after.items():
        setattr(row, k, v)
    case = session.get(CaseRow, row.case_id)
    _history(session, case, who, "clarification_corrected", {"clarification_id": clarification_id,
                                                             "changes": changes})
    log_change(session, "clarification", clarification_id, who=who, action="corrected", case_id=case.id,
               changes=changes)
    from planner.office import audit

    audit.record(session, who, "clarification_correct", case_nos=[case.case_no],
                 detail={"letter": clarification_id, "fields": list(changes)})
    _flush(session, f"clarification {clarification_id!r}")
    return True
