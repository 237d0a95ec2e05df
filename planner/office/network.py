"""Nothing leaves the machine unless a user switched an online option on: Streamlit's own lookups included.

Streamlit asks ``checkip.amazonaws.com`` for the machine's public address when it prints its URLs on a headless
start (``.streamlit/config.toml`` sets ``browser.serverAddress`` so that it does not) and when a browser connects
from an origin other than the page's own host (a reverse proxy naming the server otherwise). :func:`no_address_lookup`
makes that lookup answer "unknown" without asking anyone; such an origin is then refused unless it is listed in
``server.corsAllowedOrigins``, as Streamlit documents for servers without internet.
"""

from __future__ import annotations


def no_address_lookup() -> None:
    """Replace Streamlit's public-address lookup with one that asks nobody (idempotent)."""
    from streamlit import net_util

    net_util.get_external_ip = _unknown


def _unknown() -> None:
    return None
