"""地名校准 with online calibration switched on in 设置 but no 天地图 key: the page says why there is no
calibration button (it showed nothing, and “设置已保存” had just been said; found on the walk)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from planner.intake import register as intake
from planner.office.settings import AppSettings, load_settings, save_settings
from planner.store.database import session_scope

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "places.py")
DATA = ("编号,收件日期,反映内容,地址\n"
        "K1,2026-11-02,反映问题。,平和县山格镇土田村\n").encode()


def _app(engine, monkeypatch, *, calibration: bool) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    intake.import_register(engine, DATA, filename="r.csv", today=dt.date(2026, 11, 26))
    with session_scope(engine) as s:
        current = load_settings(s)
        save_settings(s, AppSettings(**{**{f: getattr(current, f) for f in current.__dataclass_fields__},
                                        "place_calibration": calibration}))
    return AppTest.from_file(PAGE, default_timeout=30)


def test_calibration_on_without_a_key_says_the_key_is_missing(engine, monkeypatch) -> None:
    app = _app(engine, monkeypatch, calibration=True)
    app.run()
    assert not app.exception
    assert any("天地图密钥" in i.value for i in app.info)
    assert not any("用天地图校准" in b.label for b in app.button)


def test_calibration_off_says_nothing_about_the_key(engine, monkeypatch) -> None:
    app = _app(engine, monkeypatch, calibration=False)
    app.run()
    assert not app.exception
    assert not any("天地图密钥" in i.value for i in app.info)
