"""Walk W10: 关联分析 named groups by private persons — 低保、春花、亲戚 (春花 the given name of the petitioner 李春花,
whose full name the analysis takes out of the letters' words) and 村道、偷工减料、秀英. A label names the matter and the
place: no name jieba knows, no petitioner's or reported person's given name, no 春花姐 / 阿华 / 老王 is a label word,
on 关联分析 nor in the stored labels that 选件, plans, statistics and exports show."""

from __future__ import annotations

import pytest

from planner.analysis.private_names import name_words, names_a_person
from planner.intake.register import import_register
from planner.store import clusters as store
from planner.store.cases import load_cases
from planner.store.models import ClusterRow

#: (编号, 收件日期, 信访人, 问题发生地, 反映内容): 田中村's 低保 told by 李春花 twice and by 林建华 (春花姐, 阿华);
#: 黄田村's 村道 by 王秀英 twice and 陈美玲 (秀英婶, 老王, 美玲姐).
LETTERS = [
    ("ZZ-01", "2026-11-03", "李春花", "南靖县书洋镇田中村",
     "我是田中村的李春花，村里评低保不公开，春花家里困难却评不上，村干部亲戚都吃低保。"),
    ("ZZ-02", "2026-11-05", "李春花", "南靖县书洋镇田中村",
     "田中村低保评审走过场，春花多次申请低保都被村干部拒绝，有车有房的人家却吃低保。"),
    ("ZZ-03", "2026-11-09", "林建华", "南靖县书洋镇田中村",
     "田中村低保名单不公示，春花姐家困难评不上低保，阿华也说村干部把低保给了自家亲戚。"),
    ("ZZ-04", "2026-11-12", "王秀英", "平和县九峰镇黄田村",
     "黄田村修村道的钱被挪用，秀英婶和老王都看到村道只修了一半，秀英说钱被村主任拿走了。"),
    ("ZZ-05", "2026-11-15", "王秀英", "平和县九峰镇黄田村",
     "黄田村村道硬化工程偷工减料，秀英反映多次没人管，老王说村道修了一半就停了。"),
    ("ZZ-06", "2026-11-20", "陈美玲", "平和县九峰镇黄田村",
     "黄田村村道硬化的钱去向不明，美玲姐和秀英都反映过，村道修了一半。"),
]
NAMED = ("李春花", "春花", "春花姐", "李春", "阿华", "建华", "王秀英", "秀英", "秀英婶", "老王", "陈美玲", "美玲",
         "美玲姐")


def _register() -> bytes:
    lines = ["编号,收件日期,信访人,问题发生地,反映内容", *(",".join(row) for row in LETTERS)]
    return ("\n".join(lines) + "\n").encode()


def test_no_group_of_the_register_is_named_by_a_person(session) -> None:
    import_register(session, _register(), filename="11月登记表.csv", who="xietiao")
    session.flush()
    result = store.recluster(session, load_cases(session))
    session.commit()
    shown = [(c.label, *c.key_terms) for c in (*result.issues, *result.hotspots)]
    shown += [(row.label,) for row in session.query(ClusterRow)]  # what 选件, plans, statistics and exports show
    shown += [(label,) for label in store.cluster_labels(session).values()]
    for words in shown:
        assert not any(n in w for w in words for n in NAMED), words
    # The matter and the place still name each group.
    tianzhong, huangtian = (result.cluster(result.issue_of[no]) for no in ("ZZ-01", "ZZ-04"))
    assert "低保" in tianzhong.label and "村道" in huangtian.label
    assert result.cluster(result.hotspot_of["ZZ-01"]).label.endswith("（田中村）")


@pytest.mark.parametrize("word", ["春花", "春花姐", "阿花", "小李", "老李", "花姐", "李春花"])
def test_a_given_name_and_how_one_is_called_name_the_person(word: str) -> None:
    words = name_words(["李春花"])
    assert names_a_person(word, words, ["李春花"])


@pytest.mark.parametrize("word", ["低保", "村道", "亲戚", "老人", "小学", "洪水", "玉米", "孤儿", "林权证"])
def test_matter_words_do_not(word: str) -> None:
    assert not names_a_person(word, name_words(["李春花", "王某某"]), ["李春花", "王某某"])


def test_a_name_jieba_knows_is_no_label_word() -> None:
    """jieba tags 秀英 and 老王 as names (and 洪水, 玉米, 孤儿 too: everyday or lexicon words stay matter words)."""
    assert names_a_person("秀英", frozenset())
    assert names_a_person("老王", frozenset())
    assert not names_a_person("低保", frozenset())
