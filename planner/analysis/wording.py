"""How a letter's own text says a matter word the lexicon folded (建房审批 -> 宅基地), for explanations."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from planner.analysis.textmine import _village_names, gazetteer, synonyms


@functools.lru_cache(maxsize=1)
def _variants_of() -> dict[str, tuple[str, ...]]:
    """Canonical matter word -> its variants, longest first (宅基地 -> 批地建房, 建房审批 ...)."""
    out: dict[str, list[str]] = {}
    for variant, canonical in synonyms().items():
        out.setdefault(canonical, []).append(variant)
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in out.items()}


def as_written(term: str, text: str) -> str:
    """How a letter's own text says a matter word: ``term`` itself when written, else the variant the lexicon folded
    into it (``建房审批`` for 宅基地), else ``""`` (an explanation must never claim a word the letter lacks)."""
    if not term or term in text:
        return term
    return next((v for v in _variants_of().get(term, ()) if v in text), "")


def shown_term(term: str, text_a: str, text_b: str) -> str:
    """A shared matter word as an explanation shows it: ``宅基地`` when both letters write it, else with each
    letter's own words, ``宅基地（原文：建房审批 / 宅基地）``."""
    wa, wb = as_written(term, text_a), as_written(term, text_b)
    if wa == term and wb == term:
        return term
    said = " / ".join(dict.fromkeys(w or "同义词" for w in (wa, wb)))
    return f"{term}（原文：{said}）"


@functools.lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    """The gazetteer's village, town and county names as written in full (康美村, 康美镇, 东山县; not 康美)."""
    return _village_names() | frozenset(n for n, e in gazetteer().items() if e.name == n)


#: Longest place name looked for around a word (温泉度假村, 古雷港经济开发区 are longer than most).
_LONGEST_PLACE = 10


def within_place_name(term: str, text: str, places: Iterable[str] = ()) -> bool:
    """True when ``text`` writes ``term`` only inside or across a place's name: each time, a name begins before
    it and ends after its first character (村村 of 康美村村集体, 南村 of 浦南村) — a piece the segmenter cut, not
    a word of the letter's own (walk W13: 共同关键词 村村). ``places``: names the letter gives besides the
    gazetteer's; False when ``text`` does not write ``term``."""
    if not term or term not in text:
        return False
    known, own = _place_names(), places if isinstance(places, set | frozenset) else set(places)
    pos = text.find(term)
    while pos >= 0:
        if not any((name := text[s:e]) in known or name in own for s in range(max(0, pos - _LONGEST_PLACE + 1), pos)
                   for e in range(s + 2, min(len(text), s + _LONGEST_PLACE) + 1) if e > pos):
            return False
        pos = text.find(term, pos + 1)
    return True


_ADDRESS_PLACE = re.compile(r"[\u4e00-\u9fa5]+?(?:街道|社区|省|市|区|县|镇|乡|村)")


def address_places(address: str) -> tuple[str, ...]:
    """The places an address names one after another (龙文区蓝田镇梧桥村1组 -> 龙文区, 蓝田镇, 梧桥村): a village
    the gazetteer lacks is still a place of the letter."""
    return tuple(_ADDRESS_PLACE.findall(address or ""))
