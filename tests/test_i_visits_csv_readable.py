"""visits.csv shows people names, not codes, and is read back to the same plan input.

Walk 1: the file 选件 downloads showed 同日组 ``I0001@范阳村@350623104`` and 回避人员编号 ``m3bc7d00b3db``.
"""

from __future__ import annotations

import csv

from planner.domain import Team, TeamMember, Visit
from planner.intake.plan_files import read_visits
from planner.routing.planio import check_visits_for_office, read_visits_csv
from planner.selection.labels import group_names
from planner.selection.ranking import write_visits_csv

MEMBERS = {"m3bc7d00b3db": "林志伟", "m9f00a1c2d3e": "陈明"}
VISITS = [
    Visit("V002", 117.6020, 23.9446, 90, group="I0001@范阳村@350623104", label="漳浦县杜浔镇范阳村",
          case_nos=("漳纪信〔2026〕301号",)),
    Visit("V011", 117.6030, 23.9450, 60, group="I0001@范阳村@350623104", label="漳浦县杜浔镇范阳村",
          case_nos=("漳纪信〔2026〕308号",)),
    Visit("V003", 117.355, 24.43, 60, excluded_members=("m3bc7d00b3db", "m9f00a1c2d3e"), label="平和县坂仔镇心田村",
          case_nos=("漳纪信〔2026〕306号",)),
    Visit("V004", 117.414, 24.966, 60, excluded_members=("m-unknown",), group="我的组", label="华安县高安镇"),
]
TEAM = Team("T1", "第一检查组", 117.3, 24.5, members=tuple(TeamMember(i, n) for i, n in MEMBERS.items()))


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_the_file_shows_names_and_is_read_back_to_the_same_groups_and_recusals(tmp_path) -> None:
    path = write_visits_csv(VISITS, tmp_path / "visits.csv", member_names=MEMBERS)
    rows = _rows(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "@" not in text and "回避人员编号" not in text
    shown = group_names(VISITS)["I0001@范阳村@350623104"]
    assert [r["同日组"] for r in rows] == [shown, shown, "", "我的组"]  # as 选件's table names it
    assert "范阳村" in shown
    assert rows[2]["回避人员"] == "林志伟（m3bc7d00b3db）;陈明（m9f00a1c2d3e）"
    assert rows[3]["回避人员"] == "m-unknown"  # no name known: the id alone
    for read in (read_visits(path), read_visits_csv(path)):
        assert [v.excluded_members for v in read] == [v.excluded_members for v in VISITS]
        # one group in, one group out: the two letters at 范阳村 still go together, the other group stays apart
        assert read[0].group == read[1].group != read[3].group and not read[2].group
        checked = check_visits_for_office(read, teams={TEAM.team_id: TEAM.name})
        assert not checked.errors
        assert set(checked.visits[2].excluded_members) == TEAM.member_ids()  # the recusal still bites
    # written again, the file reads the same (a round trip through 路线规划's upload and 选件's download)
    again = write_visits_csv(read_visits(path), tmp_path / "again.csv", member_names=MEMBERS)
    assert _rows(again) == rows
