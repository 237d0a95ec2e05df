"""Practices a letter names by what someone did rather than by a matter word: a core word of their own.

Cadres paying themselves out of the collective's money (违规发放津贴补贴, a category of the eight-point
rules) is told as 给自己发误工补贴, 两委拿集体的钱给自己发加班费, 发过节费, 自己开会定了个值班补贴:
letters from one village about it share no matter word (误工补贴 / 加班费 / 过节费 / 值班补贴), so the
likeness of their words says nothing. Each such letter gets the core word ``滥发补贴``; at one village that
makes them one matter, and at two villages the village rules keep them apart (each village's own cadres).
"""

from __future__ import annotations

import re

#: The cadres' own allowances (误工补贴 here is a cadre's, not villagers' pay for work on a road).
_ALLOWANCES = ("误工补贴|误工费|加班费|过节费|过节补贴|值班补贴|值班费|开会补助|开会补贴|开会费"
               "|交通补贴|通讯补贴")
_OWN_PAY = rf"(?:{_ALLOWANCES}|津贴|奖金|补贴|补助|慰问金|福利)"
_CADRE = r"(?:村干部|干部|两委|支书|书记|主任|会计|出纳|报账员|村委)"
#: A clause's characters, but not where villagers' money comes in (领走了我们的误工补贴: money gone astray).
_GAP = r"(?:(?!我们|我家|我的|村民|群众|农户|大家|老百姓)[^，。！？])"
#: 给自己的亲戚, 给自己家: favouring one's kin with a programme's money, not paying oneself.
_NOT_KIN = r"(?![的家亲儿女子孙老弟兄哥姐妹])"
_SELF_PAY_RE = re.compile(
    # 给自己发误工补贴, 给自己和会计发交通补贴, 发给他们自己; 自己开会定了个值班补贴
    rf"(?:给自己|给他们自己|发给他们自己|发给自己){_NOT_KIN}{_GAP}{{0,12}}?{_OWN_PAY}"
    rf"|{_OWN_PAY}[^。！？]{{0,20}}?(?:发给他们自己|发给自己|给他们自己){_NOT_KIN}"
    rf"|自己{_GAP}{{0,8}}?定{_GAP}{{0,6}}?{_OWN_PAY}"
    # 自行发放慰问金给村干部本人: paid out on their own say to themselves
    rf"|{_OWN_PAY}{_GAP}{{0,4}}?(?:给|发给)(?:村干部|干部|他们|自己)本人"
    # 村干部发过节费, 书记领开会补助: a cadre paying out or drawing one of the cadres' own allowances
    rf"|{_CADRE}{_GAP}{{0,10}}?(?:发|领(?!走|去))(?!给){_GAP}{{0,8}}?(?:{_ALLOWANCES})"
)

SELF_PAY = "滥发补贴"
#: The reason two letters of one village telling it are one matter (the review queue and 关联分析 show it).
PRACTICE_REASON = "同村且同一做法：村干部给自己发补贴"


def practice_cores(text: str) -> tuple[str, ...]:
    """The practice core words a letter's text tells (``("滥发补贴",)`` or ``()``)."""
    return (SELF_PAY,) if _SELF_PAY_RE.search(text) else ()
