"""AppTest of 回访跟踪 (walk W11): a settled letter whose words a second register changed is flagged for the leader.

ZZ-XF-2026-0049, 已化解, gained a new allegation on re-import and stayed 已化解 with no flag. Now 回访跟踪 says at the
top which settled letters the register changed, one tap opens the letter, its box says what changed and that it was
not reopened, and 已阅，不再提示 ends the flag (the next import that changes it flags it again).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.domain import CaseStatus
from planner.followup.common import set_case_status
from planner.intake.register import import_register
from planner.store.database import session_scope
from tests.test_h8_settled_letter_register_update import FIRST, SECOND

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "followup.py")


def test_h8_the_leader_is_told_of_the_settled_letter_the_register_changed(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    import_register(engine, FIRST.encode(), filename="登记表.csv", who="coord")
    with session_scope(engine) as s:
        set_case_status(s, "H8B-1", CaseStatus.RESOLVED, who="boss")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["today"] = dt.date(2026, 12, 7)
    at.run()
    assert not at.exception and not any("登记表更新了" in w.value for w in at.warning)
    import_register(engine, SECOND.encode(), filename="登记表（二）.csv", who="coord")
    at.run()
    top = [w.value for w in at.warning if "已办结信访件的内容（H8B-1）" in w.value]
    assert len(top) == 1 and "未自动重新打开" in top[0]
    at.button(key="fu_register_update_0").click().run()
    assert not at.exception
    assert at.session_state["fu_case"] == "H8B-1"
    box = [w.value for w in at.warning if w.value.startswith("登记表更新了已办结信访件的内容：H8B-1（已化解）")]
    assert len(box) == 1 and "反映内容新增“另反映其侄子违规承包村集体鱼塘" in box[0]
    at.button(key="fu_H8B-1_register_seen").click().run()
    assert not at.exception
    assert not any("登记表更新了" in w.value for w in at.warning)
