"""Tests for term suggestions (bitext.terms.suggest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bitext.terms.suggest import STOP_WORDS, suggest

TEXT = (
    "# 数据跨境流动\n\n"
    "数据跨境流动需要安全评估。我们认为，数据跨境流动规则正在完善。"
    "网信办发布了数据跨境流动新规。个人信息保护认证也是重要机制，"
    "个人信息保护认证由专业机构开展。区块链溯源平台已经上线，区块链溯源平台服务企业。\n"
)


@pytest.fixture(scope="module")
def cands(tmp_path_factory: pytest.TempPathFactory) -> list:
    d = tmp_path_factory.mktemp("s")
    doc = d / "doc.md"
    doc.write_text(TEXT, encoding="utf-8")
    return suggest([doc], ["网信办", "个人信息"], top=10)


def test_existing_entries_excluded(cands: list) -> None:
    terms = [c.term for c in cands]
    assert "网信办" not in terms and "个人信息" not in terms


def test_collocations_found(cands: list) -> None:
    terms = {c.term: c for c in cands}
    assert "区块链溯源平台" in terms or "溯源平台" in terms
    colls = [c for c in cands if c.kind == "collocation"]
    assert colls and all(len(c.parts) >= 2 and "".join(c.parts) == c.term for c in colls)


def test_stop_words_and_limits(cands: list) -> None:
    assert len(cands) <= 10
    assert not any(c.term in STOP_WORDS for c in cands)
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)


def test_hints_and_contexts(cands: list) -> None:
    for c in cands:
        assert c.term in c.context
        d = c.to_dict()
        assert set(d) >= {"term", "count", "score", "kind", "hint", "context"}
    assert any(c.hint for c in cands)


def test_plain_text_document(tmp_path: Path) -> None:
    doc = tmp_path / "x.text"
    doc.write_text("量子通信网络建设加快。量子通信网络覆盖城市。", encoding="utf-8")
    got = suggest([doc], top=3)
    assert got and "量子" in got[0].term



@pytest.mark.parametrize("word, first_sense", [("标识", "sign"), ("资源", "natural resource")])
def test_hint_follows_variants_and_prefers_common_words(word: str, first_sense: str) -> None:
    """标识 is "variant of 標誌|标志" (its senses are 标志's); 资源 the resource before the county."""
    from bitext.terms.suggest import _hint

    assert _hint(word, (word,)).split("; ")[0].startswith(first_sense)
