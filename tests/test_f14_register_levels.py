"""Walk W19: a register whose 紧急程度 wrote 紧急 / 较急 / 一般 was read word by word, 紧急 and 较急 both 4（急）, and
选件 could not rank 紧急 above 较急. A register's levels are read as a whole (planner.intake.register_levels): its own
order is kept on the severity scale with 一般 at 3, the preview says which word became which severity and why, a
re-import changes nothing, and a later register with other levels leaves stored letters whose cell is unchanged as
they are (said in the preview), unless their stored severities merged this register's levels."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from planner.intake.register import import_register, read_register
from planner.intake.register_levels import read_levels_of, stored_levels_note
from planner.store.database import session_scope
from planner.store.models import CaseRow

TODAY = dt.date(2026, 12, 3)
HEADER = "编号,收文日期,来信人,县区,乡镇,村,问题摘要,类别,紧急程度"
PLACES = [("南靖县", "书洋镇", "塔下村"), ("长泰区", "陈巷镇", "雪美村"), ("平和县", "小溪镇", "西林村"),
          ("华安县", "仙都镇", "大地村"), ("云霄县", "火田镇", "西林村"), ("诏安县", "官陂镇", "大边村")]
TOPICS = ["村集体鱼塘承包费去向不明", "低保评定优亲厚友", "征地补偿款被截留", "河道非法采砂无人管",
          "村干部违规占用集体土地建房", "危房改造补助被冒领"]


def _row(no: int, level: str) -> str:
    county, town, village = PLACES[no % len(PLACES)]
    return (f"龙纪信2026-{no:03d},2026-11-{no % 27 + 1:02d},信访人{no},{county},{town},{village},"
            f"{village}{TOPICS[no % len(TOPICS)]}（第{no}号来信）。,村务,{level}")


def _register(levels: dict[int, str]) -> bytes:
    return ("\n".join([HEADER, *(_row(no, level) for no, level in levels.items())]) + "\n").encode("gbk")


def _severities(engine) -> dict[int, int]:
    with session_scope(engine) as s:
        return {int(no[-3:]): sev for no, sev in s.execute(select(CaseRow.case_no, CaseRow.severity))}


W19 = {1: "紧急", 2: "较急", 3: "一般", 4: "较急", 5: "紧急", 6: "一般", 7: "较急"}


def test_w19_levels_keep_their_order_and_the_preview_says_why(engine) -> None:
    preview = read_register(_register(W19), filename="登记表.csv", today=TODAY)
    note = preview.severity_note()
    assert "紧急 2 件 → 5（最急）" in note and "较急 3 件 → 4（急）" in note and "一般 2 件 → 3（一般）" in note
    assert "本表的等级 紧急 > 较急 > 一般 按整张表的先后对应 5、4、3" in note and "注意" not in note
    summary = import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)
    assert summary.imported == 7
    sev = _severities(engine)
    assert sev[1] == sev[5] == 5 and sev[2] == sev[4] == sev[7] == 4 and sev[3] == sev[6] == 3
    again = import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)  # no spurious 更新
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 7)
    assert _severities(engine) == sev


def test_each_register_is_placed_by_its_own_levels() -> None:
    def placed(*words: str) -> list[int]:
        reading = read_levels_of(words)
        return [reading.of(w) for w in words]

    assert placed("特急", "紧急", "一般") == [5, 4, 3]
    assert placed("紧急", "较急", "一般") == [5, 4, 3]
    assert placed("紧急", "一般") == [4, 3]  # one level above 一般: as the word says
    assert placed("特急", "一般") == [5, 3]
    assert placed("特急件", "（紧急）", "急件", "一般", "缓") == [5, 4, 4, 3, 2]  # 紧急 and 急件: one level
    assert placed("一般", "较缓", "缓") == [3, 2, 1]
    assert placed("特急", "加急", "紧急", "一般") == [5, 4, 4, 3]
    assert placed("3", "5", "紧急", "较急") == [None, None, 5, 4]  # numbers stay as written (read row by row)
    four = read_register(_register({1: "特急", 2: "加急", 3: "紧急", 4: "一般"}), filename="r.csv",
                         today=TODAY).severity_note()
    assert "加急、紧急 最接近，同按 4（急）计" in four and "特急 1 件 → 5（最急）" in four


def test_a_later_register_with_other_levels_keeps_stored_letters_whose_cell_is_unchanged(engine) -> None:
    import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)
    # The next month's register repeats the letters and adds a 特急 one and a 紧急 one: read alone it would be
    # 特急/紧急/较急 → 5/4/4 and every stored 紧急 letter would fall from 5 to 4.
    later = {**W19, 8: "特急", 9: "紧急"}
    preview = read_register(_register(later), filename="12月登记表.csv", today=TODAY)
    with session_scope(engine) as s:
        note = stored_levels_note(s, preview.rows)
    assert "保留原来的严重程度" in note and "紧急 2 件保留 5（本表单独读作 4）" in note
    assert "因此 特急、紧急 同按 5（最急）计" in note  # what keeping them costs, said
    summary = import_register(engine, _register(later), filename="12月登记表.csv", today=TODAY)
    assert (summary.imported, summary.updated) == (2, 0)
    sev = _severities(engine)
    assert sev[1] == sev[5] == 5 and sev[2] == 4 and sev[8] == 5
    assert sev[9] == 5  # a new 紧急 letter as the stored 紧急 ones: one word, one severity
    again = import_register(engine, _register(later), filename="12月登记表.csv", today=TODAY)  # and it stays so
    assert (again.imported, again.updated) == (0, 0) and _severities(engine) == sev


def test_a_changed_cell_is_read_by_the_new_register(engine) -> None:
    import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)
    summary = import_register(engine, _register({**W19, 3: "紧急"}), filename="登记表.csv", today=TODAY)
    assert summary.updated == 1
    assert _severities(engine)[3] == 5


def test_letters_stored_with_levels_merged_are_reordered_and_told(engine) -> None:
    import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)
    with session_scope(engine) as s:  # as imported before the levels were read as a whole: 紧急 and 较急 both 4
        s.execute(update(CaseRow).where(CaseRow.severity == 5).values(severity=4, content_hash="read word by word"))
    preview = read_register(_register(W19), filename="登记表.csv", today=TODAY)
    with session_scope(engine) as s:
        note = stored_levels_note(s, preview.rows)
    assert "按本表的等级重新计" in note and "紧急 2 件 4 → 5" in note
    summary = import_register(engine, _register(W19), filename="登记表.csv", today=TODAY)
    assert summary.updated == 2
    sev = _severities(engine)
    assert sev[1] == sev[5] == 5 and sev[2] == 4
