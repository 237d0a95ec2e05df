"""Walk K: a 办结时限 column (十五个工作日, 60, 2026.12.31) was not recognised and every letter silently got the default
60 days; full-width case numbers (ZA２０２６－０２) were stored full-width."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from planner.intake.columns import detect_mapping
from planner.intake.register import import_register, read_register
from planner.store.database import session_factory
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 4)


def _csv(*lines: str) -> bytes:
    return "\n".join(lines).encode("utf-8")


def test_banjie_shixian_is_the_deadline_column() -> None:
    data = _csv("件号,收到时间,反映地点,反映事项,办结时限",
                "LH-2,2026-11-03,龙海区东园镇,反映土地流转租金被截留。,十五个工作日",
                "LH-3,2026-11-05,龙海区榜山镇,反映拆迁补偿不透明。,60",
                "LH-5,2026-11-07,龙海区紫泥镇,反映清淤工程虚报工程量。,2026.12.31")
    preview = read_register(data, filename="龙海区.csv", today=TODAY)
    assert preview.mapping["deadline"] == "办结时限"
    due = {r.values["case_no"]: r.values["deadline"] for r in preview.rows}
    assert due == {"LH-2": dt.date(2026, 11, 24), "LH-3": dt.date(2027, 1, 4), "LH-5": dt.date(2026, 12, 31)}
    assert "办理期限" not in preview.reading_note()


@pytest.mark.parametrize("header", ["办结时限", "办结期限", "办理时限", "限办时间", "回复期限", "答复期限", "时限"])
def test_headers_clerks_write_for_the_deadline(header: str) -> None:
    assert detect_mapping(["编号", "收件日期", "反映内容", header])["deadline"] == header


def test_the_preview_says_when_no_deadline_column_was_found() -> None:
    preview = read_register(_csv("编号,收件日期,反映内容,承办时间", "A1,2026-11-03,反映低保不公。,五天"),
                            filename="无期限.csv", today=TODAY)
    assert "deadline" not in preview.mapping
    assert "没有找到办理期限列" in preview.reading_note() and "60 天" in preview.reading_note()
    assert preview.rows[0].values["deadline"] == dt.date(2027, 1, 2)


FULL_WIDTH = _csv("编号,收件日期,地址,反映内容",
                  "ZA２０２６－０１,2026-11-03,诏安县四都镇,反映低保评定不公。",
                  "ZA２０２６－０２,2026-11-04,诏安县南诏镇,反映征地补偿不到位。")


def test_full_width_case_numbers_are_read_half_width() -> None:
    preview = read_register(FULL_WIDTH, filename="诏安.csv", today=TODAY)
    assert [r.values["case_no"] for r in preview.rows] == ["ZA2026-01", "ZA2026-02"]


def test_one_number_written_both_ways_in_one_register_is_a_repeat() -> None:
    data = _csv("编号,收件日期,地址,反映内容",
                "ZA２０２６－０１,2026-11-03,诏安县四都镇,反映低保评定不公。",
                "ZA2026-01,2026-11-05,诏安县南诏镇,反映征地补偿不到位。")
    preview = read_register(data, filename="诏安.csv", today=TODAY)
    assert not preview.rows[1].ok and "与第 2 行重复" in preview.rows[1].issues[-1].message


def _count(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(CaseRow))


def test_reimporting_full_width_numbers_creates_no_duplicates(engine) -> None:
    first = import_register(engine, FULL_WIDTH, filename="诏安.csv", today=TODAY)
    assert first.imported == 2
    half = _csv("编号,收件日期,地址,反映内容",
                "ZA2026-01,2026-11-03,诏安县四都镇,反映低保评定不公。",
                "ZA2026-02,2026-11-04,诏安县南诏镇,反映征地补偿不到位。")
    again = import_register(engine, half, filename="诏安-半角.csv", today=TODAY)
    assert (again.imported, again.unchanged, again.rejected, _count(engine)) == (0, 2, 0, 2)


def test_a_number_stored_full_width_before_is_the_same_case(engine) -> None:
    import_register(engine, FULL_WIDTH, filename="诏安.csv", today=TODAY)
    with session_factory(engine)() as s:  # as an import before this fix stored it
        s.execute(update(CaseRow).where(CaseRow.case_no == "ZA2026-02").values(case_no="ZA２０２６－０２"))
        s.commit()
    again = import_register(engine, FULL_WIDTH, filename="诏安.csv", today=TODAY)
    assert (again.imported, again.rejected, _count(engine)) == (0, 0, 2)
