"""关联分析 被反映对象 (walk 2, D3): "象溪村村委会、黄某山、村主任黄某" and "林某发、村支书林某" — the letters'
村主任黄某山 read a second time cut short (村主任黄某) beside the register's 黄某山.
One entry per person, the fuller one."""

import datetime as dt

from planner.analysis import Letter, analyse


def _group(texts: list[str], person: str, unit: str) -> tuple[str, ...]:
    letters = [Letter(f"X{k}", t, dt.date(2026, 11, 3 + 7 * k), address="平和县霞寨镇象溪村", petitioner_key="p1",
                      reported_units=(unit,), reported_persons=(person,)) for k, t in enumerate(texts)]
    result = analyse(letters)
    (issue,) = {result.cluster(result.issue_of[lt.letter_id]) for lt in letters}
    return issue.reported


def test_a_masked_name_cut_short_is_not_listed_beside_the_full_one() -> None:
    texts = ["象溪村村主任黄某山私自出租村集体山林，租金不入村账，群众要求公开。",
             "再次反映：象溪村村主任黄某山私自出租村集体山林，租金去向不明，至今没有公开。"]
    reported = _group(texts, "黄某山", "象溪村村委会")
    assert "黄某山" in reported
    assert not [r for r in reported if r.endswith("黄某")], reported
    assert "象溪村村委会" in reported


def test_another_masked_name_of_the_surname_stays() -> None:
    """黄某某 is not 黄某山 cut short: both are listed."""
    texts = ["象溪村村主任黄某山私自出租村集体山林，村会计黄某某做假账，租金不入村账。",
             "再次反映：象溪村村主任黄某山私自出租村集体山林，村会计黄某某做假账，租金去向不明。"]
    reported = _group(texts, "黄某山", "象溪村村委会")
    assert "黄某山" in reported and any(r.endswith("黄某某") for r in reported), reported
