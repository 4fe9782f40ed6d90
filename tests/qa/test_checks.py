"""Tests for the QA checks (bitext.qa.checks.check_pair) with tables of correct and planted pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.qa.checks import check_pair
from bitext.readers.tmx import iter_units, pick
from bitext.terms.glossary import Glossary

DATA = Path(__file__).parents[1] / "data" / "qa"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load([DATA / "glossary.tsv"])


CLEAN = [
    ("网信办发布了新规定。", "The CAC issued new rules."),
    ("网信办发布了新规定。", "The CAC's new rules were issued."),
    ("各类大模型都要备案。", "All kinds of large models must be filed."),
    ("人工智能发展迅速。", "ARTIFICIAL INTELLIGENCE is developing fast."),
    ("国家网信办和网信办", "the Cyberspace Administration of China and the CAC"),
    ("2024年7月31日，用户规模达5.64亿。", "On July 31, 2024, users reached 564 million."),
    ("增长百分之十五。", "Up 15 percent."),
    ("180多个国家参加。", "More than 180 countries took part."),
    ("他说：“个人信息必须得到保护。", "He said: “Personal information must be protected."),
    ("保护”。", "protection”."),
    ("（一）总则", "(1) General provisions"),
    ("一、总则", "I. General provisions"),
    ("GB/T 35273-2020", "GB/T 35273-2020"),
    ("5G", "5G"),
    ("《数据安全法》", "the Data Security Law"),
    ("“数据安全法”", '"Data Security Law"'),
    ("三大运营商", "the three major carriers"),
    ("开源大模型", "open-source large models"),
    ("四川省一些企业", "some enterprises in Sichuan Province"),
    ("", ""),
]


@pytest.mark.parametrize("source, target", CLEAN)
def test_clean_pairs(glossary: Glossary, source: str, target: str) -> None:
    assert check_pair("x", source, target, glossary) == []


PLANTED = [
    ("网信办发布了新规定。", "The regulator issued new rules.", ["term"]),
    ("数据安全法和个人信息", "the Data Security Law and private data", ["term"]),
    ("营收5.64亿元。", "Revenue was 5.64 million yuan.", ["number"]),
    ("用户达3万人。", "There are 3,000 users.", ["number"]),
    ("这是监管的重点。", "This is the focus of 监管.", ["untranslated"]),
    ("这是监管的重点。", "这是监管的重点。", ["untranslated", "identical"]),
    # a copied source is one problem, not also a term and a number error
    ("网信办称用户达3万人。", "网信办称用户达3万人。", ["untranslated", "identical"]),
    ("本规定自公布之日起施行。", "   ", ["empty"]),
    ("相关主体（包括平台）应当履行义务。", "Entities (including platforms must comply.", ["brackets"]),
    ("相关主体[包括平台]", "Entities including platforms]", ["brackets"]),
    ("他说：“好。”", 'He said: "Good.', ["quotes"]),
    ("Open source models are welcome.", "Open source models are welcome.", ["identical"]),
    ("网信办：增长百分之十五", "Growth of 50%", ["term", "number"]),
]


@pytest.mark.parametrize("source, target, checks", PLANTED)
def test_planted_pairs(glossary: Glossary, source: str, target: str, checks: list[str]) -> None:
    found = check_pair("p1.s1", source, target, glossary)
    assert [f.check for f in found] == checks
    assert all(f.segment_id == "p1.s1" for f in found)
    for f in found:
        expected = "warning" if f.check in ("identical", "brackets", "quotes") else "error"
        assert f.severity == expected
        assert f.message


def test_term_message_names_term(glossary: Glossary) -> None:
    (f,) = check_pair("a", "数据安全法", "the data law", glossary)
    assert "数据安全法" in f.message and "Data Security Law" in f.message


def test_repeated_term_needs_presence_once(glossary: Glossary) -> None:
    assert check_pair("a", "网信办说，网信办将", "The CAC said it will", glossary) == []
    found = check_pair("a", "网信办说，网信办将", "The regulator said it will", glossary)
    assert [f.check for f in found] == ["term"]


def test_shorter_target_inside_longer_one_does_not_count(tmp_path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n数据\tdata\n数据安全\tdata security\n", encoding="utf-8")
    gl = Glossary.load([g])
    assert check_pair("a", "数据安全和数据", "data security and data", gl) == []
    found = check_pair("a", "数据安全和数据", "data security and information", gl)
    assert [(f.check, "'数据'" in f.message) for f in found] == [("term", True)]


def test_number_message(glossary: Glossary) -> None:
    (f,) = check_pair("a", "营收5.64亿元", "revenue of 5.64 million", glossary)
    assert "5.64亿" in f.message and "564,000,000" in f.message


def test_no_glossary_no_term_check() -> None:
    assert check_pair("a", "网信办", "the regulator") == []


def test_selected_checks(glossary: Glossary) -> None:
    found = check_pair("a", "网信办5.64亿", "regulator 5.64", glossary, checks=["number"])
    assert [f.check for f in found] == ["number"]


def test_planted_tmx_fixture(glossary: Glossary) -> None:
    got = set()
    for u in iter_units(DATA / "planted.tmx"):
        for f in check_pair(u.tuid or "", pick(u, "zh") or "", pick(u, "en") or "", glossary):
            got.add((f.segment_id, f.check))
    assert got == {
        ("bad-term", "term"),
        ("bad-number", "number"),
        ("bad-untranslated", "untranslated"),
        ("bad-empty", "empty"),
        ("warn-brackets", "brackets"),
        ("warn-identical", "identical"),
    }
