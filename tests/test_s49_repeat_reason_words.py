"""选件's reasons and the visit brief count a petitioner's letters as letters: 重复举报 2 次 for two letters read as
two repeats (walk W16)."""

import datetime as dt

from planner.domain import Location, PetitionCase, Precision
from planner.selection.ranking import CaseSignals, RankedCase, _brief, score_case

_PLACE = Location(117.30, 24.36, "平和县", "350628", "山格镇", "350628103", "土田村", "350628103201", Precision.VILLAGE)


def test_reason_and_brief_say_letters():
    case = PetitionCase(case_no="C1", received_date=dt.date(2026, 11, 1), content="反映村干部侵占补贴",
                        category="村务财务", location=_PLACE, address_text="平和县山格镇土田村")
    sig = CaseSignals(repeat_count=2, repeat_span_days=30)
    score, comps = score_case(case, today=dt.date(2026, 12, 7), signals=sig)
    assert [c.reason for c in comps if c.name == "repeat"] == ["重复来信 2 封（跨 30 天）"]
    brief = _brief("V1", "土田村", [RankedCase(case, score, comps, signals=sig)])
    assert any("已来信 2 封" in h for h in brief.checklist)
    assert not any("重复举报 2 次" in h for h in brief.checklist)
