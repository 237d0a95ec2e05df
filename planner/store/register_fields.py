"""What a case keeps from its register beyond the case fields: the office's own columns, and how its category was set
(from the register, inferred from the text, or corrected by a person)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import ConflictError, InputError
from planner.intake.categorize import category_label
from planner.office import audit
from planner.store.cases import get_case_row
from planner.store.models import CaseHistory, CaseRow
from planner.vocabulary import category_name


@dataclass(frozen=True, slots=True)
class RegisterFields:
    """A case's register columns that no field takes, and the basis of its category."""

    case_no: str
    category: str
    category_source: str  # "" register | "inferred" | "corrected"
    category_reason: str
    category_confidence: float | None
    extra: tuple[tuple[str, str], ...]  # (header, text) in the register's column order
    version: int
    place_note: str = ""  # how the address was resolved, or why it could not be (the resolver's words)

    @property
    def category_inferred(self) -> bool:
        """True when the category was inferred from the text and nobody has confirmed it."""
        return self.category_source == "inferred"

    def category_basis(self) -> str:
        """How the category was set, in words."""
        return category_basis(self.category_source, self.category_reason, self.category_confidence)

    def category_label(self, *, grouped: bool = False) -> str:
        """The category as people read it (:func:`planner.intake.categorize.category_label`): ``三资管理``, as the
        register wrote it, ``林业（按内容推断，把握较大）``."""
        return category_label(self.category, self.category_source, self.category_reason, self.category_confidence,
                              grouped=grouped)


def category_basis(source: str, reason: str, confidence: float | None) -> str:
    """How a case's category was set, in words (登记表 / 推断 with reason and certainty / 人工更正)."""
    if source == "inferred":
        sure = f"，把握 {round(confidence * 100)}%" if confidence is not None else ""
        return f"推断：{reason}{sure}"
    if source == "corrected":
        return f"人工更正{('：' + reason) if reason else ''}"
    return f"登记表（{reason}）" if reason else "登记表"


def category_labels(session: Session, case_nos: Iterable[str], *, grouped: bool = False) -> dict[str, str]:
    """The categories of these cases as people read them, by case number
    (:func:`planner.intake.categorize.category_label`: the register's word as written, an inference said to be one).

    Parameters
    ----------
    session
        Open session.
    case_nos
        The cases wanted; numbers not in the database are left out.
    grouped
        Also name the product's category a register word is counted under (``三资管理（按村务财务统计）``).

    Returns
    -------
    dict[str, str]
    """
    wanted = sorted(set(case_nos))
    if not wanted:
        return {}
    rows = session.execute(select(CaseRow.case_no, CaseRow.category, CaseRow.category_source, CaseRow.category_reason,
                                  CaseRow.category_confidence).where(CaseRow.case_no.in_(wanted)))
    return {no: category_label(cat or "", source or "", reason or "", conf, grouped=grouped)
            for no, cat, source, reason, conf in rows}


def register_fields(session: Session, case_no: str) -> RegisterFields:
    """The register fields of one case.

    Raises
    ------
    NotFoundError
        When the case does not exist.
    """
    row = get_case_row(session, case_no)
    return RegisterFields(
        case_no=row.case_no, category=row.category or "", category_source=row.category_source or "",
        category_reason=row.category_reason or "", category_confidence=row.category_confidence,
        extra=tuple((str(k), str(v)) for k, v in (row.extra_fields or {}).items()), version=row.version,
        place_note=row.geocode_message or "",
    )


def set_category(
    session: Session, case_no: str, category: str, *, who: str, note: str = "", expected_version: int | None = None
) -> RegisterFields:
    """Correct (or confirm) a case's category; recorded in its history. The caller commits.

    Parameters
    ----------
    category
        A category by Chinese name or code (``林业`` or ``forestry``); an office's own category is kept as written.
    who
        The user name recorded in the history.
    note
        Why, kept with the category.
    expected_version
        The case version the form was loaded at; a case changed since is refused.

    Raises
    ------
    InputError
        An empty category.
    NotFoundError
        When the case does not exist.
    ConflictError
        When the case has changed since ``expected_version``.
    """
    name = category_name(category)
    if not name:
        raise InputError(f"请选择或填写问题类别，收到 {category!r}")
    row = get_case_row(session, case_no)
    if expected_version is not None and row.version != expected_version:
        # Walk W20: said as 行程 says it, with the category as it is now (the user's choice stays in the form).
        raise ConflictError(
            f"信访件 {case_no} 已由他人修改（问题类别现为“{row.category or '未分类'}”；版本 {row.version}，"
            f"你看到的是版本 {expected_version}）。你的更正没有保存，仍在表单中：请刷新后再改"
        )
    old, old_source = row.category or "", row.category_source or ""
    row.category = name[:100]
    row.category_source = "corrected"
    row.category_reason = note.strip()[:500]
    row.category_confidence = None
    session.add(CaseHistory(case_id=row.id, who=who[:100], action="category",
                            detail={"from": old, "to": row.category, "was": old_source, "note": note.strip()}))
    # Walk W20: a category correction was only in the letter's 办理记录, never in 审计日志.
    audit.record(session, who or "system", "category_correct", case_nos=[row.case_no], reason=note.strip(),
                 detail={"from": old, "to": row.category})
    session.flush()
    return register_fields(session, case_no)
