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

#: Who holds a post: the practices below are an official's (a villager using his own van is no matter).
_OFFICIAL = r"(?:村干部|干部|两委|支书|书记|主任|村长|村官|会计|出纳|负责人|站长|所长|院长|校长|领导|工作人员)"
#: A vehicle the village or an office owns: 村委会买的那辆面包车, 村里那台车, 集体车辆, 所里的公务车.
_OWNED_CAR = (r"(?:村委会?|村里|村部|村集体|集体|公家|单位|镇里|乡里|镇政府|乡政府|所里|站里|院里|村(?=的|那|买|配))"
              r"(?:的|买的|配的|那|那辆|那台|的那辆|的那台)?[^，。！？；]{0,6}?(?:公务车|面包车|小车|轿车|皮卡|车辆|车)")
#: What it is used for instead: the family, outings, a banquet (接他孙子上下学, 拉一家人去海边玩, 开去厦门喝喜酒).
_PRIVATE_USE = (r"(?:私用|私家车|自己家?用|自家用|办私事|私事"
                r"|[接送](?:他|她|自己|自家|家里)[^，。！？]{0,2}(?:孙|儿|女|孩子|小孩|老婆|家人)|拉[^，。！？]{0,4}(?:家人|一家|老婆|亲戚|朋友)"
                r"|[去到][^，。！？]{0,8}(?:玩|旅游|度假|喝喜酒|吃喜酒|吃酒|钓鱼))")
_CAR_RE = re.compile(rf"{_OWNED_CAR}[^。！？]{{0,40}}?{_PRIVATE_USE}")
#: Characters of a sentence, but not where the official's kin come in (村主任的儿子在外地打工: the son is away).
_NOT_KIN_GAP = r"(?:(?!儿子|女儿|老婆|妻子|孩子|亲戚|弟弟|哥哥|侄子|家人|父亲|母亲)[^。！？])"
#: An official away from the post: 脱岗, 甩手掌柜, or away doing business (人在厦门做建材生意, 跑去外地赚钱).
_ABSENT_RE = re.compile(
    r"脱岗|离岗|擅离职守|不在岗|甩手掌柜|挂名不(?:干事|做事|上班)|空饷"
    rf"|{_OFFICIAL}{_NOT_KIN_GAP}{{0,16}}?(?:在外地?|外出|跑去外地|到外地|去外地|人在[^，。！？]{{1,4}}|常年在|一年到头)"
    r"[^，。！？]{0,8}?(?:做[^，。！？]{0,4}生意|经商|办厂|开厂|开公司|打工|赚钱|跑业务)"
)
#: The collective's buildings sold off (原村小校舍卖给了村主任的哥哥, 老学校卖了, 集体资产低价处置); leasing is another
#: matter (发包, 租金), and so is land (征地, 卖地).
_ASSETS = r"(?:集体资产|集体的?(?:房子|房屋|厂房|仓库|店面)|老村部|旧村部|村部|校舍|老学校|旧学校|村小|村办厂|礼堂)"
_SOLD = r"(?:变卖|出售|卖掉|贱卖|卖给|卖了|低价处置|处置|转让)"
_SALE_RE = re.compile(
    rf"{_ASSETS}[^。！？]{{0,25}}?{_SOLD}|(?:变卖|出售|卖掉|贱卖|低价处置|转让)[^。！？]{{0,10}}?{_ASSETS}")

#: Villagers' bank cards or passbooks held by an official (社保卡收在他那里, 一卡通被村会计拿着, 收着存折不还): the
#: subsidies and pensions paid onto them are his to draw (代管惠农补贴一卡通, a category of the rules on petty graft).
_CARDS = r"(?:社保卡|一卡通|惠农卡|存折|银行卡|折子|卡折|补贴卡|养老卡)"
_HELD = r"(?:收在|放在|拿着|收着|扣着|扣押|保管|代管|收走|收了|拿走|不还|统一保管|统一管理|攥着|锁在)"
_CARDS_RE = re.compile(
    rf"{_OFFICIAL}[^。！？]{{0,20}}?{_HELD}[^。！？]{{0,12}}?{_CARDS}"
    rf"|{_CARDS}[^。！？]{{0,6}}?(?:被|让|给)[^。！？]{{0,8}}?{_OFFICIAL}[^。！？]{{0,4}}?{_HELD}"
    rf"|{_OFFICIAL}[^。！？]{{0,20}}?{_CARDS}[^。！？]{{0,12}}?{_HELD}"
)

#: The collective's money lent out on an official's say (账上三十万被书记借给他朋友做生意, 集体的钱被私自借出去): a
#: category of the rules on village finances (违规出借集体资金); villagers lending to the village are no such thing.
_FUNDS = (r"(?:集体的?(?:钱|资金|款|存款)|村集体|村里的?钱|村账|账上|村财|公款|村里(?=[^，。！？]{0,8}万))")
_LENT = r"(?:借给|借出|出借|拆借|借去|放贷|放高利贷)"
_LEND_RE = re.compile(rf"{_FUNDS}[^。！？]{{0,25}}?{_LENT}|(?:私自|擅自|违规)(?:借出|出借)(?!给村)")

SELF_PAY = "滥发补贴"
#: The reason two letters of one village telling it are one matter (the review queue and 关联分析 show it).
PRACTICE_REASON = "同村且同一做法：村干部给自己发补贴"

#: Each practice: its core word, how a letter tells it, what it is (the reason of a link at one village and the
#: review queue's gloss, after 同村且同一做法：) and a group's title. Told in wholly other words at one village
#: (dev6's 储坑村: 在厦门做建材生意 / 脱岗经商 / 甩手掌柜), each is one matter there; at two villages each village's
#: officials are their own matter, as for 滥发补贴. 公车私用 is also a lexicon word (公车, 私用公车).
PRACTICES: dict[str, tuple[re.Pattern[str], str, str]] = {
    SELF_PAY: (_SELF_PAY_RE, PRACTICE_REASON.partition("：")[2], "村干部滥发补贴"),
    "公车私用": (_CAR_RE, "村干部把公家的车私用", "公车私用"),
    "脱岗": (_ABSENT_RE, "村干部脱岗不在岗", "干部脱岗"),
    "变卖集体资产": (_SALE_RE, "村干部变卖集体资产", "变卖集体资产"),
    "代管卡折": (_CARDS_RE, "村干部把村民的银行卡、存折收在自己手里", "干部代管村民卡折"),
    "出借集体资金": (_LEND_RE, "村干部私自出借集体资金", "私自出借集体资金"),
}


def practice_reason(core: str) -> str:
    """The reason of a link at one village through the practice ``core`` (同村且同一做法：…)."""
    return "同村且同一做法：" + PRACTICES[core][1]


def practice_cores(text: str) -> tuple[str, ...]:
    """The practice core words a letter's text tells (``("滥发补贴",)``, ``("脱岗",)`` ... or ``()``)."""
    return tuple(core for core, (pattern, _what, _title) in PRACTICES.items() if pattern.search(text))
