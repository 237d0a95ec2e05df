"""The office's own words for 关联分析 (设置 → 关联分析词表): a scheme the office names in several ways links its
letters across counties once the office says the names are one; the words are stored, audited and used by every
analysis of the office, and dropping them restores the shipped lexicon."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from planner.analysis import Letter, analyse
from planner.analysis.textmine import office_lexicon, set_office_lexicon
from planner.errors import InputError
from planner.office.settings import AppSettings, ClusterLexicon, load_settings, save_settings
from planner.store import clusters as store
from planner.store.models import AuditRow, CaseRow

_LETTERS = [
    ("g1", "云霄县陈岱镇", "陈岱镇村里的公益性岗位挂的是村主任母亲的名字，老人家从没扫过地，工资照领。"),
    ("g2", "漳浦县佛昙镇", "佛昙镇护路岗名单上三个人常年在外打工，每月的钱被村支书取走。"),
    ("g3", "南靖县金山镇", "金山镇村里报了个护林公益岗，我一次钱都没领过，钱进了村文书的卡。"),
    ("x1", "平和县小溪镇", "小溪镇街上的饭店油烟很大，晚上十点还在炒菜。"),
    ("x2", "华安县沙建镇", "沙建镇有人在河边倒建筑垃圾，下雨就冲到河里。"),
]
_WORDS = ClusterLexicon.from_text("公益性岗位 公益岗\n护路岗 公益岗\n护林公益岗 公益岗", "公益岗")


def _letters() -> list[Letter]:
    return [Letter(lid, text, dt.date(2026, 3, 1) + dt.timedelta(days=9 * k), address=addr, petitioner_key=f"p{k}")
            for k, (lid, addr, text) in enumerate(_LETTERS)]


def _stored_letters(session) -> list[Letter]:
    """The letters, also registered as cases (``store.recluster`` saves clusters of cases)."""
    letters = _letters()
    for lt in letters:
        session.add(CaseRow(case_no=lt.letter_id, received_date=lt.received_date,
                            deadline=lt.received_date + dt.timedelta(days=60), content=lt.text))
    session.flush()
    return letters


@pytest.fixture(autouse=True)
def _shipped_words(monkeypatch):
    # The words alone are tested here (the letters' meaning may link some of these names too: test_cluster_meaning).
    monkeypatch.setenv("XIAFANG_SEMANTIC", "0")
    set_office_lexicon()
    yield
    set_office_lexicon()  # the words are process-wide: never leak into other tests


def _groups(result) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for lid, cid in result.issue_of.items():
        by.setdefault(cid, set()).add(lid)
    return {frozenset(v) for v in by.values()}


def test_the_office_words_link_one_scheme_named_three_ways_and_dropping_them_restores_the_shipped_lexicon():
    before = analyse(_letters())
    assert before.issue_of["g1"] != before.issue_of["g2"]  # three names, no shared word: three matters
    assert set_office_lexicon(_WORDS.pairs, _WORDS.programmes) is True
    after = analyse(_letters())
    assert frozenset({"g1", "g2", "g3"}) in _groups(after)
    assert len({after.issue_of[x] for x in ("x1", "x2", "g1")}) == 3  # the one-offs stay apart
    assert set_office_lexicon(_WORDS.pairs, _WORDS.programmes) is False  # same words: caches kept
    set_office_lexicon()
    assert _groups(analyse(_letters())) == _groups(before)


@pytest.mark.parametrize(("pairs", "programmes", "message"), [
    ("公益性岗位", "", "第 1 行"),
    ("公益性岗位 公益性岗位", "", "相同"),
    ("护路岗 公益岗\n护路岗 护林员", "", "已对应"),
    ("公益 岗", "", "不是一个词"),
    ("", "公益岗 <b>", "不是一个词"),
])
def test_words_that_are_not_a_pair_of_words_are_refused_with_the_line(pairs, programmes, message):
    with pytest.raises(InputError, match=message):
        ClusterLexicon.from_text(pairs, programmes)


def test_stored_words_are_audited_and_used_by_the_office_analysis(session):
    from planner.office.security import Actor

    admin = Actor(username="admin1", role="admin")
    save_settings(session, AppSettings(lexicon=_WORDS), actor=admin)
    session.commit()
    assert load_settings(session).lexicon == _WORDS
    audit = session.scalars(select(AuditRow).where(AuditRow.action == "settings_change")).all()
    assert any("cluster_lexicon" in (a.detail or {}).get("changed", {}) for a in audit)
    letters = _stored_letters(session)
    result = store.recluster(session, letters)
    assert frozenset({"g1", "g2", "g3"}) in _groups(result)
    assert office_lexicon()[1] == frozenset({"公益岗"})


def test_new_office_words_regroup_letters_already_clustered_and_keep_the_leaders_decisions(session):
    from planner.analysis import Decision
    from planner.office.security import Actor

    letters = _stored_letters(session)
    first = store.recluster(session, letters)
    assert first.issue_of["g1"] != first.issue_of["g2"]
    # A leader moves the one-off x1 into g1's issue; the move must survive every later run.
    store.decide(session, first, Decision("move", letter_ids=("x1",), target=first.issue_of["g1"]), who="lead")
    session.commit()
    kept = store.recluster(session, letters)  # nothing changed: letters stay where they were
    assert kept.issue_of == store.load_assignment(session)
    save_settings(session, AppSettings(lexicon=_WORDS), actor=Actor(username="admin1", role="admin"))
    session.commit()
    after = store.recluster(session, letters)  # the words changed: every letter is placed again
    session.commit()
    assert after.issue_of["g1"] == after.issue_of["g2"] == after.issue_of["g3"]
    assert after.issue_of["x1"] == after.issue_of["g1"]  # the leader's move is replayed
    assert after.issue_of["x2"] != after.issue_of["g1"]
    again = store.recluster(session, letters)
    assert again.issue_of == after.issue_of  # same words, same groups and ids
