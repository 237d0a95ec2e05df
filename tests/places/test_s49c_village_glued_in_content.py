"""A register with 县区 and 乡镇 columns but no 村 column: the letter's content “珪后村镇干部强拆民房” names 珪后村 of
岩溪镇 glued to the words after it, and the import placed the letter at the town only (the content was read only when
the address was empty or reached only the county). Now a village of the town written, named in full in the content,
is the letter's village, said so; a name that only begins like a village's (珪后镇干部, 珪后人), a village of another
town, or two villages of the town are not read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from planner.intake.register import import_register
from planner.store.database import session_factory
from planner.store.models import CaseRow

CONTENTS = {  # 编号 -> (乡镇 column, content), all in 长泰区
    "G-1": ("岩溪镇", "珪后村镇干部强拆民房"),  # 珪后村 glued to 镇干部: read
    "G-2": ("岩溪镇", "我是岩溪镇珪后村村民，反映村干部侵占土地"),  # read
    "G-3": ("岩溪镇", "珪后镇干部强拆民房"),  # only begins like 珪后村: not read
    "G-4": ("岩溪镇", "珪后人反映镇干部强拆民房"),  # no 村: not read
    "G-5": ("岩溪镇", "高层村镇干部强拆民房"),  # 高层村 is 坂里乡's: not read, the town kept without a check
    "G-6": ("岩溪镇", "珪后村和上蔡村的村干部强拆民房"),  # two villages of the town: not read
    "G-7": ("岩溪镇", "村干部强拆民房"),  # no village
}


def _csv() -> bytes:
    lines = ["编号,收件日期,信访人,县区,乡镇,反映内容"]
    lines += [f"{no},2026-10-01,某{no[-1]},长泰区,{town},{text}" for no, (town, text) in CONTENTS.items()]
    return "\n".join(lines).encode("utf-8")


def test_a_village_of_the_town_named_in_the_content_is_read(engine) -> None:
    import_register(engine, _csv(), filename="g.csv", today=dt.date(2026, 12, 7))
    with session_factory(engine)() as s:
        got = {no: (town, village, precision, note) for no, town, village, precision, note in s.execute(
            select(CaseRow.case_no, CaseRow.town, CaseRow.village, CaseRow.precision, CaseRow.geocode_message))}
    assert set(got) == set(CONTENTS)
    for no in ("G-1", "G-2"):
        town, village, precision, note = got[no]
        assert (town, village, precision) == ("岩溪镇", "珪后村", "village"), got[no]
        assert note.startswith("地址只写到乡镇（岩溪镇），村（珪后村）取自反映内容"), note
        assert "请核对" not in note  # the town is the address's; the village its own, named in full
    for no in ("G-3", "G-4", "G-5", "G-6", "G-7"):
        town, village, precision, note = got[no]
        assert (town, village, precision) == ("岩溪镇", "", "town"), (no, got[no])
        assert "取自反映内容" not in note and "请核对" not in note, (no, note)
