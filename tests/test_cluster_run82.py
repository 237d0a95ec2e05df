"""Run 82: rural public services and programmes of the national lists, by the names villagers give them (农村客运,
防返贫监测, 公益电影, 农家书屋, 全民健身, 普查, 农药包装回收, 粮站, 秸秆禁烧), link one matter across counties; a
programme that only says who the writer is (我家是监测户) is no matter word of the letter."""

import csv
import datetime as dt
import functools
from pathlib import Path

from planner.analysis import Letter, analyse
from planner.analysis.textmine import core_terms, mine, programme_terms

_DATA = Path(__file__).parent / "data"


@functools.cache
def _result(name):
    rows = list(csv.DictReader((_DATA / f"{name}.csv").open(encoding="utf-8")))
    letters = [Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
                      petitioner_key=r["petitioner_key"]) for r in rows]
    return analyse(letters), {r["id"]: r["issue"] for r in rows}


def test_villagers_names_of_a_programme_are_its_name():
    assert "公益电影" in mine("东泗乡放映队来村里放露天电影每次就放半小时，登记表上写一场两个钟头。").cores
    assert "粮站" in mine("小溪的收储库收早稻压等级，一等说成三等，差价一斤好几毛。").cores
    assert "压级压价" in mine("小溪的收储库收早稻压等级，一等说成三等，差价一斤好几毛。").cores
    assert {"农村客运", "防返贫监测", "农家书屋", "全民健身", "普查"} <= programme_terms()
    assert "防返贫监测" not in core_terms()  # who the writer is, not what went wrong


def test_one_programme_told_in_other_words_across_counties_is_one_matter():
    res, truth = _result("cluster_wording_dev8")
    # 公益电影: 太平镇 (诏安), 东泗乡 (龙海), 高安镇: 农村公益电影、放映员 / 露天电影、放映队 / 放映员 (each its own
    # group before).
    assert res.issue_of["D8_014"] == res.issue_of["D8_039"] == res.issue_of["D8_099"]
    # 粮站 压级: 小溪的收储库压等级 (平和), 官陂粮站又压级 (诏安).
    assert res.issue_of["D8_052"] == res.issue_of["D8_133"]
    for anchor in ("D8_014", "D8_052"):
        group = [lid for lid, cid in res.issue_of.items() if cid == res.issue_of[anchor]]
        assert {truth[lid] for lid in group} == {truth[anchor]}, group


def test_a_writer_who_is_a_monitored_household_writes_about_the_matter_not_the_status():
    # dev6: 和平乡's 产业扶持资金 claimed for livestock nobody kept; one letter says its writer is a 监测户.
    res, _truth = _result("cluster_wording_dev6")
    assert res.issue_of["D6_030"] == res.issue_of["D6_046"]
