"""行程: at a stop shared by a letter and its repeat letter, the letter that takes the outcome comes first and its
repeat (form collapsed) after it (team leader's walk: on a phone the officer scrolled past the repeat listed first)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.field import load_document

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "tests" / "data" / "plan_zhangzhou.json"
MONDAY = dt.date(2026, 12, 7)


def test_the_first_letter_is_listed_before_its_repeat_at_a_shared_stop(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    doc = load_document(PLAN)
    # Stop 2 (V02) lists ZZ2026-0102 then ZZ2026-0103; make 0102 the repeat of 0103 (same petitioner, same matter).
    assert doc.visits["V02"].case_nos == ("ZZ2026-0102", "ZZ2026-0103")
    cases = {**doc.cases, "ZZ2026-0103": {**doc.cases["ZZ2026-0103"], "repeats": "ZZ2026-0102"}}
    at = AppTest.from_file(str(ROOT / "pages" / "itinerary.py"), default_timeout=30)
    at.session_state["plan_doc"] = dataclasses.replace(doc, cases=cases)
    at.session_state["today"] = MONDAY
    at.run()
    assert not at.exception
    heads = [m.value for m in at.markdown if m.value.startswith("**ZZ2026-010")]
    assert heads.index(next(h for h in heads if "ZZ2026-0103" in h)) < \
        heads.index(next(h for h in heads if "ZZ2026-0102" in h)), heads
    assert any("随 ZZ2026-0103 一并办理" in i.value for i in at.info)  # 0102 is still said to be the repeat
