"""A letter's request to keep the petitioner's identity secret (请为我保密，不要透露我的姓名) says how to handle the
letter, not what it is about: it is never a group's label or topic word (walk: a group of school-canteen letters
was labelled 学校食堂、采购、保密)."""

from __future__ import annotations

import datetime as dt

from planner.analysis import Letter, analyse
from planner.analysis.textmine import mine

_ROWS = [
    ("s1", "平和县小溪镇", "小溪镇中心小学学校食堂采购的肉菜价格比市场高很多，采购回扣。请为我保密。"),
    ("s2", "南靖县船场镇", "船场镇中学学校食堂采购价虚高，采购有回扣。请为我保密，不要透露我的姓名。"),
    ("s3", "华安县沙建镇", "沙建镇小学学校食堂采购菜价比市场贵一倍，采购吃回扣。请为我保密。"),
    ("x1", "平和县小溪镇", "小溪镇街上的饭店油烟很大，晚上十点还在炒菜。"),
    ("x2", "南靖县船场镇", "船场镇卫生院看病排队太久，医生态度差。"),
]
_SECRET = ("保密", "透露", "匿名")


def _letters() -> list[Letter]:
    return [Letter(lid, text, dt.date(2026, 1, 1) + dt.timedelta(days=7 * k), address=address,
                   petitioner_key=f"p{k}") for k, (lid, address, text) in enumerate(_ROWS)]


def test_a_confidentiality_request_is_no_label_or_topic_word() -> None:
    res = analyse(_letters())
    canteen = res.cluster(res.issue_of["s1"])
    assert res.issue_of["s2"] == res.issue_of["s3"] == canteen.cluster_id  # the matter still links them
    for c in res.issues:
        words = c.label + " ".join(c.key_terms)
        assert not any(w in words for w in _SECRET), (c.label, c.key_terms)
    assert "食堂" in canteen.label


def test_the_request_is_not_a_matter_word() -> None:
    m = mine("学校食堂采购有回扣。请为我保密，不要透露我的姓名，我要求匿名。")
    assert not {t for t in m.tokens if any(w in t for w in _SECRET)}
    assert "采购" in m.tokens
