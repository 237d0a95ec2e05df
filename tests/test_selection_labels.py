"""Names instead of codes: members to avoid are named within the teams in view and never shown by id."""

from planner.domain import Team, TeamMember
from planner.selection.labels import member_names, members_text


def test_members_outside_the_teams_in_view_are_counted_not_shown_by_id() -> None:
    team = Team(team_id="T1", name="第一检查组", base_lon=117.65, base_lat=24.51,
                members=(TeamMember(member_id="M11", name="王志强"), TeamMember(member_id="M12", name="")))
    names = member_names([team])
    assert members_text(["M11"], names) == "王志强"
    # The walk saw "（M21、李秀兰）": a member of a team the leader does not plan for appears by id.
    text = members_text(["M21", "M11", "m3fa9"], names)
    assert text == "王志强、其他组成员 2 人"
    assert "M21" not in text and "m3fa9" not in text
    assert members_text([], names) == ""
    assert members_text(["M12"], names) == "未填姓名的成员"
