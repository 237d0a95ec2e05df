"""Topic words learned from the register (退耕还林, 残疾证, 营养餐): which words may name a matter across places."""

from __future__ import annotations

import functools
import re

from planner.analysis.textmine import _word_tags, core_terms, tokenizer

# Words that say who acted, what was kept as proof, how it was handled or judged, and the papers and channels money
# is drawn or paid through (身份证, 银行卡, 微信): shared by letters about anything.
_NOT_ANCHORS = frozenset(
    """
    村干部 干部 村里 镇里 乡里 县里 村民 群众 老百姓 家属 老人 农户 上面 国家 政府 领导 工作人员 熟人 亲戚 家里 本人
    收据 票据 发票 文件 证据 公示 名单 材料 账目 明细 标准 政策 规定 手续 情况 问题 事情 部分 一部分 时候 每户 每亩
    每人 每年 每月 一分 好几 几个 好几个 一户 名字 钱款 费用 资金 现金 一带 那边 这边 附近 周边 当地 那里 这里
    代领 冒领 截留 克扣 虚报 挪用 套取 侵占 贪污 私分 拖欠 结果 答复 回复 处理 调查 核实 查处 反映 举报 投诉
    不公 不合理 不公平 不公正 公平 公正 意见 违规 违法 黑幕 猫腻 内幕 现象 行为 嫌疑 关系 后台 保护伞
    村会计 会计 出纳 村出纳 文书 村文书 村主任 主任 书记 支书 村支书 村书记 组长 小组长 村小组长 经办人 经手人
    村医 包工头 老板 施工队 农民 农民工 贫困户 脱贫户 低保户 五保户 困难户 养殖户 种植户 户主 一年到头 先交 交了
    身份证 银行卡 存折 户口本 签字 签名 短信 微信 截图 账户 账号 手机 电话 照片 拍照 店里 卡里
    """.split()
)
_SUBSIDY_RE = re.compile(
    r"补贴|补助|补偿|扶持|津贴|奖补|奖励金|油补|救助|抚恤|工资|工钱|报酬|劳务费|赔款|理赔|赔付|贴息"
)
#: Money taken from people: a fee, a bribe, or a purchase they are made to make (强制买, 必须买, 指定…买, 不买就…,
#: 推销, 摊派: the forced purchase of 校服 or 垃圾桶 is money taken as much as a fee).
_FEE_RE = re.compile(r"[^经]费|红包|好处|送钱|收钱|交钱|要钱|给钱|收受|索要|财物|回扣"
                     r"|(?:强制|必须|逼[^，。！？]{0,4}|只能[^，。！？]{0,6}|指定[^，。！？]{0,6})买|不买就|推销|摊派|搭售")


@functools.lru_cache(maxsize=1 << 16)
def _money_kinds(text: str) -> frozenset[str]:
    """What money a letter is about: paid out to people (补贴, 补助款: ``"out"``), taken from them (好处费, 红包:
    ``"in"``), or both (a subsidy docked as a fee)."""
    return frozenset(k for k, rx in (("out", _SUBSIDY_RE), ("in", _FEE_RE)) if rx.search(text))


_COMMON_FREQ = 1000


@functools.lru_cache(maxsize=1 << 16)
def _specific(tok: str) -> bool:
    """True when a word is rare in Chinese at large (jieba's dictionary frequency at most ``_COMMON_FREQ``, or
    unknown): 渔船, 残疾证, 退耕还林, not 房子, 孩子, 学校 (every kind of letter names those)."""
    return _general_freq(tok) <= _COMMON_FREQ


def _general_freq(tok: str) -> int:
    """A word's frequency in Chinese at large: jieba's dictionary, before this product's own words were added."""
    tk = tokenizer()
    general = tk.general_freq.get(tok)
    return tk.FREQ.get(tok, 0) if general is None else general


#: A word at least this frequent in Chinese at large is an everyday word (伙食费 57, 保险费 116; 过渡费 and 检尺费 are
#: not in jieba's dictionary at all).
_EVERYDAY_FREQ = 20


@functools.lru_cache(maxsize=1 << 16)
def _everyday(tok: str) -> bool:
    """True when a word is ordinary Chinese (jieba's dictionary frequency at least ``_EVERYDAY_FREQ``)."""
    return _general_freq(tok) >= _EVERYDAY_FREQ


def _topic_tag(tok: str) -> bool:
    """A noun, an idiom-like fixed term (退耕还林) or a lexicon matter word; a word jieba does not know only when
    it is at least three characters long (柚树, 交了: too short to be a term)."""
    tag = _word_tags().get(tok)
    if tag is None:
        return len(tok) >= 3 or tok in core_terms()
    return tag.startswith(("n", "vn", "j", "l")) or tok in core_terms()


#: Endings of a river's or a reservoir's name (北溪, 九龙江, 花山溪, 峰头水库).
_WATER_ENDINGS = ("溪", "江", "河", "水库")


def named_waters(tokens: frozenset[str] | set[str]) -> tuple[str, ...]:
    """The rivers and reservoirs named among ``tokens`` (北溪, 九龙江): a name, rare in Chinese at large, not 河道 or
    水库 alone."""
    return tuple(sorted(t for t in tokens if len(t) >= 2 and t.endswith(_WATER_ENDINGS) and t != "水库"
                        and _specific(t)))
