"""The README's start command makes no request off the machine (walk B: a headless start asked
checkip.amazonaws.com for the public address, and a cross-origin connection would ask again)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_start_as_the_readme_writes_it_asks_nobody_for_an_address(tmp_path):
    port = _free_port()
    env = {**os.environ, "XIAFANG_DATA_DIR": str(tmp_path), "XIAFANG_DEMO": "0",
           "XIAFANG_ADMIN_PASSWORD": "Zz-start-2026!"}
    # As command (a): no --server.address (the browser tests pass one, which hides the lookup).
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("the app did not start")
        time.sleep(2.5)  # the lookup had a 1 s timeout, twice (http, then https)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert f"http://localhost:{port}" in out, out
    assert "External URL" not in out and "external IP" not in out, out


def test_a_cross_origin_check_asks_nobody(monkeypatch):
    from streamlit import net_util
    from streamlit.web.server import server_util

    from pages.common import no_address_lookup

    asked: list[str] = []
    monkeypatch.setattr(net_util, "_make_blocking_http_get", lambda url, timeout=None: asked.append(url))
    monkeypatch.setattr(net_util, "get_external_ip", net_util.get_external_ip)  # restored after the test
    monkeypatch.setattr(net_util, "_external_ip", None)
    no_address_lookup()
    assert not server_util.is_url_from_allowed_origins("http://xiafang.example.gov:8501")
    assert asked == []
