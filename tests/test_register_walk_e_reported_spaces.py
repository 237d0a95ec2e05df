"""被反映单位/人 cells the clerk parted with spaces (walk E, defect 3).

"霞寨镇林业站 站长 游某" was kept as one item with no unit; "武安镇 某村" became a person "某村（武安镇）", and
"马坑乡 和春村", "角美镇 国土所" likewise made persons of a village and an office.
"""

from __future__ import annotations

import datetime as dt

import pytest

from planner.intake.register import read_register
from planner.intake.rows import split_reported


@pytest.mark.parametrize(
    ("cell", "persons", "units"),
    [
        # unit, post, name: the person with all before the name, and the unit without the post
        ("霞寨镇林业站 站长 游某", ["游某（霞寨镇林业站站长）"], ["霞寨镇林业站"]),
        ("岩溪镇 国土所 所长 许某", ["许某（岩溪镇国土所所长）"], ["岩溪镇国土所"]),
        ("东美社区 党支部书记 郑某", ["郑某（东美社区党支部书记）"], ["东美社区党支部"]),
        ("浦南镇 干部 王某", ["王某（浦南镇干部）"], ["浦南镇"]),
        # places and offices only: one unit, never a person
        ("武安镇 某村", [], ["武安镇某村"]),
        ("马坑乡 和春村", [], ["马坑乡和春村"]),
        ("角美镇 国土所", [], ["角美镇国土所"]),
        ("诏安县 红星乡", [], ["诏安县红星乡"]),
        ("霞寨镇 林业站", [], ["霞寨镇林业站"]),
        # a unit and a post without a name: the unit's officer, and the unit
        ("上蔡村 会计", ["会计（上蔡村）"], ["上蔡村"]),
        ("陈巷镇 某村 会计", ["会计（陈巷镇某村）"], ["陈巷镇某村"]),
        ("湖西乡 村干部", ["村干部（湖西乡）"], ["湖西乡"]),
    ],
)
def test_a_spaced_cell_is_read_as_unit_post_and_name(cell: str, persons: list[str], units: list[str]) -> None:
    assert split_reported(cell) == (persons, units)


@pytest.mark.parametrize(
    ("cell", "persons", "units"),
    [
        # walk C's forms read as before
        ("东美社区党支部书记 郑某", ["郑某（东美社区党支部书记）"], ["东美社区党支部"]),
        ("土田村党支部书记 赖木生", ["赖木生（土田村党支部书记）"], ["土田村党支部"]),
        ("山格镇林业站 林某", ["林某（山格镇林业站）"], ["山格镇林业站"]),
        ("村主任 张三", ["张三（村主任）"], []),
        ("林建国 陈明", ["林建国", "陈明"], []),
        # a given name ending like an office (科) stays a name
        ("山格镇林业站 李文科", ["李文科（山格镇林业站）"], ["山格镇林业站"]),
        # two people in one item is not guessed at: kept as written
        ("村主任 林某 会计 陈某", ["村主任 林某 会计 陈某"], []),
    ],
)
def test_other_spaced_cells_keep_their_reading(cell: str, persons: list[str], units: list[str]) -> None:
    assert split_reported(cell) == (persons, units)


def test_the_walk_rows_import_with_their_units() -> None:
    data = ("编号,收件日期,被反映单位/人,反映内容\n"
            "E-5,2026-09-22,霞寨镇林业站 站长 游某,补种后去林业站要押金，推说要等上级文件。\n"
            "E-127,2026-11-26,武安镇 某村,武安镇有村干部把公益林补偿款分给了自家人。\n").encode()
    rows = read_register(data, filename="r.csv", today=dt.date(2026, 12, 7)).rows
    assert [(r.values["reported_persons"], r.values["reported_units"]) for r in rows] == [
        (["游某（霞寨镇林业站站长）"], ["霞寨镇林业站"]), ([], ["武安镇某村"])]
