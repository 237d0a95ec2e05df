"""回访跟踪 → 双反馈: the same feedback saved again is not stored twice (walk W31: 双反馈 → 党委政府 saved three times
for ZZ2026-011 stored three identical rows; a double tap stored ZZ2026-073's feedback to the petitioner twice).

An identical record (same letter, side, day, channel, recipient and text) is refused with 已有相同的反馈记录（…），
未重复保存; other text on the same day is still a second record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from planner.errors import InputError
from planner.followup.feedback import feedback_for_case, record_feedback
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow, FeedbackRow

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 12, 7)
NO = "ZZ2026-011"


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        s.add(
            CaseRow(
                case_no=NO,
                received_date=dt.date(2026, 11, 1),
                deadline=dt.date(2026, 12, 31),
                content="反映村里违规收取土地流转费",
                category="三资",
                county="龙海区",
                county_code="350604",
                town="东园镇",
                village="东园村",
                status="resolved",
            )
        )
    return engine


def _count(engine) -> int:
    with session_scope(engine) as s:
        return s.scalar(select(func.count()).select_from(FeedbackRow))


def test_the_same_feedback_is_stored_once(seeded) -> None:
    args = {"feedback_date": TODAY, "channel": "书面", "recipient": "东园镇党委", "content": "通报核查结果"}
    with session_scope(seeded) as s:
        record_feedback(s, NO, "government", who="lead1", **args)
    for _ in range(2):
        with session_scope(seeded) as s, pytest.raises(InputError) as again:
            record_feedback(s, NO, "government", who="lead1", **{**args, "content": " 通报核查结果 "})
        said = str(again.value)
        assert "已有相同的反馈记录" in said and "未重复保存" in said and NO in said, said
        assert "党委政府" in said and "2026-12-07" in said and "书面" in said, said
    assert _count(seeded) == 1
    # Another text, channel, recipient, day or side is another feedback.
    with session_scope(seeded) as s:
        record_feedback(s, NO, "government", who="lead1", **{**args, "content": "补充通报整改情况"})
        record_feedback(s, NO, "government", who="lead1", **{**args, "channel": "电话"})
        record_feedback(s, NO, "government", who="lead1", **{**args, "recipient": "龙海区委"})
        record_feedback(s, NO, "government", who="lead1", **{**args, "feedback_date": TODAY - dt.timedelta(days=1)})
        record_feedback(s, NO, "petitioner", who="lead1", **{**args, "recipient": ""})
        assert len(feedback_for_case(s, NO)) == 6


def test_the_page_says_it_was_not_saved_again(seeded, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = Actor(username="coord", role="coordinator")
    at.run()
    at.segmented_control(key="fu_scope").set_value("all").run()
    key = f"fu_{NO}_fb_new_"
    for _ in range(3):
        at.radio(key=key + "side").set_value("government").run()
        at.text_input(key=key + "recipient").input("东园镇党委")
        at.text_area(key=key + "content").input("通报核查结果")
        at.button(key=key + "save").click().run()
        assert not at.exception, at.exception
    assert _count(seeded) == 1
    said = " ".join(e.value for e in at.error)
    assert "已有相同的反馈记录" in said and "未重复保存" in said, said
