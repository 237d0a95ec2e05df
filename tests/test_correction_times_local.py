"""The import's list of corrections made in the app gives their time in Beijing time, as every other page does (walk
W11b: a correction made at 08:21 read 12-07 00:21, the stored UTC); planner.office.clock.show_time formats it."""

import datetime as dt

from planner.intake.app_corrections import Correction


def test_a_correction_is_dated_in_beijing_time():
    c = Correction("ZZ-1", "category", "征地拆迁", "林业", who="林组长", at=dt.datetime(2026, 12, 6, 16, 21))
    assert c.as_row()["更正时间"] == "2026-12-07 00:21"
    assert "（林组长，2026-12-07 00:21 更正）" in c.line()
