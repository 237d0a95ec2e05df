"""The same letter in two registers is one case (found on the walk, H2).

The quarter's register has no number column (its letters get 自编-… numbers); the county's register lists four
of the same letters as S-001…S-004 — same day, petitioner, phone and word-for-word content. Importing both used
to make eight cases: counts went up, each letter showed as a repeat of itself and was visited twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from planner.intake import register as ingest
from planner.intake.register import import_register, known_letters, read_register, rejected_rows
from planner.store.database import session_scope
from planner.store.models import CaseRow, RejectedRow

TODAY = dt.date(2026, 12, 3)

LETTERS = [  # day, petitioner, phone, reported, unit, county, address, content
    ("2026-08-05", "张美珠", "13959612345", "陈建国", "坂仔镇心田村委会", "平和县", "平和县坂仔镇心田村",
     "村里收取桉树砍伐保证金每亩300元，砍完后不予退还，林农多次讨要无果。"),
    ("2026-08-11", "郑国平", "13859651234", "郑某", "角美镇石美村委会", "龙海区", "龙海区角美镇石美村",
     "村里征地补偿款被村干部截留，每户少发了一万多元。"),
    ("2026-08-16", "黄志强", "13950612345", "黄某", "和溪镇乐土村委会", "南靖县", "南靖县和溪镇乐土村",
     "养老保险代缴费被村会计挪用，老人领不到养老金。"),
]
OTHER = ("2026-11-03", "黄秋菊", "13906962001", "黄某", "龙山镇", "南靖县", "南靖县龙山镇",
         "龙山镇某村桉树砍伐收保证金，每亩200元不退。")


def _quarter() -> bytes:
    """The office's register: numbered only by 序号 (numbers are generated)."""
    lines = ["序号,来信日期,信访人,联系电话,被反映人,被反映单位,所属区县,地址,反映内容"]
    lines += [f"{i},{','.join(row)}" for i, row in enumerate(LETTERS, 1)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _county(letters=LETTERS, *, extra=(OTHER,)) -> bytes:
    """The county's register, with its own numbers and headers, saved by Excel as GBK."""
    lines = ["编号,收件日期,举报人,电话,被举报对象,单位,县区,详细地址,主要问题"]
    lines += [f"S-{i:03d},{d.replace('-', '/')},{','.join(rest)}"
              for i, (d, *rest) in enumerate([*letters, *extra], 1)]
    return ("\n".join(lines) + "\n").encode("gbk")


def _count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(CaseRow))


def _numbers(engine) -> dict[str, str]:
    with session_scope(engine) as s:
        return {r.content: r.case_no for r in s.scalars(select(CaseRow))}


def test_a_letter_from_a_second_register_is_rejected_naming_the_case_it_already_is(engine) -> None:
    first = import_register(engine, _quarter(), filename="register_2026Q3.csv", today=TODAY)
    assert first.imported == 3
    numbers = _numbers(engine)

    second = import_register(engine, _county(), filename="register2_gbk.csv", today=TODAY)
    assert (second.imported, second.rejected, second.duplicates) == (1, 3, 3)
    assert "其中 3 行是已导入的信" in second.text()
    assert second.as_dict()["duplicates"] == 3
    assert _count(engine) == 4  # not 7
    with session_scope(engine) as s:
        assert not s.scalars(select(CaseRow).where(CaseRow.case_no.in_(["S-001", "S-002", "S-003"]))).all()
        reasons = {r["行号"]: r["原因"] for r in rejected_rows(s, second.batch_id)}
        batch_rejected = s.scalar(select(func.count()).select_from(RejectedRow)
                                  .where(RejectedRow.batch_id == second.batch_id))
    assert batch_rejected == 3
    twin = numbers[LETTERS[0][7]]
    assert twin.startswith("自编-")
    assert reasons[2] == (f"与已导入的信访件 {twin} 为同一封信（收信日期、信访人、反映内容相同），未重复导入")
    assert {twin, numbers[LETTERS[1][7]], numbers[LETTERS[2][7]]} == {
        reasons[n].split(" ")[1] for n in (2, 3, 4)}


