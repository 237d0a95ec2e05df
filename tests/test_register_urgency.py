"""A register's 紧急程度 column sets each letter's severity, which 选件 ranks on (found on walk B, M2).

Walk B's register (GBK, header 紧急程度 with 特急/紧急/一般) was imported with every letter at severity 3: the column
only landed among the letter's own columns, and 选件 left out the 特急 letter 漳纪信2026-104 (雪美村 sand mining
still going on at night) while choosing the older 紧急 letter 024 of the same village.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from planner.intake.columns import detect_mapping
from planner.intake.register import import_register, read_register
from planner.intake.urgency import read_urgency, severity_of
from planner.selection.ranking import rank_cases
from planner.store.cases import load_cases
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 3)
HEADER = "编号,收文日期,来信人,电话,身份证号,反映对象,涉及单位,县区,乡镇,村,问题摘要,类别,紧急程度,备注"
# Rows of walk B's register as written (the petitioners' numbers replaced by made-up ones).
WALK_ROWS = [
    "漳纪信2026-002,2026-09-03,陈秀英,13860712356,,书洋镇林业站,书洋镇林业站,南靖县,书洋镇,塔下村,"
    "林业站向林农收取桉树砍伐保证金每亩300元，砍伐后一直不退还。,林业,一般,",
    "漳纪信2026-024,2026-09-19,刘秀兰,18950587604,,陈巷镇,陈巷镇,长泰区,陈巷镇,雪美村,"
    "雪美村河道非法采砂，镇里不管。,环保,紧急,",
    "漳纪信2026-104,2026-11-17,吴家明,13950473318,,陈巷镇,陈巷镇,长泰区,陈巷镇,雪美村,"
    "雪美村非法采砂仍在继续，晚上开工。,环保,特急,",
]


def _register(rows, header: str = HEADER) -> bytes:
    """The register as the office's Excel saves a CSV: GBK."""
    return ("\n".join([header, *rows]) + "\n").encode("gbk")


def _severities(engine) -> dict[str, int]:
    with session_scope(engine) as s:
        return dict(s.execute(select(CaseRow.case_no, CaseRow.severity)).all())


def test_walk_register_imports_with_te_ji_above_jin_ji_above_yi_ban(engine) -> None:
    preview = read_register(_register(WALK_ROWS), filename="register.csv", today=TODAY)
    assert preview.mapping["severity"] == "紧急程度"
    note = preview.severity_note()
    assert "特急 1 件 → 5" in note and "紧急 1 件 → 4" in note and "一般 1 件 → 3" in note

    summary = import_register(engine, _register(WALK_ROWS), filename="register.csv", today=TODAY)
    assert summary.imported == 3 and summary.rejected == 0
    sev = _severities(engine)
    assert sev["漳纪信2026-104"] > sev["漳纪信2026-024"] > sev["漳纪信2026-002"]
    assert (sev["漳纪信2026-104"], sev["漳纪信2026-024"], sev["漳纪信2026-002"]) == (5, 4, 3)
    with session_scope(engine) as s:  # the office's own word stays on the letter as written
        extra = s.scalar(select(CaseRow.extra_fields).where(CaseRow.case_no == "漳纪信2026-104"))
    assert extra["紧急程度"] == "特急"


def test_te_ji_letter_ranks_above_an_otherwise_equal_yi_ban_letter(engine) -> None:
    # Two letters alike in everything but number, urgency and writer (two villagers sending the same words; one
    # writer's letter under two numbers is one letter, refused the second time); the 一般 one has the lower number,
    # which used to decide the tie (both were severity 3).
    same = "2026-11-17,{who},,陈巷镇,陈巷镇,长泰区,陈巷镇,雪美村,雪美村非法采砂仍在继续，晚上开工。,环保"
    rows = [f"漳纪信2026-103,{same.format(who='吴家明,13950473318')},一般,",
            f"漳纪信2026-104,{same.format(who='吴秀珍,13950470021')},特急,"]
    import_register(engine, _register(rows), filename="register.csv", today=TODAY)
    with session_scope(engine) as s:
        cases = load_cases(s)
    ranked = rank_cases(cases, today=TODAY)
    order = [r.case.case_no for r in ranked]
    assert order.index("漳纪信2026-104") < order.index("漳纪信2026-103")
    by_no = {r.case.case_no: r for r in ranked}
    assert by_no["漳纪信2026-104"].score > by_no["漳纪信2026-103"].score
    reason = next(c.reason for c in by_no["漳纪信2026-104"].components if c.name == "severity")
    assert "严重程度 5" in reason


def test_a_word_not_understood_is_kept_and_reported_with_the_severity_used(engine) -> None:
    rows = [WALK_ROWS[0].replace(",一般,", ",一级,"), WALK_ROWS[2]]
    preview = read_register(_register(rows), filename="register.csv", today=TODAY)
    issues = [i for i in preview.issues if i.column == "紧急程度"]
    assert len(issues) == 1
    issue = issues[0]
    assert issue.row == 2 and issue.level == "warning"
    assert "一级" in issue.message and "无法识别" in issue.message and "按 3" in issue.message
    assert "无法识别 1 件" in preview.severity_note()
    import_register(engine, _register(rows), filename="register.csv", today=TODAY)
    sev = _severities(engine)
    assert sev == {"漳纪信2026-002": 3, "漳纪信2026-104": 5}
    with session_scope(engine) as s:
        extra = s.scalar(select(CaseRow.extra_fields).where(CaseRow.case_no == "漳纪信2026-002"))
    assert extra["紧急程度"] == "一级"


