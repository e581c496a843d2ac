"""Chinese personal names: the surname and given-name pools, names many people share, minority and
rare-character names, and the traditional and same-pinyin spellings a name can arrive in.
"""

from __future__ import annotations

import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
SURNAME_WEIGHTS = (72, 71, 68, 54, 45, 31, 22, 21, 20, 19, 17, 15, 15, 13, 13, 12, 12, 12, 11, 9)
MALE_CHARS = (
    "伟强军磊勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志文海东成德福贵生祥荣山春"
    "金玉宏振永庆兵松清云民江忠全红光才根喜学家亮新立安正昌盛坤洪锋彬泽阳瑞毅诚伦胜保友义"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英玲桂兰梅萍红琴云莲凤珍芬燕翠雪慧婷玉洁琳晶倩颖佳月华莉荣素淑美香菊巧"
    "银彩秋冬春琼娥爱微丹婉欣悦蓉雯岚蕾薇"
)
# (name, male): names shared by many people, which must never be matched on name alone.
COMMON_NAMES = (
    ("王伟", True),
    ("李娜", False),
    ("张伟", True),
    ("王芳", False),
    ("李伟", True),
    ("张敏", False),
    ("王静", False),
    ("刘伟", True),
    ("张丽", False),
    ("李强", True),
)
MINORITY_NAMES = (
    ("买买提·艾力", True),
    ("艾尔肯·吾斯曼", True),
    ("阿不都·热合曼", True),
    ("阿依古丽·买买提", False),
    ("古丽娜尔·吐尔逊", False),
    ("热依拉·阿不都", False),
)
# Characters outside GBK (CJK extension A and B): they break naive encoders and fonts.
RARE_CHARS = ("䶮", "𠮷")
ODD_DOTS = ("•", "・", "‧")

# Simplified → traditional for characters of the name lists (opencc t2s maps each one back).
TRADITIONAL = {
    "张": "張", "刘": "劉", "陈": "陳", "杨": "楊", "黄": "黃", "赵": "趙", "吴": "吳", "孙": "孫",
    "马": "馬", "罗": "羅", "伟": "偉", "强": "強", "军": "軍", "涛": "濤", "刚": "剛", "辉": "輝",
    "鹏": "鵬", "华": "華", "飞": "飛", "凯": "凱", "帅": "帥", "龙": "龍", "国": "國", "东": "東",
    "贵": "貴", "荣": "榮", "庆": "慶", "红": "紅", "学": "學", "丽": "麗", "兰": "蘭", "凤": "鳳",
    "洁": "潔", "颖": "穎", "银": "銀", "静": "靜", "宁": "寧", "锋": "鋒", "莲": "蓮", "琼": "瓊",
    "爱": "愛", "阳": "陽", "泽": "澤", "义": "義", "胜": "勝", "伦": "倫", "诚": "誠",
}  # fmt: skip
# Same pinyin and tone, different character (王志刚 → 王志钢): a clerk typing by ear.
HOMOPHONES = {
    "刚": "钢", "伟": "玮", "军": "君", "明": "铭", "芳": "方", "英": "瑛", "林": "琳", "杰": "洁",
    "涛": "滔", "静": "婧", "艳": "燕", "敏": "闵", "斌": "彬", "辉": "晖", "玲": "铃", "兰": "岚",
    "秀": "绣", "峰": "锋", "梅": "玫", "云": "芸", "志": "智", "建": "健", "文": "雯", "荣": "蓉",
    "珍": "真", "娟": "鹃", "玉": "钰", "俊": "骏", "红": "宏", "东": "冬", "宇": "雨", "浩": "昊",
    "飞": "菲", "龙": "隆", "婷": "亭", "琴": "勤", "成": "诚", "祥": "翔", "清": "青", "全": "泉",
    "坤": "昆", "洪": "鸿", "瑞": "锐", "桂": "贵", "颖": "影", "晶": "京", "月": "悦", "新": "欣",
}  # fmt: skip


def given_name(rng: random.Random, male: bool) -> str:
    chars = MALE_CHARS if male else FEMALE_CHARS
    if rng.random() < 0.3:
        return rng.choice(chars)
    return rng.choice(chars) + rng.choice(chars)


def random_surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]


def random_name(rng: random.Random, male: bool, avoid: set[str] | None = None) -> str:
    while True:
        name = random_surname(rng) + given_name(rng, male)
        if avoid is None or name not in avoid:
            return name


def traditional(name: str) -> str:
    return "".join(TRADITIONAL.get(c, c) for c in name)


def name_variant(roll: float, name: str, traditional_below: float, spaced_below: float) -> str:
    """A name as a clerk may type it, by a roll in [0, 1): in traditional characters below the first
    threshold (where that changes it), else with a space after the surname below the second."""
    if roll < traditional_below and traditional(name) != name:
        return traditional(name)
    if roll < spaced_below and "·" not in name and len(name) > 1:
        return name[0] + " " + name[1:]
    return name


def homophone(rng: random.Random, name: str) -> str:
    positions = [i for i, c in enumerate(name) if i > 0 and c in HOMOPHONES]
    i = rng.choice(positions)
    return name[:i] + HOMOPHONES[name[i]] + name[i + 1 :]
