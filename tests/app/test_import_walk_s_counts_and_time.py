"""导入 (walk S): the line after an import said 「用时 0.0 秒」 while 导入结果 under it said 0.1 + 5.9 秒 (the meaning
step came after the line was written); a register imported again previewed as 「可导入 66」 and only the result
said 未变 66. The line gives the whole wait, and the preview counts new, changed and unchanged rows first."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from _ui_data import db_url
from streamlit.testing.v1 import AppTest

import pages.common
from pages.common import Key
from planner.intake import register as ingest

ROOT = Path(__file__).resolve().parents[2]
PAGE = str(ROOT / "pages" / "import_register.py")
FILE_KEY = getattr(Key, "IMPORT_FILE", "import_file")

HEAD = "编号,收件日期,信访人,问题发生地,反映内容\n"
REGISTER = HEAD + (
    "S1,2026-10-05,张建国,漳浦县官浔镇,村干部侵占征地补偿款\n"
    "S2,2026-10-06,李明,平和县山格镇,收取桉树砍伐保证金不退\n"
    "S3,2026-10-07,王芳,云霄县列屿镇,渔船燃油补贴被克扣\n"
)
# S3 told again with more, S4 new, S1 and S2 as before.
AGAIN = REGISTER.replace("渔船燃油补贴被克扣", "渔船燃油补贴被克扣，至今未发放到户") + (
    "S4,2026-10-08,陈红,华安县仙都镇,卫生院收费不开票\n")


@pytest.fixture()
def app(engine, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", db_url(engine))
    return AppTest.from_file(PAGE, default_timeout=60)


def _seconds(text: str) -> float:
    found = re.search(r"用时 ([0-9.]+) 秒", text)
    assert found, text
    return float(found.group(1))


def test_the_line_after_the_import_gives_the_whole_wait(app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages.common, "encode_meaning", lambda engine_, texts: time.sleep(0.6))
    app.session_state[FILE_KEY] = ("walkS.csv", REGISTER.encode())
    app.run()
    app.button(key="import_go").click().run()
    assert not app.exception
    line = next(s.value for s in app.success if "读取 3 行" in s.value)
    assert _seconds(line) >= 0.6
    caption = next(c.value for c in app.caption if c.value.startswith("walkS.csv，用时"))
    assert _seconds(line) == _seconds(caption)  # the line and 导入结果 say the same time


def test_a_register_imported_again_previews_as_unchanged(engine, app: AppTest) -> None:
    ingest.import_register(engine, REGISTER.encode(), filename="walkS.csv")
    app.session_state[FILE_KEY] = ("walkS.csv", REGISTER.encode())
    app.run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["可导入"] == "3"
    said = [i.value for i in app.info if "可导入的 3 行中" in i.value]
    assert said and "新增 0 件，更新 0 件，未变 3 件" in said[0] and "已导入且内容未变" in said[0], [
        i.value for i in app.info]


def test_the_preview_counts_new_changed_and_unchanged_rows(engine, app: AppTest) -> None:
    ingest.import_register(engine, REGISTER.encode(), filename="walkS.csv")
    app.session_state[FILE_KEY] = ("walkS-2.csv", AGAIN.encode())
    app.run()
    assert not app.exception
    said = [c.value for c in app.caption if c.value.startswith("可导入的 4 行中")]
    assert said == ["可导入的 4 行中：新增 1 件，更新 1 件，未变 2 件（与已导入的信访件相同，导入时不改动）。"]
    app.button(key="import_go").click().run()
    result = app.session_state[Key.IMPORT_RESULT]
    assert (result["imported"], result["updated"], result["unchanged"]) == (1, 1, 2)  # as the preview said
