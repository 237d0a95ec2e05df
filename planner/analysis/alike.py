"""One charge, whoever collects it and however near the wording: two cases where the word rules' caution was wrong.

Walk W14 (a county office's register of 250 letters) found the deposit practice of issue 18 split three ways:

- letters worded almost alike at six towns (梅林镇 / 天宝镇 在发放林木采伐许可证时附加收取“采伐保证金”) were each left
  alone: the practice, written in 24 of the 250 letters, had made its own words too common in the register to count
  as specific evidence, though a deposit is the one template the rules take as one practice at several places, and
  a text told again with only the place changed is that template at its plainest (:func:`charge_told_alike`);
- letters naming another collector (镇农业服务中心主任 said 镇里统一退 of the 迹地更新保证金 the 林业站 letters name)
  were refused as 被反映单位类别不同, though one named charge on one object is one practice whoever collects it
  (:func:`one_charge`).
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.analysis.evidence import (
    _GENERIC_MONEY,
    _Evidence,
    _figures_conflict,
    _names_charge,
    _own_objects,
    _shared_concepts,
)

#: Word cosine from which two letters at different places are told almost alike (one text, another place's name).
SAME_WORDING = 0.8


def one_charge(ca: Sequence[str], cb: Sequence[str]) -> bool:
    """One named charge on one object in both letters' core words (桉树 + 保证金), neither naming objects of its own:
    one practice whoever collects it (林业站, 农业服务中心, 村委会)."""
    shared = _shared_concepts(ca, cb)
    named = [x for x in shared if x not in _GENERIC_MONEY]
    return len(named) >= 2 and _names_charge(shared) and not _own_objects(shared, tuple(ca), tuple(cb))


def charge_told_alike(ea: _Evidence, eb: _Evidence, ca: Sequence[str], cb: Sequence[str], rel: str) -> str:
    """Why two letters at different places worded almost alike (word cosine at least :data:`SAME_WORDING`) are one
    practice: a deposit (保证金; 押金 folded in) both name, the one exception to "a template with other slots is each
    place's own matter" (linking._rules), with no person named in either text, no village cadre or body acting and no
    rates or years that disagree within one town (``rel``: :func:`planner.analysis.linking._relation`).
    "" otherwise: a form letter naming each village's cadre (X村低保评定不公开，村会计Y说了算) stays each village's
    matter, and so do other charges told alike at several towns (办理低保每户收取手续费: the demo register's truth)."""
    if ea.text_persons or eb.text_persons or ea.cadre or eb.cadre or ea.local or eb.local:
        return ""
    one_town = rel in ("town", "apart-village")
    if one_town and (_figures_conflict(ea.rates, eb.rates) or (ea.years and eb.years and not ea.years & eb.years)):
        return ""  # 每亩800元 / 每亩500元 at one town: two charges, as linking._rules says (each town its own rate)
    shared = _shared_concepts(ca, cb)
    if "保证金" not in shared:
        return ""  # other charges told alike at two places: a template with other slots, each place's own (demo)
    return "同一收费做法、几乎相同的说法（各地同一做法）：" + "、".join(shared[:3])
