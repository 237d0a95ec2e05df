"""Seeded sample addresses written the ways people write them, with their true codes (tests, demo data, benchmarks)."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import geodata

ROADS = ("中山路", "胜利路", "建设路", "新华路", "解放路", "人民路", "江滨路", "环城路", "延安路", "和平街")
NOISE = ("", "", "", "{n}组", "{n}号", "附近", "{n}组{m}号", "村口", "对面", "旁边", "{n}号楼", "后面")
STYLES = (
    "full", "city", "county", "short", "old", "bare", "no_county", "alt_suffix", "spaces", "fullwidth",
    "committee", "no_town", "village_only", "road", "zone", "town_only", "county_only",
)


@dataclass(frozen=True, slots=True)
class SampleAddress:
    """An address text and the place it means; blank codes mean "not determinable from the text"."""

    address: str
    county_code: str
    town_code: str
    village_code: str
    ambiguous: bool
    style: str


@lru_cache(maxsize=1)
def _tables():
    counties = {c.code: c for c in geodata.counties()}
    towns = {t.code: t for t in geodata.towns()}
    real = tuple(v for v in geodata.villages() if v.town_code and not v.virtual and v.kind != "生活区")
    name_city = Counter(v.name for v in geodata.villages())
    name_county = Counter((v.county_code, v.name) for v in geodata.villages())
    core_city = Counter(t.core for t in geodata.towns())
    zone_of = {z.unit_code: z for z in geodata.zones() if not z.unsure}
    return counties, towns, real, name_city, name_county, core_city, zone_of


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ("\u3000" if ch == " " else ch) for ch in text)


def _alt(town_name: str, core: str) -> str:
    if town_name.endswith("街道"):
        return core + "镇"
    if town_name.endswith("镇"):
        return core + "乡"
    if town_name.endswith("族乡"):
        return core + "乡"
    return core + "镇"


def sample_addresses(n: int, *, seed: int = 0, styles: tuple[str, ...] = STYLES) -> list[SampleAddress]:
    """Return ``n`` addresses of real villages written in varied styles, with the codes they mean.

    Parameters
    ----------
    n
        How many addresses.
    seed
        Random seed; the same seed gives the same list.
    styles
        Which writing styles to draw from (see ``STYLES``).

    Returns
    -------
    list[SampleAddress]
        ``ambiguous`` is True when the text alone cannot tell (e.g. a village name used in several
        towns and no town given); then only the codes all readings share are filled in.
    """
    counties, towns, real, name_city, name_county, core_city, zone_of = _tables()
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        v = rng.choice(real)
        t = towns[v.town_code]
        c = counties[v.county_code]
        style = rng.choice(styles)
        noise = rng.choice(NOISE).format(n=rng.randint(1, 12), m=rng.randint(1, 80))
        county_name = c.name
        cc, tc, vc, amb = c.code, t.code, v.code, False
        if style == "full":
            text = f"福建省漳州市{c.name}{t.name}{v.name}{noise}"
        elif style == "city":
            text = f"漳州市{c.name}{t.name}{v.name}{noise}"
        elif style == "county":
            text = f"{c.name}{t.name}{v.name}{noise}"
        elif style == "short":
            text = f"{c.short}{t.name}{v.name}{noise}"
        elif style == "old":
            county_name = c.old_names[0] if c.old_names else c.name
            text = f"漳州{county_name}{t.name}{v.name}{noise}"
        elif style == "bare":
            noise = "" if noise.startswith("村") else noise  # "山格" + "村口" would read as 山格村
            text = f"{c.short}{t.core}{v.core}{noise}"
            if sum(1 for w in real if w.town_code == t.code and w.core == v.core) > 1:
                vc, amb = "", True  # 山后村 and 山后社区 in one town: "山后" cannot tell
        elif style == "no_county":
            if core_city[t.core] > 1:
                continue
            text = f"{t.name}{v.name}{noise}"
        elif style == "alt_suffix":
            text = f"{c.name}{_alt(t.name, t.core)}{v.name}{noise}"
        elif style == "spaces":
            text = f"漳州市 {c.name} {t.name} {v.name} {noise}".strip()
        elif style == "fullwidth":
            text = _fullwidth(f"{c.name}{t.name}{v.name}{noise or '12号'}")
        elif style == "committee":
            suffix = "村委会" if v.kind == "村" else rng.choice(("居委会", "社区居委会"))
            text = f"{c.name}{t.name}{v.core}{suffix}"
        elif style == "no_town":
            text = f"{c.name}{v.name}{noise}"
            if name_county[(c.code, v.name)] > 1:
                tc = vc = ""
                amb = True
        elif style == "village_only":
            text = f"{v.name}{noise}"
            if name_city[v.name] > 1:
                cc = tc = vc = ""
                amb = True
        elif style == "road":
            text = f"{c.name}{t.name}{v.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
        elif style == "zone":
            z = zone_of.get(t.code)
            if z is None:
                continue
            text = f"{z.name}{t.name}{v.name}{noise}"
        elif style == "town_only":
            text = f"{c.name}{t.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
            vc = ""
        elif style == "county_only":
            text = f"{c.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
            tc = vc = ""
        else:
            raise ValueError(f"style {style!r} is unknown")
        out.append(SampleAddress(unicodedata.normalize("NFC", text), cc, tc, vc, amb, style))
    return out
