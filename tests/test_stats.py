"""Statistics: every figure on a small hand-counted dataset, grouping, trend, Excel export and the CLI."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from planner.cli import main
from planner.errors import InputError
from planner.followup.stats import FIGURE_KEYS, compute_stats, period_keys, stats_to_excel
from planner.store.models import (
    CaseRow,
    ClarificationRow,
    ClusterMember,
    ClusterRow,
    SettlementRow,
    TeamRow,
    VisitOutcomeRow,
)

D = dt.date
YEAR = {"start": D(2026, 1, 1), "end": D(2026, 12, 31)}


def fig(letters=0, resolved=0, households=0, leads=0, solved=0, clar=0, repeat=0, fb_petitioner=0, fb_government=0,
        rect_done=0, returns=0) -> dict[str, int]:
    return dict(zip(FIGURE_KEYS, (letters, resolved, households, leads, solved, clar, repeat, fb_petitioner,
                                  fb_government, rect_done, returns), strict=True))


@pytest.fixture()
def dataset(session):
    """Six cases in four counties (one under 龙海's old code), two teams, outcomes around the 2026 range.

    A, B: 平和县 林业, same petitioner writing again about one matter (repeat chain); B was first visited in 2025.
    C: 龙海市 (350681) 扶贫; D: 华安县 扶贫, report untrue -> clarification.
    E: 漳浦县 土地, settled but not a repeat.
    F: 漳浦县 土地, in a repeat cluster, settled, never found (2027): no team to credit.
    Statuses are what recording those outcomes and agreements leaves (A, B, E resolved, F closed): 重复信访化解
    counts the letters of a repeat chain that are settled now (walk B, 2026-12-03), so A, B and F count.
    """
    session.add_all([TeamRow(id="T1", name="第一组", base_lon=117.6, base_lat=24.5),
                     TeamRow(id="T2", name="第二组", base_lon=117.6, base_lat=24.5)])
    specs = {
        "A": ("350628", "平和县", "林业", "p1"), "B": ("350628", "平和县", "林业", "p1"),
        "C": ("350681", "龙海市", "扶贫", ""), "D": ("350629", "华安县", "扶贫", ""),
        "E": ("350623", "漳浦县", "土地", "p2"), "F": ("350623", "漳浦县", "土地", ""),
    }
    status = {"A": "resolved", "B": "resolved", "E": "resolved", "F": "closed"}
    # B writes again about A's matter: one writer's letters are one chain only when they are one matter.
    text = {"A": "林场的山林被人强行砍伐，林业站不管。", "B": "再次反映：林场的山林被人砍伐，至今无人处理。"}
    ids = {}
    for no, (code, county, cat, pk) in specs.items():
        row = CaseRow(case_no=no, received_date=D(2025, 12, 1), deadline=D(2026, 1, 30), content=text.get(no, no),
                      county_code=code, county=county, category=cat, petitioner_key=pk,
                      status=status.get(no, "visited"))
        session.add(row)
        session.flush()
        ids[no] = row.id

    def out(no, day, team, result="visited", resolved=False, hh=0, leads=0, solved=0):
        session.add(VisitOutcomeRow(case_id=ids[no], visit_date=day, team_id=team, result=result,
                                    problem_resolved=resolved, households_visited=hh, leads_collected=leads,
                                    problems_solved=solved, reason="" if result == "visited" else "不在家"))

    out("A", D(2026, 2, 10), "T1", hh=10, leads=1)
    out("A", D(2026, 4, 15), "T2", resolved=True, hh=5, solved=2)
    out("B", D(2025, 12, 20), "T1", hh=4)
    out("B", D(2026, 3, 1), "T1", resolved=True, hh=3, leads=2, solved=1)
    out("C", D(2026, 3, 5), "T2", result="not_found")
    out("C", D(2026, 3, 20), "T2", hh=7, leads=1)
    out("D", D(2026, 5, 2), "T1", hh=2)
    out("E", D(2026, 6, 10), "T2", resolved=True, hh=1, solved=1)
    out("F", D(2027, 1, 5), "T1", result="not_found", hh=100)
    session.add_all([
        ClarificationRow(case_id=ids["D"], cadre="华丰镇干部", issued_date=D(2026, 5, 20)),
        ClarificationRow(case_id=ids["A"], cadre="林业站站长", issued_date=D(2027, 1, 10)),
        SettlementRow(case_id=ids["B"], agreed_date=D(2026, 6, 1)),
        SettlementRow(case_id=ids["E"], agreed_date=D(2026, 6, 20)),
        SettlementRow(case_id=ids["F"], agreed_date=D(2026, 7, 1)),
        ClusterRow(id="R1", kind="repeat", label="重复举报"),
    ])
    session.flush()
    session.add(ClusterMember(cluster_id="R1", case_id=ids["F"]))
    session.commit()
    return ids


def test_totals_match_hand_count(session, dataset) -> None:
    stats = compute_stats(session, **YEAR, by=())
    assert stats.totals == fig(letters=4, resolved=3, households=28, leads=4, solved=4, clar=1, repeat=3)
    assert [r.keys for r in stats.rows] == [()]
    assert "带信下访 4 件" in stats.summary()


def test_by_county_uses_current_names_for_old_codes(session, dataset) -> None:
    rows = {r.keys[0]: r.figures for r in compute_stats(session, **YEAR, by=("county",)).rows}
    assert len(rows) == 11  # every county is listed, zeros included (tests/test_stats_county_order.py)
    rows = {k: v for k, v in rows.items() if any(v.values())}
    assert rows == {
        "平和县": fig(letters=1, resolved=2, households=18, leads=3, solved=3, repeat=2),
        "龙海区": fig(letters=1, households=7, leads=1),
        "华安县": fig(letters=1, households=2, clar=1),
        "漳浦县": fig(letters=1, resolved=1, households=1, solved=1, repeat=1),
    }


def test_by_team_attributes_clarifications_and_settlements_to_first_visiting_team(session, dataset) -> None:
    rows = {r.keys[0]: r.figures for r in compute_stats(session, **YEAR, by=("team",)).rows}
    assert rows == {
        "第一组": fig(letters=2, resolved=1, households=15, leads=3, solved=1, clar=1, repeat=1),
        "第二组": fig(letters=2, resolved=2, households=13, leads=1, solved=3, repeat=1),
        "（未记录）": fig(repeat=1),
    }


def test_quarter_trend_is_continuous_and_sums_to_totals(session, dataset) -> None:
    stats = compute_stats(session, **YEAR, by=("period", "category"), period="quarter")
    trend = {r.keys[0]: r.figures for r in stats.trend}
    assert list(trend) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert trend["2026-Q1"] == fig(letters=2, resolved=1, households=20, leads=4, solved=1, repeat=1)
    assert trend["2026-Q2"] == fig(letters=2, resolved=2, households=8, solved=3, clar=1, repeat=1)
    assert trend["2026-Q3"] == fig(repeat=1)
    assert trend["2026-Q4"] == fig()
    for k in FIGURE_KEYS:
        assert sum(r.figures[k] for r in stats.rows) == stats.totals[k]
    assert ("2026-Q1", "林业") in {r.keys for r in stats.rows}


def test_filters_and_range_edges(session, dataset) -> None:
    only_longhai = compute_stats(session, **YEAR, county_codes=("350681",), by=())
    assert only_longhai.totals == fig(letters=1, households=7, leads=1)
    # B's first visit was in December 2025: counted then, not again in 2026
    dec = compute_stats(session, start=D(2025, 12, 1), end=D(2025, 12, 31), by=())
    assert dec.totals == fig(letters=1, households=4)
    assert compute_stats(session, **YEAR, team_ids=("T2",), by=()).totals["letters_taken_down"] == 2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"by": ("village",)}, "village"), ({"period": "week"}, "week"),
     ({"start": D(2026, 5, 1), "end": D(2026, 4, 1)}, "晚于结束日期")],
)
def test_bad_arguments_are_named(session, kwargs, match) -> None:
    args = {**YEAR, **kwargs}
    with pytest.raises(InputError, match=match):
        compute_stats(session, **args)


def test_county_names_are_normalised_from_old_codes_and_names() -> None:
    from planner.followup.stats import _county_name

    assert _county_name("350681", "") == "龙海区"
    assert _county_name("", "长泰县") == "长泰区"
    assert _county_name("", "") == "（未定位）"
    assert _county_name("", "台商区") == "台商区"  # not a county: kept as written


def test_period_keys() -> None:
    assert period_keys(D(2026, 11, 15), D(2027, 2, 1), "month") == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert period_keys(D(2025, 12, 31), D(2026, 1, 1), "year") == ["2025", "2026"]


def test_excel_has_chinese_headers_totals_and_no_formulas(session, dataset, tmp_path) -> None:
    session.query(CaseRow).filter(CaseRow.case_no == "D").update({"category": "=HYPERLINK(\"x\")"})
    session.commit()
    stats = compute_stats(session, **YEAR, by=("category",))
    path = tmp_path / "s.xlsx"
    data = stats_to_excel(stats, path)
    assert path.read_bytes() == data
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总", "趋势", "认定与收件", "走访结果", "说明"]
    ws = wb["汇总"]
    assert [c.value for c in ws[3]][:3] == ["类别", "带信下访件数", "推动解决问题（件）"]
    cells = [c.value for row in ws.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells)
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计" and last[1:] == [4, 3, 28, 4, 4, 1, 3, 0, 0, 0, 0]  # no feedback, 整改 or 回访 here
    assert wb["趋势"].max_row == 13  # header + 12 months


def test_cli_writes_workbook(engine, dataset, tmp_path, capsys) -> None:
    out = tmp_path / "stats.xlsx"
    url = engine.url.render_as_string(hide_password=False)
    code = main(["stats", "--from", "2026-01-01", "--to", "2026-12-31", "--by", "county", "--out", str(out),
                 "--db", url])
    assert code == 0
    printed = capsys.readouterr().out
    assert "平和县\t1\t2\t18" in printed
    assert load_workbook(out)["汇总"].cell(3, 1).value == "县区"
    assert main(["stats", "--from", "2026-13-01", "--db", url]) == 2
    assert "2026-13-01" in capsys.readouterr().err


def test_feedback_rectification_and_return_visit_figures_match_a_hand_count(session, dataset) -> None:
    """Walk M: 统计 had no 双反馈, 整改 or 回访 figures. Feedback counts a case once per side (its first), 整改 by the
    day it was done, 回访 the return visits that were made (not 未找到), each in its period."""
    from planner.store.models import FeedbackRow, RectificationRow

    ids = dict(session.query(CaseRow.case_no, CaseRow.id).all())
    session.add_all([
        FeedbackRow(case_id=ids["A"], side="petitioner", feedback_date=D(2026, 3, 2)),
        FeedbackRow(case_id=ids["A"], side="petitioner", feedback_date=D(2026, 5, 2)),  # the same case again
        FeedbackRow(case_id=ids["A"], side="government", feedback_date=D(2026, 3, 3)),
        FeedbackRow(case_id=ids["C"], side="petitioner", feedback_date=D(2025, 12, 20)),  # before the year
        RectificationRow(case_id=ids["C"], item="退还", due_date=D(2026, 4, 1), done=True, done_date=D(2026, 3, 30)),
        RectificationRow(case_id=ids["C"], item="公开", due_date=D(2026, 4, 1), done=False),
        RectificationRow(case_id=ids["D"], item="整改", due_date=D(2026, 4, 1), done=True, done_date=D(2027, 1, 5)),
        VisitOutcomeRow(case_id=ids["A"], visit_date=D(2026, 6, 1), team_id="T1", result="visited",
                        visit_type="return"),
        VisitOutcomeRow(case_id=ids["C"], visit_date=D(2026, 6, 2), team_id="T2", result="not_found",
                        visit_type="return"),
    ])
    session.flush()
    t = compute_stats(session, **YEAR, by=()).totals
    assert (t["feedback_petitioner"], t["feedback_government"], t["rectifications_done"], t["return_visits"]) == (
        1, 1, 1, 1)
    march = compute_stats(session, start=D(2026, 3, 1), end=D(2026, 3, 31), by=()).totals
    assert (march["feedback_petitioner"], march["rectifications_done"], march["return_visits"]) == (1, 1, 0)
