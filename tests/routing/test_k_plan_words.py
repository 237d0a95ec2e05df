"""planner.routing.plan_words: 路线规划's team names in the library's reasons and an uploaded file's faults listed."""

from __future__ import annotations

from planner.routing.plan_words import file_faults, team_words


def test_a_team_code_after_zhidingde_or_jiaru_reads_as_its_name_and_nowhere_else() -> None:
    names = {"T1": "第一检查组", "T10": "第十检查组"}
    said = team_words("指定的T10不在本次计划；加入T1；T1 已满", names)
    assert said == "指定的第十检查组不在本次计划；加入第一检查组；T1 已满"
    assert team_words("加入T4", names) == "加入T4"  # a team the account does not plan for keeps its code


def test_an_uploaded_files_faults_are_one_list_item_each_and_its_words_are_text() -> None:
    message = "visits.csv 第 3 行：经度 *abc* 不是数字\nvisits.csv 第 4 行：优先级 9 超出 1–5\n……另有 2 处错误"
    listed = file_faults(message, "visits.csv")
    assert listed is not None and listed.startswith("visits.csv 有以下错误，请改正后重新上传：")
    items = [line for line in listed.splitlines() if line.startswith("- ")]
    assert len(items) == 2 and items[0].startswith("- 第 3 行") and "\\*abc\\*" in items[0], listed
    assert listed.endswith("……另有 2 处错误")
    assert file_faults("visits.csv 第 3 行：经度 abc 不是数字", "visits.csv") is None