def test_a_register_without_an_urgency_column_leaves_severity_as_it_is(engine) -> None:
    header = HEADER.replace(",紧急程度", "")
    rows = [r.replace(",一般,", ",").replace(",紧急,", ",").replace(",特急,", ",") for r in WALK_ROWS]
    assert "severity" not in read_register(_register(rows, header), filename="r.csv", today=TODAY).mapping
    import_register(engine, _register(rows, header), filename="r.csv", today=TODAY)
    assert set(_severities(engine).values()) == {3}
    with session_scope(engine) as s:
        s.execute(update(CaseRow).where(CaseRow.case_no == "漳纪信2026-104").values(severity=5))
    again = import_register(engine, _register(rows, header), filename="r.csv", today=TODAY)
    assert again.unchanged == 3 and again.updated == 0
    assert _severities(engine)["漳纪信2026-104"] == 5


def test_re_importing_with_the_column_updates_the_severity(engine) -> None:
    rows = [WALK_ROWS[1]]
    import_register(engine, _register(rows), filename="register.csv", today=TODAY)
    assert _severities(engine)["漳纪信2026-024"] == 4
    summary = import_register(engine, _register([rows[0].replace(",紧急,", ",特急,")]), filename="register.csv",
                              today=TODAY)
    assert summary.updated == 1
    assert _severities(engine)["漳纪信2026-024"] == 5


@pytest.mark.parametrize("header", ["紧急程度", "缓急程度", "急缓", "紧急", "重要程度", "严重程度", "问题严重程度",
                                    "等级", "优先级", "办理时限类别", "紧急程度（特急/紧急/一般）"])
def test_urgency_headers_are_recognised(header: str) -> None:
    assert detect_mapping(["编号", "收件日期", "反映内容", header]).get("severity") == header


@pytest.mark.parametrize("header", ["紧急联系人", "紧急联系电话", "干部等级评定", "办理期限"])
def test_headers_that_only_contain_a_short_urgency_word_are_not_urgency(header: str) -> None:
    assert detect_mapping(["编号", "收件日期", "反映内容", header]).get("severity") is None


@pytest.mark.parametrize(("written", "severity"), [
    ("特急", 5), ("特急件", 5), ("加急", 4), ("紧急", 4), ("急", 4), ("急件", 4), ("（紧急）", 4), (" 一般 ", 3),
    ("普通", 3), ("平件", 3), ("缓", 2), ("高", 4), ("中", 3), ("低", 2), (1, 1), (5, 5), (4.0, 4), ("3", 3),
    ("★★★★★", 5), ("ＴＥ", None), ("一级", None), ("6", None), (0, None), ("", None), (None, None),
])
def test_urgency_words(written: object, severity: int | None) -> None:
    assert read_urgency(written) == severity


def test_an_empty_cell_is_the_default_without_a_message_and_an_unknown_one_says_so() -> None:
    assert severity_of("") == (None, "")
    assert severity_of("特急") == (5, "")
    used, message = severity_of("看情况")
    assert used == 3 and "看情况" in message and "按 3" in message


def test_numbers_are_read_on_the_system_scale_and_the_preview_says_so() -> None:
    rows = [WALK_ROWS[0].replace(",一般,", ",1,"), WALK_ROWS[2].replace(",特急,", ",5,")]
    preview = read_register(_register(rows), filename="register.csv", today=TODAY)
    assert [r.values["severity"] for r in preview.rows] == [1, 5]
    assert any("1 最缓、5 最急" in i.message for i in preview.issues if i.column == "紧急程度")


def test_a_te_ji_letter_outranks_an_older_overdue_letter_of_the_same_place() -> None:
    """Re-walk (2026-12-03): 漳纪信2026-104 (特急: sand mining still going on at night) ranked 253rd of 280, below
    the older 紧急 letter 024 of the same village, because urgency only added a point or two of "severity" on top
    of the category's own gravity while an overdue deadline weighs 40. The office's 特急 now weighs like a near
    deadline of its own (SelectionWeights.urgency, in 设置), and the reason says it."""
    import datetime as dt

    from planner.domain import PetitionCase
    from planner.selection.ranking import score_case

    on = dt.date(2026, 12, 3)

    def case(no: str, received: dt.date, deadline: dt.date, severity: int) -> PetitionCase:
        return PetitionCase(case_no=no, received_date=received, deadline=deadline, category="环境",
                            content="雪美村非法采砂仍在继续，晚上开工。", severity=severity)

    old = case("024", dt.date(2026, 9, 1), dt.date(2026, 10, 31), 3)  # overdue by a month, no mark
    urgent = case("104", dt.date(2026, 11, 17), dt.date(2027, 1, 16), 5)  # 特急, deadline far ahead
    s_old, _ = score_case(old, today=on)
    s_urgent, comps = score_case(urgent, today=on)
    assert s_urgent > s_old
    assert any(c.name == "urgency" and "特急" in c.reason for c in comps)
    plain, plain_comps = score_case(case("105", dt.date(2026, 11, 17), dt.date(2027, 1, 16), 3), today=on)
    assert not any(c.name == "urgency" for c in plain_comps) and plain < s_urgent
