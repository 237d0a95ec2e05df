"""A re-import that changes a letter's urgency (紧急程度 column, severity) is told in Chinese in its history, not
as the field's English name (helper note, 2026-12-03)."""

from __future__ import annotations

from planner.store.history_text import describe


def test_a_severity_change_reads_in_chinese():
    text = describe("import_update", {"file": "q4.xlsx", "row": 7, "changed": {"severity": {"old": 3, "new": 5}}})
    assert "紧急程度" in text and "severity" not in text
