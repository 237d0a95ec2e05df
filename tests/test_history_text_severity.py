"""A re-import that changes a letter's urgency (紧急程度 column, severity) is told in Chinese in its history, not
as the field's English name (helper note, 2026-12-03)."""

from __future__ import annotations

from planner.store.history_text import describe


def test_a_severity_change_reads_in_chinese():
    text = describe("import_update", {"file": "q4.xlsx", "row": 7, "changed": {"severity": {"old": 3, "new": 5}}})
    assert "紧急程度" in text and "severity" not in text


def test_case_map_and_follow_up_describe_a_visit_and_an_import_update_in_words() -> None:
    """Re-walk E: 案件地图's 办理记录 read “visit_type：核查；…检查组：T3；原因：（空）” for a visit that 回访跟踪 told
    as “2026-12-07 已走访 第三检查组”; both now use one description, which also keeps the details of other actions."""
    import datetime as dt

    from planner.followup.common import HistoryEntry, describe_history

    at = dt.datetime(2026, 12, 7, 1, 30)
    visit = HistoryEntry(at, "ganbu3", "outcome", {"visit_date": "2026-12-07", "result": "visited",
                                                    "visit_type": "investigation", "team_id": "T3", "reason": ""})
    what, text = describe_history(visit, {"T3": "第三检查组"})
    assert (what, text) == ("登记走访结果", "2026-12-07 已走访 第三检查组")
    update = HistoryEntry(at, "xietiao", "import_update",
                          {"file": "登记表.xlsx", "row": 12, "changed": {"received_date": {"old": "2026-10-03",
                                                                                           "new": "2026-10-04"}}})
    what, text = describe_history(update)
    assert what == "导入更新" and "收件日期" in text and "2026-10-04" in text and "received_date" not in text
