"""Walk W29: on 行程, the next stop's 登记走访结果 form is shown open as a box, not an expander drawn open.

An expander drawn open closed on the officer's first tap on its title (the form below the screen's foot, no mark of
it being open), so the form took two taps. Every 登记走访结果 expander is drawn closed: one tap opens it
(tests/browser/test_fp_form_one_tap.py taps them in Chromium).
"""

from __future__ import annotations

from tests.app.test_itinerary import MONDAY, OFFICER_T1, _officer_app, _saved


def test_no_record_form_is_an_expander_drawn_open(engine, monkeypatch) -> None:
    _saved(engine, monkeypatch)
    at = _officer_app(OFFICER_T1, MONDAY)
    at.run()
    assert not at.exception
    forms = [e for e in at.expander if e.label in ("登记走访结果", "修改走访结果")]
    assert forms, "the other stops' forms are expanders, opened by a tap"
    assert not [e.label for e in forms if e.proto.expanded]
    # The next stop's own form is shown, titled, with its 保存.
    assert any(m.value.endswith("**登记走访结果**") for m in at.markdown)
    assert len([b for b in at.button if "it_form_" in str(b.key)]) == len(forms) + 1
