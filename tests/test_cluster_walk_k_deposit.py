"""Walk K: six 桉树砍伐保证金 letters in six counties, several in one clerk's formula
(反映X镇林业站收取桉树砍伐保证金。), came out as one issue of four counties: two near-identical summaries were refused
as "同一格式的反映、不同地点"."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.commands.cluster import geocode_letters


def _letters(rows):
    return geocode_letters([Letter(i, t, dt.date(2026, 10, 10) + dt.timedelta(days=k), address=a, petitioner_key=i)
                            for k, (i, a, t) in enumerate(rows)])


def test_one_deposit_in_one_clerks_formula_at_six_places_is_one_systemic_issue():
    rows = [
        ("A", "龙海区角美镇", "反映林业站收取桉树砍伐保证金每亩300元，砍伐后不予退还。"),
        ("B", "华安县仙都镇大地村", "反映收取桉树砍伐保证金不退，与龙海情况类似。"),
        ("C", "诏安县官陂镇", "反映官陂镇林业站收取桉树砍伐保证金，砍伐后不退。"),
        ("D", "平和县坂仔镇", "反映坂仔镇林业站收取桉树砍伐保证金。"),
        ("E", "南靖县山城镇", "反映山城镇桉树砍伐保证金未退。"),
        ("F", "芗城区浦南镇", "反映浦南镇林业站收取桉树砍伐保证金。"),
    ]
    result = analyse(_letters(rows))
    groups = {result.issue_of[i] for i, _a, _t in rows}
    assert len(groups) == 1, {i: result.issue_of[i] for i, _a, _t in rows}
    cluster = result.cluster(groups.pop())
    assert len(cluster.county_codes) == 6 and cluster.systemic


def test_the_formula_still_keeps_apart_what_each_place_does_itself():
    """The exception is a deposit on one object: a village cadre's deposit, another deposit's object, or another
    formula (a cadre favouring relatives for 低保) at two places stay each place's own matter."""
    rows = [
        ("V1", "平和县坂仔镇", "反映坂仔镇东风村村支书收取建房保证金。"),
        ("V2", "芗城区浦南镇", "反映浦南镇溪园村村支书收取建房保证金。"),
        ("O1", "南靖县山城镇", "反映山城镇林业站收取桉树砍伐保证金。"),
        ("O2", "诏安县官陂镇", "反映官陂镇国土所收取建房保证金。"),
        ("L1", "华安县仙都镇", "反映仙都镇大地村村干部优亲厚友评低保。"),
        ("L2", "龙海区角美镇", "反映角美镇东美村村干部优亲厚友评低保。"),
    ]
    result = analyse(_letters(rows))
    issue = result.issue_of
    assert issue["V1"] != issue["V2"]
    assert issue["O1"] != issue["O2"]
    assert issue["L1"] != issue["L2"]
