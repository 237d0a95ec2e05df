"""Companies named in letters: the distinctive part of a name (金鑫砂石 of 金鑫砂石有限公司), and the company two
letters both name."""

from __future__ import annotations

import re

_GENERIC_COMPANY_RE = re.compile(
    r"^(?:福建省|漳州市|福建|漳州)|(?:有限责任|股份有限|有限)?(?:公司|合作社|家庭农场|厂)$"
    r"|建设工程|建筑工程|工程|建设|建筑|实业|发展|投资|科技|集团|物业|服务|管理"
)


#: What a company does or is in the matter, not its name (中标公司, 施工公司, 检测公司, 这家公司, 他儿子的公司): every
#: town's tender has a 中标公司 (walk W12: 34 towns' cleaning tenders were one "same company" matter through it).
_COMPANY_ROLE_RE = re.compile(
    r"的|^[这那该某一本外]|^(?:中标|投标|施工|检测|鉴定|评估|监理|设计|代理|劳务|保洁|环卫|绿化|园林|物流|运输|拆迁"
    r"|开发|承包|外包|中介|担保|装修|安保|保安|供货|采购|回收|关联|皮包|空壳|涉事|第三方|私人|个人|民营|国有)+$"
)


def _company_name(unit: str) -> str:
    """The distinctive part of a company's name (漳州市鑫源建设工程有限公司 -> 鑫源); "" when nothing is left or
    what is left says only what the company does in the matter (中标公司, 检测公司)."""
    core = _GENERIC_COMPANY_RE.sub("", unit)
    return core if len(core) >= 2 and not _COMPANY_ROLE_RE.search(core) else ""


def _same_company(ca: frozenset[str], cb: frozenset[str], text_a: str, text_b: str) -> str:
    """The company two letters both name, by the distinctive part of its name (金鑫砂石 of 金鑫砂石有限公司; 金鑫
    of 金鑫公司 is the same one), or written in the other letter's text without a company ending (涉事企业金鑫砂石,
    three characters at least); "" when none."""
    for x in ca:
        for y in cb:
            if x.startswith(y) or y.startswith(x):
                return x if len(x) >= len(y) else y
    for x in ca:
        if len(x) >= 3 and x in text_b:
            return x
    for y in cb:
        if len(y) >= 3 and y in text_a:
            return y
    return ""
