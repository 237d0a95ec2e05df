"""Password rules: length, character classes, and no guessable core — a common password, a common word or the
product's or office's name with only digits, years or signs added (walk W27: ``Zhangzhou2026`` and ``Xiafang2026!``
passed because only an exact match of the common list was refused).

Written here rather than taken from zxcvbn (on PyPI, offline, but not among this product's dependencies): its
dictionaries know English words, not the names an attacker of this office tries first (xiafang, zhangzhou, jiwei,
the counties), and the rule wanted is simple and explainable in one sentence of the refusal.
"""

from __future__ import annotations

import re
import string
import unicodedata

from planner.errors import InputError

MIN_PASSWORD_CHARS = 10

#: Whole passwords refused as they are (lower case).
COMMON_PASSWORDS = frozenset(
    {
        "password", "password1", "password123", "12345678", "123456789", "1234567890", "qwertyuiop",
        "11111111", "88888888", "abc123456", "a123456789", "admin123", "admin12345", "iloveyou",
        "qwerty123", "1q2w3e4r", "1qaz2wsx", "zhangzhou", "xiafang", "woaini1314", "changeme",
    }
)  # fmt: skip

#: Words a guesser tries first, with digits, years and signs around them: the common passwords' words, keyboard
#: runs, and the product's, the office's and the city's names (pinyin, as people type them in a password).
GUESSABLE_WORDS = frozenset(
    {
        # common passwords' words and keyboard runs
        "password", "passwd", "qwerty", "qwertyuiop", "qwer", "asdf", "asdfgh", "zxcv", "zxcvbn", "qazwsx",
        "iloveyou", "woaini", "admin", "administrator", "welcome", "letmein", "changeme", "monkey", "dragon",
        "sunshine", "princess", "master", "shadow", "superman", "football", "baseball", "hello", "secret",
        "china", "beijing", "abcdef", "abcdefg",
        # the product and the office
        "xiafang", "daixinxiafang", "xinfang", "jiwei", "jijian", "jiancha", "zzjw", "zzxf", "zzjiwei",
        # the city, the province and the counties and districts of Zhangzhou
        "zhangzhou", "fujian", "minnan", "xiangcheng", "longwen", "longhai", "zhangpu", "yunxiao", "zhaoan",
        "dongshan", "pinghe", "nanjing", "huaan", "changtai",
    }
)  # fmt: skip
_LONGEST_WORD = max(map(len, GUESSABLE_WORDS))

# Signs people write for letters (p@ssw0rd); 1 stands for i or l.
_LEET = ({"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t", "1": "i", "!": "i"},
         {"@": "a", "4": "a", "0": "o", "3": "e", "$": "s", "5": "s", "7": "t", "1": "l", "!": "l"})
_FILLER = set(string.digits + string.punctuation + string.whitespace)
_FILLER_CLASS = "[" + re.escape("".join(sorted(_FILLER))) + "]+"
_ENDS = re.compile(f"^{_FILLER_CLASS}|{_FILLER_CLASS}$")


def _made_of_words(letters: str) -> bool:
    """Whether ``letters`` (lower case) is one or more :data:`GUESSABLE_WORDS` one after another."""
    if not letters:
        return False
    reach = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reach[end] = any(reach[start] and letters[start:end] in GUESSABLE_WORDS
                         for start in range(max(0, end - _LONGEST_WORD), end))
    return reach[-1]


def guessable_core(password: str) -> bool:
    """Whether ``password`` is only guessable words with digits, years or signs added: around them
    (``Zhangzhou2026``, ``2026!Xiafang``), between them (``Zhang-zhou-2026``) or standing for letters
    (``P@ssw0rd2026``). A letter of another script (汉字) is no filler: it makes the password no such one."""
    core = _ENDS.sub("", unicodedata.normalize("NFKC", password).casefold())
    variants = {"".join(c for c in core if c not in _FILLER)}
    for leet in _LEET:
        variants.add("".join(c for c in (leet.get(c, c) for c in core) if c not in _FILLER))
    return any(_made_of_words(v) for v in variants)


def check_password_strength(password: str, *, username: str = "") -> None:
    """Refuse weak passwords. The message never echoes the password.

    Rules: at least 10 characters; at least three of lower case, upper case, digits, other characters
    (Chinese characters count as "other"); not a common password, nor common words or the product's or office's
    names with only digits, years or signs added (:func:`guessable_core`); not containing the user name.

    Raises
    ------
    InputError
        Naming the rule that failed.
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_CHARS:
        raise InputError(f"密码至少 {MIN_PASSWORD_CHARS} 个字符")
    if password.strip() != password:
        raise InputError("密码首尾不能有空格")
    classes = sum(
        (
            any(c.islower() and c.isascii() for c in password),
            any(c.isupper() and c.isascii() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.isascii() and c.isalnum()) for c in password),
        )
    )
    if classes < 3:
        raise InputError("密码须包含小写字母、大写字母、数字、其他符号中的至少三类")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 5:
        raise InputError("密码过于常见或重复字符过多")
    if guessable_core(password):
        raise InputError("密码只是常见密码、常见词或本系统、本单位、本地的名称（如 password、xiafang、zhangzhou）"
                         "加上数字、年份或符号，容易被猜中；请改用与本单位无关的几个词或一句话的组合")
    if username and len(username) >= 3 and username.lower() in password.lower():
        raise InputError("密码不能包含用户名")
