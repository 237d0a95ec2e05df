"""One letter entered twice in one register under two numbers is one case (walk E, defect 1).

The walk's register listed 何金发's letter of 2026-11-19 as ZZXF-2026-0099 (序号 99) and again as ZZXF-2026-0132
(序号 132): same day, petitioner, phone and words. Both were imported without a word and 关联分析 then counted a
"重复举报 2 次". The rule for the same letter in a second register (refused, naming the case) now holds within
one register: the later row is refused naming the earlier row, its 序号 and its number.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.intake.register import import_register, read_register, rejected_rows
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

PAGE = str(Path(__file__).resolve().parents[1] / "pages" / "import_register.py")
TODAY = dt.date(2026, 12, 7)
HEADER = "序号,信访件编号,收件日期,信访人,联系电话,被反映单位/人,反映内容,问题发生地,备注,承办人"
LETTER = "马坑乡和春村村干部挪用修桥的钱给自己买了车。"
OTHER = "霞寨镇林业站收取桉树砍伐保证金不退。"


def _register(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def _walk_register() -> bytes:
    """序号 1 and 3 are one letter (as 99 and 132 were on the walk); 序号 2 is another."""
    return _register(
        f"1,ZZXF-2026-0099,2026-11-19,何金发,13606961234,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,黄丽",
        f"2,ZZXF-2026-0100,2026-11-20,林阿九,13906958877,霞寨镇林业站,{OTHER},平和县霞寨镇,,陈志强",
        f"3,ZZXF-2026-0132,2026-11-19,何金发,136 0696 1234,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,黄丽",
    )


def _cases(engine) -> list[str]:
    with session_scope(engine) as s:
        return sorted(s.scalars(select(CaseRow.case_no)))


def test_the_later_row_is_refused_naming_the_earlier_row_and_its_number() -> None:
    preview = read_register(_walk_register(), filename="register_q34.csv", today=TODAY)
    assert (preview.valid_rows, preview.rejected_rows, preview.repeated_rows, preview.duplicate_rows) == (2, 1, 1, 0)
    [line] = preview.error_lines()
    assert line == ("register_q34.csv 第4行（序号 3）：与第 2 行（序号 1，编号 ZZXF-2026-0099）为同一封信"
                    "（收信日期、信访人、反映内容相同），未重复导入")
    assert "1 行与本表前面的行是同一封信" in preview.same_letter_note()


def test_import_counts_it_keeps_it_among_the_rejected_rows_and_makes_one_case(engine) -> None:
    summary = import_register(engine, _walk_register(), filename="register_q34.csv", today=TODAY)
    assert (summary.imported, summary.rejected, summary.repeats, summary.duplicates) == (2, 1, 1, 0)
    assert "其中 1 行与本表前面的行是同一封信，未重复导入" in summary.text()
    assert summary.as_dict()["repeats"] == 1
    assert _cases(engine) == ["ZZXF-2026-0099", "ZZXF-2026-0100"]
    with session_scope(engine) as s:
        [rejected] = rejected_rows(s, summary.batch_id)
    assert rejected["行号"] == 4 and "第 2 行（序号 1，编号 ZZXF-2026-0099）为同一封信" in rejected["原因"]
    assert "何金发" not in str(rejected) and "13606961234" not in str(rejected)

    again = import_register(engine, _walk_register(), filename="register_q34.csv", today=TODAY)
    assert (again.imported, again.unchanged, again.rejected, again.repeats) == (0, 2, 1, 1)
    assert _cases(engine) == ["ZZXF-2026-0099", "ZZXF-2026-0100"]


def test_other_writers_and_anonymous_letters_with_the_same_words_stay_separate_letters() -> None:
    # Several villagers may send the same words on the same day: another phone, or nobody signed, is another letter.
    preview = read_register(_register(
        f"1,A-1,2026-11-19,何金发,13606961234,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,",
        f"2,A-2,2026-11-19,何金发,13906958877,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,",
        f"3,A-3,2026-11-19,匿名,,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,",
        f"4,A-4,2026-11-19,匿名,,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,",
        f"5,A-5,2026-11-20,何金发,13606961234,马坑乡 和春村,{LETTER},华安县马坑乡和春村,,",
    ), filename="r.csv", today=TODAY)
    assert (preview.valid_rows, preview.repeated_rows) == (5, 0)


def test_a_register_without_numbers_keeps_importing_two_identical_letters_as_two_with_a_hint() -> None:
    # README: without a number column the number is the letter; rows that differ in another cell (备注) are
    # imported as two letters (…-2) with a hint — unchanged.
    data = ("序号,收件日期,信访人,联系电话,反映内容,问题发生地,备注\n"
            f"1,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡和春村,\n"
            f"2,2026-11-19,何金发,13606961234,{LETTER},华安县马坑乡和春村,第二次来信\n").encode()
    preview = read_register(data, filename="q.csv", today=TODAY)
    assert (preview.valid_rows, preview.repeated_rows) == (2, 0)
    first, second = (str(r.values["case_no"]) for r in preview.rows)
    assert second == f"{first}-2"
    assert any("按另一封信导入" in i.message for i in preview.rows[1].issues)


def test_the_preview_page_says_how_many_rows_are_a_letter_entered_twice(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.session_state["actor"] = Actor("tester", "admin", display_name="测试管理员")
    app.session_state["import_file"] = ("register_q34.csv", _walk_register())
    app.run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["将拒收"] == "1"
    assert any("1 行与本表前面的行是同一封信" in w.value for w in app.warning)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(CaseRow)) == 0
