"""行程 on an officer's phone (browser walks): a letter the register files under 三资管理 read 村务财务 on its card,
and nothing said that it belongs to a systemic matter (the same issue in 3+ counties, 关联分析). The card now reads
the register's word, says an inferred category is one, and says 同类问题另见 N 个县区，共 M 件 — counts only."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.field.test_field_category_systemic import INFERRED, NOTE, OTHERS, PLAIN, SANZI, seed_matter
from tests.office import _seed

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "itinerary.py")


def test_an_officers_card_reads_the_registers_word_and_the_systemic_matter(engine, monkeypatch) -> None:
    seed_matter(engine)
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["actor"] = _seed.ACCOUNTS["officer"]
    at.session_state["today"] = _seed.DAY
    at.run()
    assert not at.exception
    heads = {m.value.split("**")[1]: m.value for m in at.markdown if m.value.startswith("**ZZ2026-")}
    # The register's word with the category 统计 counts it under (walk W25: 工程 here, 工程建设 in 统计).
    assert heads[SANZI].endswith("· 三资管理（按村务财务统计）"), heads[SANZI]
    assert heads[INFERRED].endswith("· 征地拆迁（按内容推断，把握较大）"), heads[INFERRED]
    assert heads[PLAIN].endswith("· 土地纠纷")
    notes = [i.value for i in at.info if "系统性问题" in i.value]
    assert notes == [NOTE]  # one letter of the day belongs to a systemic matter
    shown = "\n".join([*(m.value for m in at.markdown), *(i.value for i in at.info), *(c.value for c in at.caption)])
    order = [*_seed.plan_doc().cases, _seed.POOL_CASE]
    for no in OTHERS:  # the matter's other letters: neither their numbers nor their petitioners
        who = _seed.petitioner(order.index(no))
        assert no not in shown and who.name not in shown and who.phone not in shown
