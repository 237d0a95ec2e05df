"""关联分析 labels in whole words (browser walk as a team leader): a group is never named by a piece of two words
(过班 of 加班过班, 公分 of 公分给), and a hotspot names its village as the letters write it (新南村, not 南村)."""

import datetime as dt

import pytest

from planner.analysis import Letter, analyse
from planner.analysis.summaries import _place_as_written
from planner.analysis.textmine import _matter_lexicon, tokenizer

OVERTIME = [
    ("A1", "龙海区角美镇", "角美镇某电子厂工人每天加班过班四五个小时，加班工资不给，工人反映多次无人管。"),
    ("A2", "龙海区角美镇", "角美镇那家电子厂长期让工人加班过班，不给加班工资，还克扣工资。"),
    ("A3", "龙海区角美镇", "角美镇电子厂工人节假日加班过班，工厂不发加班工资。"),
]
SHARED_OUT = [
    ("B1", "漳浦县旧镇镇", "旧镇镇某村的救灾款被村干部和会计两人公分了，受灾户一分没拿到。"),
    ("B2", "漳浦县旧镇镇", "旧镇镇救灾款没有发到受灾户手里，被几个村干部公分掉了。"),
    ("B3", "漳浦县旧镇镇", "反映旧镇镇村干部把上面拨的救灾款公分，受灾群众没有领到。"),
]
DEPOSIT = [
    ("H1", "平和县山格镇土田村林业站收取桉树砍伐保证金，砍完树不退还保证金。"),
    ("H2", "平和县山格镇新南村林业站收取桉树砍伐保证金，一直不退还。"),
    ("H3", "平和县山格镇淮阳村林业站收取桉树砍伐保证金，至今不退。"),
    ("H4", "平和县山格镇新南村林业站收取桉树砍伐保证金，砍了两年了还不退。"),
]


def _analyse(rows):
    return analyse([Letter(i, t, dt.date(2026, 10, 1 + k), address=a) for k, (i, a, t) in enumerate(rows)])


@pytest.mark.parametrize(("rows", "piece"), [(OVERTIME, "过班"), (SHARED_OUT, "公分")])
def test_a_group_is_named_in_whole_words(rows, piece):
    result = _analyse(rows)
    issue = result.cluster(result.issue_of[rows[0][0]])
    assert issue.size == len(rows)
    assert piece not in issue.label and piece not in issue.key_terms, issue
    known = tokenizer().FREQ
    for word in issue.key_terms:
        assert known.get(word) or word in _matter_lexicon(), word  # a word jieba's dictionary or the lexicon knows


def test_a_hotspot_names_the_village_as_the_letters_write_it():
    result = analyse([Letter(i, t, dt.date(2026, 10, 1 + k)) for k, (i, t) in enumerate(DEPOSIT)])
    hotspot = result.cluster(result.hotspot_of["H2"])
    assert hotspot.case_nos == ("H2", "H4")
    assert hotspot.label.endswith("（新南村）"), hotspot.label
    assert hotspot.cluster_id.endswith("@新南村")
    others = {result.cluster(result.hotspot_of[n]).label.split("（")[-1] for n in ("H1", "H3")}
    assert others == {"土田村）", "淮阳村）"}


@pytest.mark.parametrize(
    ("name", "text", "written"),
    [
        ("南村", "平和县山格镇新南村林业站收取保证金", "新南村"),  # a village of the gazetteer
        ("南村", "新南村林业站收取保证金", "新南村"),  # ... wherever the letter names it
        ("阳村", "平和县山格镇汇阳村林业站收取保证金", "汇阳村"),  # right after the town it is in
        ("南村", "山格镇的南村林业站收取保证金", "南村"),  # 的 begins no name
        ("南村", "南村林业站收取保证金", "南村"),
    ],
)
def test_a_village_name_cut_by_the_segmenter_is_read_whole(name, text, written):
    assert _place_as_written(name, ("", text)) == written
