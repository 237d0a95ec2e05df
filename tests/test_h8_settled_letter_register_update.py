"""A settled letter whose words a later register changed is flagged for the leader, not reopened silently (walk W11).

ZZ-XF-2026-0049, 已化解, gained 另反映其侄子违规承包村集体鱼塘 on re-import and stayed 已化解 with nothing said. Now
the import's own history says what changed, and the letter is flagged (登记表更新了已办结信访件的内容) until read.
"""

from __future__ import annotations

from planner.domain import CaseStatus
from planner.followup.common import set_case_status
from planner.followup.register_updates import mark_seen, settled_updates
from planner.intake.register import import_register
from planner.store.cases import load_cases
from planner.store.database import session_scope

HEADER = "编号,收件日期,信访人,问题类别,反映内容,地址\n"
FIRST = (HEADER
         + "H8B-1,2026-11-02,张三,涉农,反映村书记陈建挪用征地款。,平和县山格镇土田村\n"
         + "H8B-2,2026-11-03,李四,低保,反映低保名额优亲厚友。,漳浦县旧镇镇浯江村\n"
         + "H8B-3,2026-11-04,王五,财务,反映村财务三年未公开。,平和县山格镇土田村\n")
ADDED = "另反映其侄子违规承包村集体鱼塘，张三说可以作证。"
SECOND = (FIRST.replace("挪用征地款。", "挪用征地款。" + ADDED)
          .replace("优亲厚友。", "优亲厚友。另反映村会计代领低保。"))


def _status(engine, no: str) -> CaseStatus:
    with session_scope(engine) as s:
        return load_cases(s, case_nos={no})[0].status


def test_h8_a_settled_letter_whose_content_the_register_changed_is_flagged_and_stays_settled(engine) -> None:
    import_register(engine, FIRST.encode(), filename="登记表.csv", who="coord")
    with session_scope(engine) as s:
        set_case_status(s, "H8B-1", CaseStatus.RESOLVED, who="boss", note="已退还征地款")
        set_case_status(s, "H8B-3", CaseStatus.CLOSED, who="boss")
        assert settled_updates(s) == {}
    import_register(engine, SECOND.encode(), filename="登记表（二）.csv", who="coord")
    assert _status(engine, "H8B-1") is CaseStatus.RESOLVED  # not reopened by the import
    with session_scope(engine) as s:
        flagged = settled_updates(s)
    assert list(flagged) == ["H8B-1"]  # H8B-2 is open (its new words are simply its words); H8B-3 unchanged
    said = flagged["H8B-1"].text()
    assert said.startswith("登记表更新了已办结信访件的内容：H8B-1（已化解）")
    assert "登记表（二）.csv 第 2 行" in said and "反映内容新增“另反映其侄子违规承包村集体鱼塘，" in said
    assert "张三" not in said  # the petitioner's name in the words is masked
    assert "未自动重新打开" in said

    with session_scope(engine) as s:
        mark_seen(s, "H8B-1", "boss")
    with session_scope(engine) as s:
        assert settled_updates(s) == {}
    # A later register changing it again flags it again, with that import only.
    import_register(engine, SECOND.replace(ADDED, ADDED + "又及。").encode(), filename="登记表（三）.csv", who="c")
    with session_scope(engine) as s:
        again = settled_updates(s, ["H8B-1", "H8B-2"])
    assert list(again) == ["H8B-1"] and len(again["H8B-1"].changes) == 1
    assert "登记表（三）.csv" in again["H8B-1"].text() and "新增“又及”" in again["H8B-1"].text()


def test_h8_a_letter_settled_after_the_change_is_not_flagged(engine) -> None:
    import_register(engine, FIRST.encode(), filename="登记表.csv", who="coord")
    import_register(engine, SECOND.encode(), filename="登记表（二）.csv", who="coord")
    with session_scope(engine) as s:
        set_case_status(s, "H8B-1", CaseStatus.RESOLVED, who="boss")
    with session_scope(engine) as s:
        assert settled_updates(s) == {}
