"""关联分析 → 待确认关联 (walk W13): 「村村」 was shown among the 共同关键词 of two letters — the end of 浦南村 and
康美村 and the start of 村集体 (浦南村村集体, 康美村村集体), a piece the segmenter cut, no word either letter
writes. A shared word a letter writes only inside or across a place's name is not shown as shared; the letters' real
shared words are, and which letters are linked is not changed."""

from __future__ import annotations

from pathlib import Path

from _ui_data import TODAY, add_case, db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key
from planner.analysis import Letter, analyse
from planner.analysis.review import explain_shown, near_misses
from planner.analysis.wording import within_place_name
from planner.office.security import Actor

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "clusters.py")
A_TEXT = "浦南村村集体土地出租收入未公开，村财账目不清"
B_TEXT = "康美村村集体土地出租收入未公开，村财账目不清"


def _letters() -> list[Letter]:
    return [Letter("A", A_TEXT, county="云霄县", town="火田镇", county_code="350622"),
            Letter("B", B_TEXT, county="东山县", town="康美镇", village="康美村", county_code="350626")]


def test_a_piece_of_a_place_name_is_no_shared_keyword() -> None:
    result = analyse(_letters())
    raw = result.explain("A", "B")
    assert "村村" in raw.shared_terms  # what the word statistics share: the piece across 村 + 村集体
    shown = explain_shown(result, "A", "B")
    words = next(r for r in shown.reasons() if r.startswith("共同关键词："))
    assert "村村" not in words and "村村" not in shown.shared_terms
    assert {"出租", "未公开", "村财"} <= set(shown.shared_terms)  # the words they do share are still shown
    for miss in near_misses(result):
        assert not any("村村" in e for e in miss.evidence_for), miss.evidence_for
    # Display only: the groups are those of the analysis.
    assert analyse(_letters()).issue_of == result.issue_of


def test_a_word_written_on_its_own_somewhere_is_kept() -> None:
    assert within_place_name("村村", A_TEXT)
    assert not within_place_name("村村", "要求落实村村通公路。" + A_TEXT)
    assert within_place_name("南村", "浦南村的路") and not within_place_name("康美", "东山县康美镇")
    # A village the letter names that the gazetteer lacks.
    assert within_place_name("后村", "新后村的路", places=("新后村",)) and not within_place_name("后村", "新后村的路")


def test_the_review_queue_shows_no_piece_of_a_place(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    add_case(engine, "A1", county_code="350622", county="云霄县", town="火田镇", content=A_TEXT)
    add_case(engine, "B1", county_code="350626", county="东山县", town="康美镇", content=B_TEXT)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state[Key.TODAY] = TODAY
    at.session_state["actor"] = Actor("coord", "coordinator", display_name="协调员")
    at.session_state["cl_tab"] = "待确认关联"
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown if "共同关键词" in m.value]
    assert shown, "the pair is not offered in 待确认关联"
    assert all("村村" not in v for v in shown), shown
    assert any("村财" in v for v in shown)
