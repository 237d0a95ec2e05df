"""关联分析 (walk W13): three groups — 镇干部违规收受施工方礼金 at 珪后村, 官洋村 and 高层村, each village's own matter
and kept apart — all read 「礼金、收受、施工方」, and the group picker could not tell them apart. A label names the
matter by the words the letters share and leaves places out, so groups whose letters read alike got one label.
Groups sharing a label are now named with their places (then counties, then numbers); a label no other group carries
is unchanged, and which letters are grouped is not changed. The key words no longer list 村镇, the end of 珪后村 and
the start of 镇干部."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.analysis import Letter, analyse
from planner.analysis.group_labels import distinct_labels
from planner.domain import Cluster
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
#: (village, town, county, county code): 珪后村 and 高层村 in one county.
VILLAGES = (("珪后村", "岩溪镇", "长泰区", "350605"), ("官洋村", "梅林镇", "南靖县", "350627"),
            ("高层村", "坂里乡", "长泰区", "350605"))
OTHER = "岩溪镇林业站收取桉树砍伐保证金每亩300元，砍伐后一直不退还。"


def _letters() -> list[Letter]:
    out = [Letter(f"{k}{j}", f"{v}镇干部违规收受施工方礼金", received_date=dt.date(2026, 7, 1 + 3 * k + j),
                  county=c, town=t, village=v, county_code=code, address=f"{c}{t}{v}")
           for k, (v, t, c, code) in enumerate(VILLAGES) for j in range(2)]
    out += [Letter(f"F{j}", OTHER, received_date=dt.date(2026, 8, 1 + j), county="长泰区", town="岩溪镇",
                   county_code="350605") for j in range(2)]
    return out


def test_groups_whose_letters_read_alike_are_named_with_their_places() -> None:
    result = analyse(_letters())
    gift = [c for c in result.issues if c.case_nos[0][0] in "012"]
    assert len(gift) == 3 and all(c.size == 2 for c in gift)  # each village its own group, as the engine keeps them
    labels = [c.label for c in gift]
    assert len(set(labels)) == 3, labels
    for c in gift:
        village = VILLAGES[int(c.case_nos[0][0])][0]
        assert village in c.label and "礼金" in c.label, c.label
        assert "村镇" not in c.key_terms, c.key_terms  # 珪后村 + 镇干部: no word of the letters
        [hot] = result.hotspots_of(c.cluster_id)
        assert hot.label.endswith(f"（{village}）") and hot.label.count(village) == 1, hot.label
    # A label no other group carries is left as it is: the matter words only.
    [deposit] = [c for c in result.issues if c.case_nos[0].startswith("F")]
    assert " · " not in deposit.label and "岩溪" not in deposit.label, deposit.label


def test_places_alike_then_counties_then_numbers() -> None:
    def issue(cid: str, label: str) -> Cluster:
        return Cluster(cid, "issue", label, (cid + "a", cid + "b"))

    def hotspot(cid: str, place: str, county: str) -> Cluster:
        return Cluster(f"{cid}@{place}", "hotspot", "", (cid + "a", cid + "b"), county_codes=(county,), parent_id=cid)

    issues = [*(issue(f"I{k}", "礼金、收受") for k in range(1, 5)), issue("I5", "低保、亲属")]
    hotspots = [hotspot("I1", "东山村", "350605"), hotspot("I2", "东山村", "350627"), hotspot("I3", "西山村", "350605"),
                hotspot("I4", "西山村", "350605"), hotspot("I5", "东山村", "350605")]
    got = {c.cluster_id: c.label for c in distinct_labels(issues, hotspots)}
    assert len(set(got.values())) == 5, got
    assert got["I5"] == "低保、亲属"  # its own label: unchanged
    assert got["I1"] == "礼金、收受 · 长泰区东山村" and got["I2"] == "礼金、收受 · 南靖县东山村", got
    assert got["I3"].startswith("礼金、收受 · 长泰区西山村") and got["I3"].endswith("（I3）"), got


def test_the_group_picker_tells_the_groups_apart(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    for letter in _letters():
        add_case(engine, letter.letter_id, county_code=letter.county_code, county=letter.county, town=letter.town,
                 content=letter.text, received=letter.received_date)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="协调员")
    at.run()
    assert not at.exception
    picker = at.selectbox(key="cl_pick")
    shown = [o.split("｜", 1)[1] for o in picker.options]  # the label after the group's number
    assert len(shown) >= 4 and len(set(shown)) == len(shown), shown
    gift = [o for o in shown if "礼金" in o]
    assert len(gift) == 3 and all(" · " in o for o in gift), gift  # each with where it is
    assert any("官洋村" in o for o in gift) and any("高层村" in o for o in gift), gift
