"""Task S49b (1): an officer's correction refused because the leader corrected the visit or a 澄清函 rests on it said
only 已由 黄组长 更正（核查情况） — never the 认定 (反映不实) the leader set, nor when — and the page added the generic
请按提示修改输入后重试, as if retyping could help. The refusal now names who corrected which 认定 and fields when, the
letter resting on it, and whom to ask; the page shows it without that suffix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.errors import InputError, RecordHeldError
from planner.field.day import TeamDay, save_stop_outcome
from planner.followup.clarification import record_clarification
from planner.followup.outcomes import correct_outcome, stored_outcomes
from planner.office.clock import show_time
from planner.store.database import session_scope
from planner.store.models import RecordHistory, UserRow
from tests.app.test_itinerary import MONDAY, OFFICER_T1, _saved

CASE = "ZZ2026-0101"


def _phone(engine, day, result, *, households, findings, version) -> None:
    with session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result=result, households=households, findings=findings, who="li",
                          actor=OFFICER_T1, today=MONDAY, expected_version=version)


def _lead_corrects(engine) -> tuple[str, int]:
    """The leader corrects the officer's visit to 反映不实 with new 核查情况 and issues the 澄清函 on it."""
    with session_scope(engine) as s:
        s.add(UserRow(username="lead", display_name="黄组长", role="leader", password_hash="x", team_ids=["T1"]))
    with session_scope(engine) as s:
        rec = stored_outcomes(s, CASE)[0]
        o = rec.outcome
        fixed = type(o)(**{**{f: getattr(o, f) for f in o.__dataclass_fields__}, "report_true": False,
                           "findings": "组长更正：经核实反映不实。"})
        correct_outcome(s, rec.outcome_id, fixed, who="lead", expected_version=rec.version, today=MONDAY)
        record_clarification(s, CASE, cadre="李建国", issued_date=MONDAY, who="lead")
    with session_scope(engine) as s:
        at = show_time(s.scalars(select(RecordHistory.at).where(RecordHistory.action == "corrected")).one())
        return at, stored_outcomes(s, CASE)[0].version


def test_the_officers_refusal_names_the_leaders_finding_when_and_the_letter(engine, monkeypatch) -> None:
    day = TeamDay(MONDAY, "T1", _saved(engine, monkeypatch))
    with session_scope(engine) as s:
        save_stop_outcome(s, day, CASE, result="visited", households=4, findings="已入户核实", who="li",
                          actor=OFFICER_T1, today=MONDAY)
    at, version = _lead_corrects(engine)

    # Only the 核查情况 retyped on the phone: the leader's whole correction is named, 认定 反映不实 with it, and when.
    with pytest.raises(RecordHeldError) as refused:
        _phone(engine, day, "visited", households=4, findings="我补充的核查情况", version=version)
    said = str(refused.value)
    assert f"已由 黄组长（lead） 于 {at} 更正（认定 反映不实、核查情况）" in said, said
    assert "你改动了核查情况" in said and "请联系组长 黄组长（lead）" in said and "修改输入" not in said

    # 未找到 on the phone: the 澄清函 resting on the 反映不实 finding is named too.
    with pytest.raises(InputError) as refused:
        _phone(engine, day, "not_found", households=0, findings="当天实际未见到信访人。", version=version)
    said = str(refused.value)
    assert "并已据此（认定反映不实）出具了澄清函（李建国，2026-12-07，黄组长（lead））" in said, said
    assert "你改动了结果、核查情况" in said and "也不能改动澄清函所依据的结果和认定" in said
    assert "走访结果”中更正" in said


def test_the_page_shows_the_refusal_without_retype_and_retry(monkeypatch) -> None:
    import pages.common as common

    shown: list[str] = []
    monkeypatch.setattr(common.st, "error", lambda text, **_: shown.append(text))
    common.show_error(RecordHeldError("信访件 C1 的走访记录已由 黄组长（lead） 更正（认定 反映不实）……请联系组长。"))
    common.show_error(InputError("走访日期晚于今天"))
    assert "修改输入后重试" not in shown[0] and shown[0].endswith("请联系组长。")
    assert shown[1].endswith("请按提示修改输入后重试。")
