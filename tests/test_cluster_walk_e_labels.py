"""Walk E: a group's label and key words are its letters' own words (a word the lexicon folded is shown as written)."""

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.practices import PRACTICES
from tests.test_cluster_restore import _letters

#: Walk E's letters: the detached 0007 writes 手续费 (folded into 代办费), PH-S-011 writes 占用耕地 (非法占地).
WALK_E = [
    Letter("ZZXF-2026-0007", "马铺乡林业站收取砍伐桉树的植被恢复保证金，收钱不开正规票据，退钱的时候还要扣手续费。",
           dt.date(2026, 10, 13), address="云霄县马铺乡大坪村", reported_units=("马铺乡林业站",)),
    Letter("PH-S-011", "五寨乡五寨村党支部书记违规占用耕地建别墅。", dt.date(2026, 12, 2), address="平和县五寨乡",
           reported_units=("五寨乡",)),
]


def _own(lt: Letter) -> str:
    return "\n".join((lt.text, *lt.reported_units, *lt.reported_persons))


_PRACTICE_TITLES = tuple(title for _told, _what, title in PRACTICES.values())


def test_every_label_word_is_written_in_one_of_its_letters():
    result = analyse([*_letters(), *WALK_E])
    for c in result.issues:
        texts = [_own(lt) for lt in result.letters_of(c.cluster_id)]
        for word in c.key_terms:
            assert any(word in t for t in texts), (c.cluster_id, c.label, word)
        for word in c.label.split("、"):
            if word.startswith(_PRACTICE_TITLES):
                continue  # 公车私用 · 铜陵镇: a practice is named by what was done, in words no letter need write
            assert any(word in t for t in texts) or word == "（无关键词）", (c.cluster_id, c.label, word)


def test_a_folded_word_is_shown_as_the_letter_writes_it():
    result = analyse(WALK_E)
    assert "手续费" in result.cluster(result.issue_of["ZZXF-2026-0007"]).key_terms
    assert "代办费" not in result.cluster(result.issue_of["ZZXF-2026-0007"]).label
    assert "非法占地" not in result.cluster(result.issue_of["PH-S-011"]).label


def test_a_label_names_the_matter_not_the_person_it_is_about():
    """The demo's 关联分析 listed 徐雅琴、企业、砂场 and 奖补资金、林杰、产业: the reported official's name (which jieba
    does not know, so it passed as a noun) headed the label. Persons are listed apart (``reported``)."""
    texts = ["朝阳街道社会事务服务中心徐雅琴违规经商办企业，在恒坑村入股砂场。",
             "本人已反映过此事，至今没有答复，现再次反映：朝阳街道社会事务服务中心徐雅琴违规经商办企业，在恒坑村入股砂场。",
             "第3次反映：朝阳街道社会事务服务中心徐雅琴违规经商办企业，在恒坑村入股砂场。群众意见越来越大。"]
    letters = [Letter(f"X{k}", t, dt.date(2026, 6, 9 + 7 * k), address="芗城区朝阳街道", petitioner_key="p1",
                      reported_persons=("徐雅琴",)) for k, t in enumerate(texts)]
    result = analyse(letters)
    (issue,) = {result.cluster(result.issue_of[lt.letter_id]) for lt in letters}
    assert "徐雅琴" not in issue.label and "徐雅琴" not in issue.key_terms
    assert "徐雅琴" in issue.reported
    assert issue.label != "（无关键词）"
