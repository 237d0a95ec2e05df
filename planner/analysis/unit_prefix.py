"""Where a reported unit's name starts: never inside a place name (walk W31: 反映河墘村林业站收取… was listed as
墘村林业站 — the segmenter cut 河 | 墘 | 村, and the two tokens before 林业站 were taken as its prefix)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def start_outside_place(
    tokens: Sequence[str], j: int, i: int, place_idx: Collection[int], place_names: Collection[str]
) -> int:
    """``j`` — the unit ``tokens[i]``'s prefix being ``tokens[j + 1 : i]`` — moved back before the place name that
    prefix starts inside (河 + 墘村林业站 -> 河墘村林业站), or unchanged when it starts at a name's first token."""
    if j < 0 or j not in place_idx or j + 1 not in place_idx:
        return j
    for a in range(j, max(-1, j - 4), -1):
        if a not in place_idx:
            break
        if any("".join(tokens[a : b + 1]) in place_names for b in range(j + 1, i)):
            return a - 1
    return j
