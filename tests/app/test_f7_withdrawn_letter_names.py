"""回访跟踪: two 澄清函 issued on one finding for the same cadre the same day download under names of their own
(…-第2份.docx), but once a correction withdrew them both the page named each 澄清函（李建国，2026-12-07）: the
note after saving said 澄清函（李建国，2026-12-07、李建国，2026-12-07）已标记为已撤回 and the 澄清 tab warned twice
about the same-named letter. Each is now named with the part of its own (澄清函（李建国，2026-12-07，第2份）), as it
downloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app_steps import followup_page, routed_letter
from sqlalchemy import select

from planner.followup.clarification import ClarificationLetter, issue_clarification
from planner.followup.clarification_withdraw import letter_label
from planner.office.security import Actor
from planner.store.database import session_scope
from planner.store.models import VisitOutcomeRow

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 12, 7)
COORDINATOR = Actor(username="zhou", role="coordinator")
FIRST, SECOND = "澄清函（李建国，2026-12-07）", "澄清函（李建国，2026-12-07，第2份）"


def _two_letters(engine) -> int:
    with session_scope(engine) as s:
        routed_letter(s, untrue_by="zhou")
        for addressee in ("山格镇党委", "平和县林业局"):
            issue_clarification(s, "PH-01", ClarificationLetter(cadre="李建国", matter="收取保证金", finding="未收取",
                                                                addressee=addressee, issued_date=TODAY), who="zhou")
    with session_scope(engine) as s:
        return s.scalars(select(VisitOutcomeRow.id)).one()


def test_each_withdrawn_letter_is_named_as_it_downloads(engine, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    oid = _two_letters(engine)
    app = followup_page(COORDINATOR)
    p = f"fu_PH-01_{oid}_"
    app.radio(key=p + "truth").set_value("true").run()
    app.checkbox(key=p + "confirm_basis").check()
    app.button(key=p + "save").click().run()
    assert not app.exception and not app.error, [e.value for e in app.error]
    said = " ".join(m.value for m in app.success)
    assert f"{FIRST}、{SECOND}已标记为已撤回" in said, said  # in the order issued
    warned = sorted(w.value.split("已于")[0] for w in app.warning if "下载的是存档副本" in w.value)
    assert warned == sorted([FIRST, SECOND]), warned
    downloads = [b.proto.label for b in app.get("download_button") if "已撤回-澄清函-PH-01" in b.proto.label
                 and "fu_cl_dl_docs" not in b.proto.id]
    assert sorted(downloads) == ["下载 已撤回-澄清函-PH-01-李建国-2026-12-07-第2份.docx",
                                 "下载 已撤回-澄清函-PH-01-李建国-2026-12-07.docx"], downloads


def test_letters_without_a_file_of_one_cadre_and_day_are_told_apart_too() -> None:
    day = dt.date(2026, 12, 7)
    letters = [{"id": i, "cadre": "李建国", "issued_date": day, "document_name": None} for i in (7, 4)]
    other = {"id": 9, "cadre": "王海", "issued_date": day, "document_name": None}
    assert [letter_label(c, [*letters, other]) for c in (*letters, other)] == [
        "澄清函（李建国，2026-12-07，第2份）", "澄清函（李建国，2026-12-07）", "澄清函（王海，2026-12-07）"]