def test_importing_either_register_again_changes_nothing(engine) -> None:
    import_register(engine, _quarter(), filename="a.csv", today=TODAY)
    import_register(engine, _county(), filename="b.csv", today=TODAY)
    again_b = import_register(engine, _county(), filename="b.csv", today=TODAY)
    again_a = import_register(engine, _quarter(), filename="a.csv", today=TODAY)
    assert (again_b.imported, again_b.updated, again_b.unchanged, again_b.duplicates) == (0, 0, 1, 3)
    assert (again_a.imported, again_a.updated, again_a.unchanged, again_a.rejected) == (0, 0, 3, 0)
    assert _count(engine) == 4


def test_the_order_does_not_matter_the_first_register_keeps_the_letter(engine) -> None:
    import_register(engine, _county(), filename="b.csv", today=TODAY)
    later = import_register(engine, _quarter(), filename="a.csv", today=TODAY)
    assert (later.imported, later.duplicates) == (0, 3)
    assert _count(engine) == 4
    assert all(r.message.startswith("与已导入的信访件 S-00") for r in later.issues if r.level == "error")


def test_spaces_and_punctuation_do_not_make_another_letter_but_another_petitioner_does(engine) -> None:
    import_register(engine, _quarter(), filename="a.csv", today=TODAY)
    d, name, phone, *rest, content = LETTERS[0]
    retyped = (d, name, phone, *rest, content.replace("，", " ； ").replace("。", "！").replace("300", "３００"))
    other_phone = (*LETTERS[1][:2], "13900000000", *LETTERS[1][3:])
    other_day = ("2026-08-17", *LETTERS[2][1:])
    summary = import_register(engine, _county([retyped, other_phone, other_day], extra=()), filename="b.csv",
                              today=TODAY)
    assert (summary.imported, summary.duplicates) == (2, 1)
    assert _count(engine) == 5


def test_the_preview_already_shows_the_rows_that_are_imported_letters(engine) -> None:
    import_register(engine, _quarter(), filename="a.csv", today=TODAY)
    with session_scope(engine) as s:
        known = known_letters(s)
    preview = read_register(_county(), filename="b.csv", today=TODAY, known_letters=known)
    assert (preview.valid_rows, preview.rejected_rows, preview.duplicate_rows) == (1, 3, 3)
    assert read_register(_county(), filename="b.csv", today=TODAY).duplicate_rows == 0


def test_the_same_letter_twice_in_one_register_still_imports_as_two_and_re_imports_unchanged(engine) -> None:
    # The documented in-file rule (another cell differs: two letters, the second numbered …-2) is kept.
    lines = ["序号,来信日期,信访人,联系电话,被反映人,被反映单位,所属区县,地址,反映内容,备注"]
    lines += [f"1,{','.join(LETTERS[0])},第一封", f"2,{','.join(LETTERS[0])},第二封"]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    first = import_register(engine, data, filename="c.csv", today=TODAY)
    again = import_register(engine, data, filename="c.csv", today=TODAY)
    assert first.imported == 2
    assert (again.imported, again.unchanged, again.rejected) == (0, 2, 0)


def test_an_import_that_fails_after_finding_the_duplicates_writes_nothing(engine, monkeypatch) -> None:
    import_register(engine, _quarter(), filename="a.csv", today=TODAY)

    def boom(*_a, **_k) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "_insert_new", boom)
    with pytest.raises(RuntimeError):
        import_register(engine, _county(), filename="b.csv", today=TODAY)
    assert _count(engine) == 3
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(RejectedRow)) == 0


def test_anonymous_letters_with_the_same_words_are_several_letters(engine) -> None:
    """A letter copied and signed by nobody may come from several villagers on one day: with no petitioner there
    is nothing that makes two such rows one letter, so a second register's anonymous copy is imported, not
    rejected (the 地名库 correction test's later anonymous letter had been refused as the same letter)."""
    day, *_rest, address, content = LETTERS[0]
    first = ("序号,来信日期,信访人,联系电话,所属区县,地址,反映内容\n"
             f"1,{day},,,平和县,{address},{content}\n").encode()
    second = ("编号,收件日期,举报人,电话,县区,详细地址,主要问题\n"
              f"S-101,{day},,,平和县,{address},{content}\n").encode()
    import_register(engine, first, filename="a.csv", today=TODAY)
    res = import_register(engine, second, filename="b.csv", today=TODAY)
    assert res.imported == 1 and res.rejected == 0
    assert _count(engine) == 2
