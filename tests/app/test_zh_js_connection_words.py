"""Streamlit's own English words that reach a phone when the connection drops are in static/zh.js (walk B,
2026-12-03: "Streamlit server is not responding. Are you connected to the internet?" covered the app's own red
Chinese banner). The texts are read from the installed Streamlit bundle, so a Streamlit upgrade that rewords them
fails here instead of showing English to officers."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"
WANTED = (
    "Streamlit server is not responding. Are you connected to the internet?",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:",
)


def _zh_keys() -> set[str]:
    text = (ROOT / "static" / "zh.js").read_text("utf-8")
    return set(re.findall(r'^\s*"([^"]+)":', text, flags=re.M))


def test_connection_messages_of_this_streamlit_are_translated():
    bundle = "".join(p.read_text("utf-8", errors="ignore") for p in BUNDLE.glob("*.js"))
    keys = _zh_keys()
    for message in WANTED:
        assert message in bundle, f"Streamlit no longer says {message!r}: update static/zh.js and this test"
        assert message in keys, f"static/zh.js does not translate {message!r}"


def test_help_tooltip_labels_are_translated():
    text = (ROOT / "static" / "zh.js").read_text("utf-8")
    assert "/^Help for (.+)$/" in text


def test_a_refused_download_is_explained_in_chinese():
    """Walk E: a download refused after the account was stopped gave no file and only Streamlit's English
    "Failed to generate file for download" under the button (the server's own answer to a deferred download whose
    callable raised: pages.common.live_download refuses that way)."""
    source = (Path(streamlit.__file__).parent / "runtime" / "backend_operation_handler.py").read_text("utf-8")
    message = "Failed to generate file for download"
    assert f'"{message}"' in source, "Streamlit no longer says it: update static/zh.js and this test"
    assert message in _zh_keys()
