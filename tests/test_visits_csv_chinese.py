"""选件's visits.csv is written in Chinese (headers and values) and read back, as are older English files (walk B L4);
选件's table has one type per column so pyarrow logs nothing (walk B L5)."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pyarrow as pa

from planner.domain import Team, TeamMember, Visit, VisitType
from planner.intake.plan_files import read_visits
from planner.routing.planio import read_visits_csv
from planner.selection.labels import visits_table
from planner.selection.ranking import write_visits_csv

VISITS = [
    Visit(visit_id="V1", lon=117.3, lat=24.36, service_min=60, priority=5, must=True, case_nos=("漳纪信2026-001",),
          label="平和县山格镇土田村", visit_type=VisitType.INVESTIGATION, excluded_members=("M11",),
          skills=("forestry",), latest_date=dt.date(2026, 12, 20), group="G1"),
    Visit(visit_id="V2", lon=117.4, lat=24.5, service_min=45, priority=3, case_nos=("漳纪信2026-002",),
          label="南靖县丰田镇", visit_type=VisitType.RETURN, team_id="T6", date=dt.date(2026, 12, 4)),
]
TEAMS = [Team(team_id="T6", name="第六检查组", base_lon=117.3, base_lat=24.5,
              members=(TeamMember("M11", "王志强"), TeamMember("M12", "李明")))]


def _key(v: Visit) -> tuple:
    return (v.visit_id, round(v.lon, 5), round(v.lat, 5), v.service_min, v.priority, v.must, v.case_nos, v.label,
            v.visit_type, v.excluded_members, v.skills, v.latest_date, v.team_id, v.date, v.group)


def test_visits_csv_is_written_in_chinese(tmp_path) -> None:
    path = write_visits_csv(VISITS, tmp_path / "visits.csv", member_names={"M11": "王志强"})
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    assert header[:5] == ["编号", "经度", "纬度", "核查分钟", "优先级"]
    assert not [h for h in header if h.isascii()], header
    assert rows[0]["优先级"] == "必访" and rows[1]["优先级"] == "3"
    assert [r["类型"] for r in rows] == ["核查", "回访"]
    assert rows[0]["回避人员"] == "王志强（M11）"  # the name for people, the id the planner reads back (walk 1)
    assert rows[0]["所需专长"] == "林业"
    text = path.read_text(encoding="utf-8-sig")
    assert "must" not in text and "investigation" not in text


def test_chinese_visits_csv_round_trips_through_both_readers(tmp_path) -> None:
    path = write_visits_csv(VISITS, tmp_path / "visits.csv", member_names={"M11": "王志强"})
    assert [_key(v) for v in read_visits(path)] == [_key(v) for v in VISITS]
    assert [_key(v) for v in read_visits_csv(path)] == [_key(v) for v in VISITS]


def test_old_english_visits_csv_is_still_read(tmp_path) -> None:
    path = tmp_path / "old.csv"
    path.write_text(
        "id,lon,lat,service_min,priority,earliest_date,latest_date,window_start,window_end,skills,team,date,group,"
        "label,case_nos,visit_type,excluded_members\n"
        "V1,117.300000,24.360000,60,must,,2026-12-20,,,林业,,,G1,平和县山格镇土田村,漳纪信2026-001,investigation,M11\n"
        "V2,117.400000,24.500000,45,3,,,,,,T6,2026-12-04,,南靖县丰田镇,漳纪信2026-002,return,\n",
        encoding="utf-8-sig")
    assert [_key(v) for v in read_visits(path)] == [_key(v) for v in VISITS]
    assert [_key(v) for v in read_visits_csv(path)] == [_key(v) for v in VISITS]


def test_hand_written_chinese_file_with_the_short_avoid_column(tmp_path) -> None:
    path = tmp_path / "hand.csv"
    path.write_text("编号,经度,纬度,核查分钟,优先级,类型,回避人员\nA,117.3,24.4,30,必访,座谈,M11;M12\n",
                    encoding="utf-8")
    (v,) = read_visits(path)
    assert v.must and v.visit_type is VisitType.FORUM and v.excluded_members == ("M11", "M12")


def test_selection_table_has_one_type_per_column() -> None:
    frame = pd.DataFrame(visits_table(VISITS, TEAMS))
    assert list(frame["优先级"]) == ["必访", "3"]
    for column in frame.columns:
        assert len({type(x) for x in frame[column]}) == 1, column
    pa.Table.from_pandas(frame)  # what st.dataframe does; mixed 必访/int raised ArrowTypeError here
    assert frame.loc[0, "回避人员"] == "王志强"
