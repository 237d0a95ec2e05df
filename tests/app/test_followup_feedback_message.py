"""回访跟踪 → 双反馈: saving without 反馈内容 says so in plain Chinese (re-walk N8).

The walker saw "信访件 '自编-20260818-a2a76be9' 的反馈须填写内容，收到 ''": Python's quoting, and an empty string shown
as ''.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.errors import InputError
from planner.followup.feedback import correct_feedback, record_feedback
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import CaseRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)


def _plain(message: str) -> None:
    assert "反馈内容" in message and "不能为空" in message, message
    assert "'" not in message and "收到" not in message, message


@pytest.fixture()
def seeded(engine):
    with session_scope(engine) as s:
        s.add(CaseRow(case_no="自编-20260818-a2a76be9", received_date=dt.date(2026, 11, 1),
                      deadline=dt.date(2026, 12, 31), content="反映林业站收取桉树砍伐保证金", category="林业",
                      county="平和县", county_code="350628", town="山格镇", village="土田村", status="visited"))
    return engine


def test_the_services_say_the_content_is_missing_without_python_quoting(seeded) -> None:
    with session_scope(seeded) as s:
        with pytest.raises(InputError) as missing:
            record_feedback(s, "自编-20260818-a2a76be9", "government", feedback_date=TODAY, channel="电话",
                            content="  ", who="coord")
        _plain(str(missing.value))
        assert "自编-20260818-a2a76be9" in str(missing.value)
        fid = record_feedback(s, "自编-20260818-a2a76be9", "government", feedback_date=TODAY, channel="电话",
                              content="通报核查结果", who="coord")
        fid = getattr(fid, "id", fid)
    with session_scope(seeded) as s, pytest.raises(InputError) as emptied:
        correct_feedback(s, fid, who="coord", content="")
    _plain(str(emptied.value))


def test_the_page_shows_the_plain_message(seeded, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "pages" / "followup.py"), default_timeout=30)
    at.session_state["today"] = TODAY
    at.session_state["actor"] = Actor(username="coord", role="coordinator")
    at.run()
    at.segmented_control(key="fu_scope").set_value("all").run()
    key = "fu_自编-20260818-a2a76be9_fb_new_"
    at.radio(key=key + "side").set_value("government").run()
    at.text_input(key=key + "recipient").input("山格镇党委")
    at.button(key=key + "save").click().run()
    assert not at.exception, at.exception
    assert at.error, "no message for an empty 反馈内容"
    for e in at.error:
        _plain(e.value)
