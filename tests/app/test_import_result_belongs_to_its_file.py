"""导入: the result of one file is not shown under the next file's preview (walk, L2 and H2).

After importing register_2026Q3.xlsx and choosing 换一个文件, the preview of register2_gbk.csv showed
“导入结果 读取 151 新增 0 … register_2026Q3.xlsx” below it, as if the second file had been imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

from pages.common import Key

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")

FIRST = ("序号,来信日期,信访人,联系电话,所属区县,地址,反映内容\n"
         "1,2026-08-05,张美珠,13959612345,平和县,平和县坂仔镇心田村,村里收取桉树砍伐保证金每亩300元，砍完后不予退还。\n"
         "2,2026-08-11,郑国平,13859651234,龙海区,龙海区角美镇石美村,村里征地补偿款被村干部截留。\n").encode()
SECOND = ("编号,收件日期,举报人,电话,县区,详细地址,主要问题\n"
          "S-001,2026/8/5,张美珠,13959612345,平和县,平和县坂仔镇心田村,村里收取桉树砍伐保证金每亩300元，砍完后不予退还。\n"
          "S-002,2026/11/3,黄秋菊,13906962001,南靖县,南靖县龙山镇,龙山镇某村桉树砍伐收保证金。\n").encode("gbk")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def _subheaders(app: AppTest) -> list[str]:
    return [s.value for s in app.subheader]


def test_the_next_file_shows_its_preview_without_the_previous_result(app: AppTest) -> None:
    app.session_state[FILE_KEY] = ("register_2026Q3.csv", FIRST)
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    assert "导入结果" in _subheaders(app)

    app.session_state[FILE_KEY] = ("register2_gbk.csv", SECOND)
    app.run()
    assert not app.exception
    assert any(s.startswith("预览：register2") for s in _subheaders(app))
    assert "导入结果" not in _subheaders(app)
    assert not any("2026Q3" in c.value for c in app.caption)
    # The preview already says which row is a letter imported before (and under which number).
    metrics = {m.label: m.value for m in app.metric}
    assert (metrics["可导入"], metrics["将拒收"]) == ("1", "1")
    issues = app.dataframe[1].value
    assert any("与已导入的信访件 自编-20260805-" in m for m in issues["说明"])

    app.button(key="import_go").click().run()
    assert not app.exception
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["rejected"], result["duplicates"]) == (1, 1, 1)
    assert _subheaders(app).count("导入结果") == 1
    assert any("已导入的信" in i.value for i in app.info)
