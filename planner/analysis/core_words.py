"""Core matter words of a letter's tokens (:func:`planner.analysis.textmine.mine`'s ``cores``), also inside longer
words and told through a charge's object and a charging word."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

_CHARGING = frozenset(("收费", "费用", "缴费", "交费", "乱收费"))


def cores_in(tokens: Sequence[str], cores: frozenset[str], stems: Mapping[str, str]) -> tuple[str, ...]:
    """Core matter words (``cores``) in the tokens, also inside longer words (砍伐保证金 -> 保证金); ``stems``: a
    charge's object -> the charge (培训 -> 培训费), named when a charging word stands next to it."""
    out: dict[str, None] = {}
    for tok in tokens:
        if tok in cores:
            out[tok] = None
        elif len(tok) >= 3:
            for n in range(2, min(6, len(tok))):
                for k in range(len(tok) - n + 1):
                    if tok[k : k + n] in cores:
                        out[tok[k : k + n]] = None
    # A charge told through its object and a charging word (收费培训, 培训收费, 资料 + 费用) is the charge (培训费).
    for k, tok in enumerate(tokens):
        charge = stems.get(tok)
        if charge and charge not in out and (
            (k + 1 < len(tokens) and tokens[k + 1] in _CHARGING) or (k > 0 and tokens[k - 1] in _CHARGING)
        ):
            out[charge] = None
    return tuple(out)
