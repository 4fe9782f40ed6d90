"""Tests for Chinese/English number understanding (bitext.qa.numbers)."""

from __future__ import annotations

import pytest

from bitext.qa.numbers import missing_numbers, parse_han, source_numbers, target_numbers


@pytest.mark.parametrize(
    "han, value",
    [
        ("十", 10), ("十五", 15), ("二十", 20), ("二十三", 23), ("一百零五", 105),
        ("一千二百三十四", 1234), ("两千", 2000), ("三千五", 3500), ("三千五百万", 35_000_000),
        ("两亿三千万", 230_000_000), ("一万", 10_000), ("5.64亿", 564_000_000),
        ("1.2万亿", 1.2e12), ("一百一十", 110), ("十万", 100_000),
    ],
)  # fmt: skip
def test_parse_han(han: str, value: float) -> None:
    assert parse_han(han) == pytest.approx(value)


@pytest.mark.parametrize("han", ["三四", "十四五", "百", "万", "九一八", "几十"])
def test_parse_han_vague_or_malformed(han: str) -> None:
    assert parse_han(han) is None


@pytest.mark.parametrize(
    "zh, values",
    [
        ("收入5.64亿元", [564e6]),
        ("约3万人", [30_000]),
        ("增长百分之十五", [15]),
        ("增长15％", [15]),
        ("增长15%", [15]),
        ("180多个国家", [180]),
        ("１２３项", [123]),
        ("2024年7月31日", [2024, 7, 31]),
        ("二〇二四年", [2024]),
        ("2.5万亿元", [2.5e12]),
        ("第十四届全国人大", [14]),
        ("“十四五”规划", [14]),
        ("三个方面", [3]),
        ("1000多万用户", [1e7]),
        ("5千克", [5]),
        ("下午3:30", [3, 30]),
        ("ISO/IEC 27001:2022", [27001, 2022]),
        ("百分之三点五", [3.5]),
        ("二十国集团", [20]),
        ("第二次会议", [2]),
        ("千分之五", [0.5]),
    ],
)
def test_source_numbers(zh: str, values: list[float]) -> None:
    got = [q.values[0] for q in source_numbers(zh)]
    assert got == pytest.approx(values)


@pytest.mark.parametrize(
    "zh",
    ["四川省", "一些企业", "三星公司", "统一大市场", "千万不要", "第一次", "数万人", "十几个",
     "两三个", "五花八门", "一带一路", "星期三", "两岸关系", "十分重要", "上千家"],
)  # fmt: skip
def test_no_expectation(zh: str) -> None:
    assert source_numbers(zh) == []


@pytest.mark.parametrize(
    "zh, en, ok",
    [
        ("经三分之二以上委员同意", "with the consent of two-thirds or more of the members", True),
        ("经三分之二以上委员同意", "with the consent of 2/3 of the members", True),
        ("经三分之二以上委员同意", "with the consent of 66.7% of the members", True),
        ("经三分之二以上委员同意", "with the consent of one third of the members", False),
        ("三分之一的董事", "a third of the directors", True),
        ("二分之一以上", "more than half", True),
        ("二分之一以上", "more than a third", False),
        ("十二分之五的份额", "a share of 5/12", True),
        ("十二分之五的份额", "a share of five twelfths", True),
        ("十二分之五的份额", "a share of 5/11", False),
        # 以上 is no vague 上: the second amount of a range is checked
        ("处五万元以上五十万元以下罚款", "a fine of 50,000 to 500,000 yuan", True),
        ("处五万元以上五十万元以下罚款", "a fine of 50 thousand to 5 million yuan", False),
        # the "million" of "10 million" is no "1 million"
        ("处一百万元以下罚款", "a fine of up to RMB 10 million", False),
        ("处一百万元以下罚款", "a fine of up to RMB 1 million", True),
        ("近三年", "in the past three years", True),
        ("近三年", "in the past two years", False),
        ("上世纪九十年代", "in the 1990s", True),
        ("上世纪九十年代", "in the nineties", True),
        ("上世纪九十年代", "in the 1980s", False),
        ("80年代的电脑", "computers of the 80s", True),
        ("双十一期间", "during Singles Day", True),
    ],
)
def test_fractions_ranges_and_scales(zh: str, en: str, ok: bool) -> None:
    assert (missing_numbers(zh, en) == []) is ok, missing_numbers(zh, en)


@pytest.mark.parametrize(
    "en, value",
    [
        ("564 million", 564e6), ("564,000,000", 564e6), ("0.564 billion", 564e6),
        ("30,000", 30_000), ("30k", 30_000), ("15%", 15), ("15 percent", 15),
        ("more than 180", 180), ("July 31, 2024", 7), ("July 31, 2024", 31),
        ("twenty-five", 25), ("a hundred", 100), ("one hundred and five", 105),
        ("14th Five-Year Plan", 14), ("fourteenth", 14), ("2.5 trillion yuan", 2.5e12),
        ("$5.64bn", 5.64e9), ("three", 3), ("the second meeting", 2), ("3.5", 3.5),
        ("２０２４", 2024), ("2024-07-31", 7), ("July 31 2024", 31), ("July 31 2024", 2024),
        ("564\u00a0000", 564_000), ("1,000,000", 1e6),
    ],
)  # fmt: skip
def test_target_numbers(en: str, value: float) -> None:
    assert any(v == pytest.approx(value) for v in target_numbers(en))


