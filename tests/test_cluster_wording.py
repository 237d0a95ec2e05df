"""Issue 18: the same matter across wording and collectors, per-letter actions, the review queue of near misses."""

import csv
import datetime as dt
from pathlib import Path

import pytest

from planner.analysis import Decision, Letter, analyse, apply_decision, update
from planner.analysis.metrics import group_f1, score
from planner.analysis.review import near_misses
from planner.errors import InputError, NotFoundError

DATA = Path(__file__).parent / "data"
COUNTIES = {"350628": "平和县", "350627": "南靖县", "350629": "华安县", "350605": "长泰区"}


def _read(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    letters = [
        Letter(r["id"], r["text"], dt.date.fromisoformat(r["received_date"]), address=r["address"],
               petitioner_key=r["petitioner_key"])
        for r in rows
    ]
    return rows, letters


def _on(day):
    return dt.date(2026, 3, 1) + dt.timedelta(days=day)


@pytest.fixture(scope="module")
def heldout():
    rows, letters = _read("cluster_wording_heldout.csv")
    return rows, analyse(letters)


def test_six_deposit_letters_with_two_kinds_of_collector_are_one_systemic_issue_of_four_counties():
    _rows, letters = _read("cluster_deposit_six.csv")
    res = analyse(letters)
    issue = {res.issue_of[lt.letter_id] for lt in letters}
    assert len(issue) == 1, res.issue_of  # the two letters saying the village took it join the 林业站 ones
    cluster = res.cluster(issue.pop())
    assert cluster.systemic
    assert sorted(cluster.county_codes) == sorted(COUNTIES)
    assert len({res.hotspot_of[lt.letter_id] for lt in letters}) == 4  # one hotspot per town


def test_one_charge_told_through_other_collectors_and_words_is_one_issue_other_matters_stay_apart():
    letters = [
        Letter("a", "霞寨镇林业站办桉树砍伐证时每亩收300元保证金，补种后也不退。", _on(0), address="平和县霞寨镇"),
        Letter("b", "金山镇村委会要村民砍桉树前先交押金，种上了也不退。", _on(5), address="南靖县金山镇"),
        Letter("c", "高安镇政府要求林农申请桉树采伐许可时交抵押金，更新验收后也不退。", _on(9), address="华安县高安镇"),
        # The same word 保证金 for another matter in the same counties: a house-building deposit.
        Letter("d", "霞寨镇审批农村自建房要每户交两万元建房保证金，建好验收了也不退。", _on(12),
               address="平和县霞寨镇"),
        Letter("e", "金山镇村民盖房子要先交建房押金，房子盖完押金就没下文了。", _on(15), address="南靖县金山镇"),
        # The same village as a deposit letter, another matter.
        Letter("f", "霞寨镇钟腾村新修的村道才半年就开裂了，施工队偷工减料。", _on(18), address="平和县霞寨镇钟腾村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] == res.issue_of["b"] == res.issue_of["c"]
    assert res.issue_of["d"] == res.issue_of["e"] != res.issue_of["a"]
    assert res.issue_of["f"] not in {res.issue_of["a"], res.issue_of["d"]}
    why = res.explain("a", "b").reasons()
    assert any("保证金" in r for r in why) and any("桉树" in r for r in why)


def test_the_same_cadre_misconduct_in_other_villages_stays_three_matters():
    # A cadre's own conduct at three villages (the first held-out set's 高龄补贴 drawn for the dead at three villages
    # is one matter since run 66: test_cluster_programme_astray).
    letters = [
        Letter("a", "隆庆村村干部上班时间在村部打麻将赌钱，群众去办事找不到人。", _on(0),
               address="平和县山格镇隆庆村"),
        Letter("b", "古港村几个村干部晚上聚在一起赌博，一晚上输赢上千元。", _on(4), address="东山县樟塘镇古港村"),
        Letter("c", "洋坑村村主任经常在村部打牌赌钱，影响很坏。", _on(8), address="华安县高车乡洋坑村"),
    ]
    res = analyse(letters)
    assert len({res.issue_of[x] for x in "abc"}) == 3


def test_heldout_issue_and_hotspot_scores(heldout):
    rows, res = heldout
    issue = score([r["issue"] for r in rows], [res.issue_of[r["id"]] for r in rows])
    per = group_f1([r["hotspot"] for r in rows], [res.hotspot_of[r["id"]] for r in rows])
    # Measured (benchmarks/clustering_results.md, run 10): issue P 0.987 R 0.700 F1 0.819; 62 hotspots of 2+
    # letters, 45 at F1 >= 0.9 (untouched engine: F1 0.299, 20 hotspots at >= 0.9). Run 47 (links by meaning):
    # P 0.950 R 0.924 F1 0.936 (run 45: P 0.973 R 0.869 F1 0.918): a point of precision traded for five of recall.
    # These bounds sit a little below the measurement so a regression fails.
    assert issue.precision >= 0.94 and issue.f1 >= 0.92, issue
    assert sum(f >= 0.9 for f in per.values()) >= 44, sorted(per.items(), key=lambda t: t[1])[:10]
    assert sum(per.values()) / len(per) >= 0.9


def test_group_f1_scores_each_true_group_against_its_best_predicted_group():
    got = group_f1(["x", "x", "y", "y", "z"], ["1", "1", "1", "2", "3"])
    assert got == {"x": pytest.approx(0.8), "y": pytest.approx(2 / 3)}
    with pytest.raises(InputError, match="标准答案有 1"):
        group_f1(["x"], [])


# ------------------------------------------------------------------------------------------ per-letter actions


def _two_matters():
    return [
        Letter("a1", "山格镇林业站收取桉树砍伐保证金每亩300元，至今不退。", _on(0), address="平和县山格镇"),
        Letter("a2", "书洋镇林业站要求砍桉树先交保证金，砍完不退。", _on(3), address="南靖县书洋镇"),
        Letter("b1", "大霞村征地补偿款被村支书截留，每亩少发两千元。", _on(5), address="龙海区白水镇大霞村"),
        Letter("b2", "大霞村修路征用的土地补偿款没有足额发给村民。", _on(8), address="龙海区白水镇大霞村"),
        Letter("c1", "铜陵镇一名干部给女儿办升学宴摆了四十多桌。", _on(10), address="东山县铜陵镇"),
    ]


def test_move_adds_a_letter_to_a_group_and_survives_rerun_and_update():
    letters = _two_matters()
    res = analyse(letters)
    deposit, land = res.issue_of["a1"], res.issue_of["b1"]
    assert res.issue_of["c1"] not in (deposit, land)
    res = apply_decision(res, Decision("move", letter_ids=("c1",), target=deposit))  # add a lone letter
    res = apply_decision(res, Decision("move", letter_ids=("b2",), target=deposit))  # move out of another group
    assert res.issue_of["c1"] == res.issue_of["b2"] == deposit != res.issue_of["b1"]
    assert [d.action for d in res.decisions] == ["move", "move"]
    again = analyse(letters, previous=res, keep_previous=False)  # a full re-run with the new vocabulary
    assert again.issue_of["c1"] == again.issue_of["b2"] == again.issue_of["a1"] == deposit
    later = update(again, [Letter("a3", "华安县仙都镇林业站收砍伐保证金不退。", _on(20), address="华安县仙都镇")])
    assert later.issue_of["c1"] == later.issue_of["b2"] == deposit
    with pytest.raises(NotFoundError, match="I9999"):
        apply_decision(res, Decision("move", letter_ids=("c1",), target="I9999"))


def test_link_and_unlink_decide_a_pair_and_feed_later_runs():
    letters = _two_matters()
    res = analyse(letters)
    linked = apply_decision(res, Decision("link", letter_ids=("a1", "c1")))
    assert linked.issue_of["c1"] == linked.issue_of["a1"] and linked.decisions[-1].target == res.issue_of["a1"]
    rerun = analyse(letters, decisions=linked.decisions)
    assert rerun.issue_of["c1"] == rerun.issue_of["a1"]
    # Rejecting the deposit pair keeps a2 out of a1's issue in every later run.
    rejected = analyse(letters, decisions=(Decision("unlink", letter_ids=("a2", "a1")),))
    assert rejected.issue_of["a2"] != rejected.issue_of["a1"]
    assert rejected.explain("a1", "a2").reasons()  # still explained: the evidence is shown, the decision rules
    with pytest.raises(InputError, match="两件不同的信件编号"):
        Decision("link", letter_ids=("a1",))
    with pytest.raises(InputError, match="目标关联组"):
        Decision("move", letter_ids=("a1",))


def test_review_queue_shows_near_misses_with_evidence_and_drops_decided_pairs():
    letters = [
        Letter("a", "霞寨镇林业站收取桉树砍伐保证金每亩300元，至今不退。", _on(0), address="平和县霞寨镇"),
        Letter("b", "霞寨镇林业站办理采伐证要交设计费每亩50元，没有依据。", _on(4), address="平和县霞寨镇"),
        Letter("c", "大霞村低保评定优亲厚友。", _on(8), address="龙海区白水镇大霞村"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] != res.issue_of["b"]
    queue = near_misses(res, floor=0.0)
    pair = next(m for m in queue if {m.a_id, m.b_id} == {"a", "b"})
    assert pair.a_id == "a" and pair.evidence_against  # why they were kept apart
    assert any("霞寨" in r or "林业站" in r for r in pair.evidence_for)
    rejected = apply_decision(res, Decision("unlink", letter_ids=("a", "b")))
    assert not any({m.a_id, m.b_id} == {"a", "b"} for m in near_misses(rejected, floor=0.0))
    confirmed = apply_decision(res, Decision("link", letter_ids=("a", "b")))
    assert confirmed.issue_of["a"] == confirmed.issue_of["b"]
    assert not any({m.a_id, m.b_id} == {"a", "b"} for m in near_misses(confirmed, floor=0.0))
    with pytest.raises(InputError, match="limit"):
        near_misses(res, limit=0)


def test_review_queue_is_not_flooded_by_one_template_told_at_many_places():
    # Found in the browser walk: one complaint template told at many places filled the top of the queue.
    places = [("金鳌村", "龙海区白水镇金鳌村"), ("中骏社区", "龙文区蓝田街道中骏社区"),
              ("浦西村", "华安县丰山镇浦西村"), ("鹿溪村", "漳浦县绥安镇鹿溪村")]
    letters = [
        Letter(f"t{k}", f"{v}路灯安装工程拖欠农民工工资{k + 1}000元，施工方和村里互相推诿。", _on(k), address=addr)
        for k, (v, addr) in enumerate(places)
    ] + [
        Letter("a", "霞寨镇林业站收取桉树砍伐保证金每亩300元，至今不退。", _on(4), address="平和县霞寨镇"),
        Letter("b", "霞寨镇林业站办理采伐证要交设计费每亩50元，没有依据。", _on(6), address="平和县霞寨镇"),
    ]
    res = analyse(letters)
    assert len({res.issue_of[f"t{k}"] for k in range(4)}) == 4
    queue = near_misses(res, floor=0.0)
    template = [m for m in queue if m.a_id.startswith("t") and m.b_id.startswith("t")]
    assert template and len(template) <= 3  # of the 6 template pairs
    assert all(m.evidence_against.startswith("同一格式") for m in template)
    ab = next(m for m in queue if {m.a_id, m.b_id} == {"a", "b"})
    # Places are named, never shown as codes (a letter without a resolved town still gets its town's name).
    assert "地点相同：霞寨镇" in ab.evidence_for


def test_each_towns_forestry_station_in_the_respondent_column_does_not_split_one_matter():
    """The walk's register named the respondent per letter (角美镇林业站, 书洋镇林业站站长 …): read as six different
    persons, the deposit letters of five counties were refused as "被反映人不同" and no systemic issue appeared."""
    rows = [
        ("w2", "龙海区角美镇", "角美镇林业站", "桉树砍伐要交保证金每亩300元，交了以后一直不退。"),
        ("w4", "南靖县书洋镇", "书洋镇林业站站长", "砍伐桉树收取保证金，不开收据。"),
        ("w17", "南靖县梅林镇", "梅林镇林业站", "桉树采伐证要另外交每亩二百元押金。"),
        ("w22", "华安县丰山镇", "丰山镇林业站", "砍伐桉树保证金收了不退，全村几十户。"),
        ("w30", "诏安县官陂镇", "官陂镇林业站", "桉树砍伐保证金，每亩收三百，不退。"),
        ("w34", "云霄县马铺乡", "马铺乡林业站", "桉树保证金要交才给办采伐证。"),
    ]
    letters = [Letter(i, text, _on(k * 7), address=addr, reported_persons=(who,))
               for k, (i, addr, who, text) in enumerate(rows)]
    res = analyse(letters)
    issues = {res.issue_of[i] for i, *_ in rows}
    assert len(issues) == 1, res.issue_of
    assert len(res.cluster(issues.pop()).county_codes) == 5
    # A named person in that column still keeps two matters apart.
    named = [Letter("p1", "村支书陈某明侵占集体鱼塘承包款。", _on(1), address="龙海区角美镇",
                    reported_persons=("陈某明",)),
             Letter("p2", "村支书林某华侵占集体鱼塘承包款。", _on(2), address="南靖县书洋镇",
                    reported_persons=("林某华",))]
    res2 = analyse(named)
    assert res2.issue_of["p1"] != res2.issue_of["p2"]


def test_a_named_respondent_per_town_does_not_split_a_county_wide_practice():
    """Walk A (2026-12-03): 25 桉树砍伐保证金 letters in ten counties, each register row naming that place's own
    respondent (陈某, 李某, 刘某 …) in 被反映人, were all refused pairwise as "被反映人不同": no systemic issue, and a
    leader had to confirm twenty pairs by hand. At two different towns the register's respondents differ whatever
    the matter; only culprits the letters themselves name keep them apart."""
    rows = [
        ("v1", "平和县坂仔镇心田村", "陈某", "村里收取桉树砍伐保证金每亩300元，砍完后不予退还，林农多次讨要无果。"),
        ("v2", "华安县仙都镇大地村", "李某", "林业站要求砍伐桉树先交保证金，每亩200元，说是植被恢复押金，两年没退。"),
        ("v3", "云霄县火田镇西林村", "刘某", "桉树砍伐保证金收了不退，全村几十户都交过，每户几百到上千元不等。"),
        ("v4", "诏安县官陂镇大边村", "钟某", "村里收取砍伐桉树保证金每亩150元，不开票据。"),
        ("v5", "南靖县南坑镇", "温某", "南坑镇某村砍伐桉树需缴纳保证金，每亩200元。"),
    ]
    letters = [Letter(i, text, _on(k * 5), address=addr, reported_persons=(who,))
               for k, (i, addr, who, text) in enumerate(rows)]
    res = analyse(letters)
    issues = {res.issue_of[i] for i, *_ in rows}
    assert len(issues) == 1, res.issue_of
    cluster = res.cluster(issues.pop())
    assert cluster.systemic and len(cluster.county_codes) == 5
    # The same village with two different named respondents is still two matters.
    here = "平和县坂仔镇心田村"
    same = [Letter("s1", "村会计侵占集体鱼塘承包款。", _on(1), address=here, reported_persons=("陈某明",)),
            Letter("s2", "村主任侵占集体山林承包款。", _on(2), address=here, reported_persons=("林某华",))]
    res2 = analyse(same)
    assert res2.issue_of["s1"] != res2.issue_of["s2"]


def test_a_refusal_names_the_charges_as_the_letters_write_them():
    """Walk M: a refused pair read “核心事项不同：代办费 / 保证金” for letters that wrote 手续费 and 押金."""
    letters = [
        Letter("a", "霞寨镇便民服务中心办理残疾证要交手续费两百元，不交不给办。", _on(0), address="平和县霞寨镇"),
        Letter("b", "霞寨镇幼儿园收取押金五百元，退学后不退押金。", _on(3), address="平和县霞寨镇"),
    ]
    res = analyse(letters)
    assert res.issue_of["a"] != res.issue_of["b"]
    pair = next(m for m in near_misses(res, floor=0.0) if {m.a_id, m.b_id} == {"a", "b"})
    assert pair.evidence_against == "核心事项不同：手续费 / 押金"
