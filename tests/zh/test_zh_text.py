"""bitext.zh: the one numeral parser/renderer and the one fold."""

from __future__ import annotations

import pytest

from bitext.zh.numerals import parse_han, parse_int, render, render_value
from bitext.zh.text import HAN, fold, is_han


@pytest.mark.parametrize(
    "text, value",
    [("三", 3), ("十", 10), ("十二", 12), ("二十一", 21), ("三十五", 35), ("一百零五", 105),
     ("两千", 2000), ("二〇二四", 2024), ("一九八四", 1984), ("三万", 30000), ("五万", 50000),
     ("１２", 12), ("x", None), ("", None)],
)  # fmt: skip
def test_parse_int_reads_digit_strings(text: str, value: int | None) -> None:
    assert parse_int(text) == value


def test_digit_strings_are_vague_unless_asked() -> None:
    assert parse_han("一九八四") is None
    assert parse_han("一九八四", digit_string=True) == 1984


@pytest.mark.parametrize(
    "text, value", [("三点五", 3.5), ("５万", 50_000), ("1,000万", 10_000_000), ("零", 0)]
)
def test_parse_decimals_full_width_and_separators(text: str, value: float) -> None:
    assert parse_han(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, english",
    [("五万元", "50,000 yuan"), ("5.64亿", "564 million"), ("1.2万家", "12,000"),
     ("百分之十五", "15%"), ("二百万元", "2 million yuan"), ("一千万元", "10 million yuan"),
     ("3.5亿", "350 million"), ("1.5万亿", "1.5 trillion"), ("12亿", "1.2 billion"),
     ("0.5万", "5,000"), ("1,234.5万元", "12.345 million yuan"), ("5000多家", "more than 5,000"),
     ("百分之三点五", "3.5%"), ("十万美元", "100,000 US dollars")],
)  # fmt: skip
def test_render(text: str, english: str) -> None:
    assert render(text) == english


@pytest.mark.parametrize("text", ["万", "千万", "三四", "一些", "abc"])
def test_render_refuses_what_is_not_a_quantity(text: str) -> None:
    assert render(text) is None


def test_render_value() -> None:
    assert render_value(50_000) == "50,000"
    assert render_value(3.25) == "3.25"


@pytest.mark.parametrize(
    "text, kwargs, folded",
    [("ＡＢＣ１２３", {}, "abc123"), ("ＡＢＣ", {"case": False}, "ABC"), ("網絡", {}, "网络"),
     ("網絡", {"variants": False}, "網絡"), ("1，000", {"commas": False}, "1，000"),
     ("1，000", {}, "1,000"), ("“好”。\u200b", {"punct": True}, '"好".')],
)  # fmt: skip
def test_fold_strengths(text: str, kwargs: dict[str, bool], folded: str) -> None:
    assert fold(text, **kwargs) == folded


def test_han() -> None:
    assert is_han("中") and not is_han("a") and not is_han("，")
    assert HAN.findall("a中b文") == ["中", "文"]