@pytest.mark.parametrize(
    "zh, en",
    [
        ("营收5.64亿元。", "Revenue was 564 million yuan."),
        ("营收5.64亿元。", "Revenue was 564,000,000 yuan."),
        ("营收5.64亿元。", "Revenue was 0.564 billion yuan."),
        ("用户达3万人。", "There are 30,000 users."),
        ("用户达3万人。", "There are 30 thousand users."),
        ("增长百分之十五。", "It grew by 15%."),
        ("增长百分之十五。", "It grew by 15 percent."),
        ("增长百分之十五。", "It grew by fifteen per cent."),
        ("180多个国家参加。", "More than 180 countries took part."),
        ("会议于2024年7月31日举行。", "The meeting was held on July 31, 2024."),
        ("会议于2024年7月31日举行。", "The meeting was held on 31 July 2024."),
        ("总额2.5万亿元。", "The total is 2.5 trillion yuan."),
        ("第十四届全国人大", "The 14th National People's Congress"),
        ("“十四五”规划", "the 14th Five-Year Plan"),
        ("三个方面", "three aspects"),
        ("下午3:30开始", "It starts at 3:30 p.m."),
        ("下午15:30开始", "It starts at 3:30 p.m."),
        ("一些企业在四川", "Some companies are in Sichuan"),
        ("二〇二四年", "in 2024"),
        ("增长１５％", "up 15%"),
        ("两千家企业", "two thousand companies"),
        ("第二章 总则", "Chapter II General Provisions"),
        ("（二）依法处理", "(ii) handle in accordance with law"),
        ("超过1/3的企业", "more than one-third of enterprises"),
        ("2024-08-01 11:27:36", "2024-08-01 11:27:36"),
        ("分别为100，200和300", "100, 200 and 300 respectively"),
        ("1万余人", "more than 10,000 people"),
        ("八成企业", "80% of enterprises"),
        ("零信任架构", "zero-trust architecture"),
        ("十九届四中全会", "the Fourth Plenary Session of the 19th Central Committee"),
        ("增长百分之五十", "grew by half"),
        ("十年来增长了三倍", "tripled over the past decade"),
        ("7×24小时", "24/7"),
        ("第十四个五年规划", "the 14th Five-Year Plan"),
        ("5G基站360万个", "3.6 million 5G base stations"),
        ("罚款5000万元", "a fine of 50 million yuan"),
        ("2023年数字经济规模达到53.9万亿元", "the digital economy reached 53.9 trillion yuan in 2023"),
        ("罚款五十万元", "a fine of half a million yuan"),
        ("20世纪90年代", "the 1990s"),
        ("20世纪90年代", "the 90s of the 20th century"),
        ("二十世纪九十年代", "the 1990s"),
        ("21世纪", "the twenty-first century"),
        ("本文数据统计截至2024.7.31，仅供参考。", "Data as of 2024.7.31, for reference only."),
        ("截至2024.7.31。", "As of July 31, 2024."),
        ("截至2024.7.31。", "As of 2024-07-31."),
        ("版本1.2.3发布", "Version 1.2.3 released"),
    ],
)
def test_correct_pairs_have_no_missing_numbers(zh: str, en: str) -> None:
    assert missing_numbers(zh, en) == []


@pytest.mark.parametrize(
    "zh, en, missing",
    [
        ("营收5.64亿元。", "Revenue was 5.64 million yuan.", "5.64亿"),
        ("营收5.64亿元。", "Revenue was 564 yuan.", "5.64亿"),
        ("用户达3万人。", "There are 3,000 users.", "3万"),
        ("增长百分之十五。", "It grew by 50%.", "百分之十五"),
        ("180多个国家参加。", "More than 100 countries took part.", "180多"),
        ("会议于2024年7月31日举行。", "The meeting was held on July 30, 2024.", "31"),
        ("总额2.5万亿元。", "The total is 2.5 billion yuan.", "2.5万亿"),
        ("第十四届全国人大", "The 13th National People's Congress", "第十四"),
        ("三个方面", "four aspects", "三"),
        ("罚款五十万元", "a fine of half a billion yuan", "五十万"),
        ("20世纪90年代", "the 1980s", "20世纪90年代"),
    ],
)
def test_planted_errors(zh: str, en: str, missing: str) -> None:
    assert [q.text for q in missing_numbers(zh, en)] == [missing]


def test_digits_inside_addresses_are_no_quantities() -> None:
    """A saved page's related-article link ``…短板](https://www.4hou.com/posts/l03l)`` came
    out of ``bitext check`` as 'number 4 missing' (the 4 of www.4hou.com): digits inside an
    address, a path or a kept span are not compared; real quantities still are."""
    from bitext.qa.checks import check_pair

    src = "CACTER三步补齐原生防护短板](https://www.4hou.com/posts/l03l)"
    assert check_pair("x", src, "CACTER three steps ](https://www.4hou.com/posts/l03l)", checks=["number"]) == []
    found = check_pair("x", "见https://www.4hou.com/a共3个", "See https://www.4hou.com/a, 4 items", checks=["number"])
    assert [f.message for f in found] == ["number 3 from the source is missing in the target"]
