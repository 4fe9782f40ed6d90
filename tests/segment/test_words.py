"""WordSegmenter: glossary terms are never cut, and no jieba state is shared."""

from __future__ import annotations

import subprocess
import sys

import jieba
import pytest

from bitext.segment.words import WordSegmenter

# (term, text): terms that jieba's dictionary alone would cut, even with the term added
# at a high frequency (a stronger word straddles the term's edge), next to everyday terms.
NEVER_CUT = [
    ("据出", "数据出境"),
    ("网信", "国家网信办"),
    ("据安", "数据安全法"),
    ("安全大", "网络安全大会"),
    ("网信办", "国家网信办发布通知"),
    ("数据出境", "大数据出境安全评估"),
    ("关键信息基础设施", "关键信息基础设施运营者应当履行义务"),
    ("二十届三中全会", "党的二十届三中全会强调"),
    ("生成式人工智能服务管理暂行办法", "遵守生成式人工智能服务管理暂行办法的规定"),
    ("ISC.AI", "参加ISC.AI 2024大会"),
]


@pytest.fixture(scope="module")
def seg() -> WordSegmenter:
    return WordSegmenter([t for t, _ in NEVER_CUT])


@pytest.mark.parametrize("term, text", NEVER_CUT)
def test_terms_are_never_cut(term: str, text: str) -> None:
    assert term in WordSegmenter([term]).cut(text)


def test_nested_terms_longest_first(seg: WordSegmenter) -> None:
    assert seg.cut("国家网信办") == ["国家", "网信办"]
    assert seg.cut("大数据出境") == ["大", "数据出境"]
    assert seg.cut("网信部门") == ["网信", "部门"]


@pytest.mark.parametrize("term, text", [("网信办", "国家网信办"), ("数据出境", "数据出境")])
def test_plain_jieba_would_cut_these_terms(term: str, text: str) -> None:
    """Without terms the segmenter is plain jieba, which cuts them (so the tests can fail)."""
    assert term not in WordSegmenter().cut(text)


@pytest.mark.parametrize("term, text", [("据出", "数据出境"), ("据安", "数据安全法")])
def test_jieba_user_word_alone_would_cut_these_terms(term: str, text: str) -> None:
    """Even added to jieba's dictionary at a high frequency, a term can lose to a stronger
    word across its edge; that is why terms are cut out before jieba runs."""
    from bitext.segment.words import _new_tokenizer

    tok = _new_tokenizer()
    tok.add_word(term, freq=10_000)
    assert term not in tok.lcut(text)
    assert term in WordSegmenter([term]).cut(text)


def test_one_term_protects_it_alone() -> None:
    s = WordSegmenter(["据出"])
    assert s.cut("数据出境") == ["数", "据出", "境"]


def test_tokenize_covers_the_text_exactly(seg: WordSegmenter) -> None:
    text = "国家网信办  发布《数据出境安全评估办法》，ISC.AI 2024\t大会。"
    toks = seg.tokenize(text)
    assert "".join(w for w, _, _ in toks) == text
    pos = 0
    for w, start, end in toks:
        assert (start, end) == (pos, pos + len(w))
        assert text[start:end] == w
        pos = end


def test_cut_drops_whitespace(seg: WordSegmenter) -> None:
    words = seg.cut("网信办 发布\n通知")
    assert all(w.strip() for w in words)
    assert "".join(words) == "网信办发布通知"


def test_full_width_latin_term_matches_half_width_text() -> None:
    s = WordSegmenter(["ＡＩ治理"])
    assert "AI治理" in s.cut("加强AI治理")
    assert s.terms == ["ＡＩ治理"]


def test_latin_term_only_on_word_boundaries() -> None:
    s = WordSegmenter(["AI"])
    assert "AI" in s.cut("用AI生成")
    assert "AI" not in s.cut("MAIL服务器")


def test_add_terms_after_first_use() -> None:
    s = WordSegmenter()
    assert "据出" not in s.cut("数据出境")
    s.add_terms(["据出", " ", ""])
    assert "据出" in s.cut("数据出境")
    assert s.terms == ["据出"]


def test_empty_text() -> None:
    assert WordSegmenter(["网信办"]).cut("") == []
    assert WordSegmenter(["网信办"]).tokenize("") == []


def test_instances_are_independent_and_global_jieba_is_untouched() -> None:
    a = WordSegmenter(["据出"])
    b = WordSegmenter(["数据出境"])
    text = "数据出境"
    assert a.cut(text) == ["数", "据出", "境"]
    assert b.cut(text) == ["数据出境"]
    # a's term did not leak into b, nor b's into a
    assert "据出" not in b.cut(text)
    assert "数据出境" not in a.cut(text)
    # the global tokenizer never learnt either term
    assert "据出" not in jieba.dt.FREQ
    assert "据出" not in jieba.lcut(text)
    assert jieba.lcut("大数据出境") == jieba.Tokenizer().lcut("大数据出境")


def test_import_does_not_load_jieba() -> None:
    code = (
        "import sys, bitext.segment.words as w; "
        "s = w.WordSegmenter(['网信办']); "
        "print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
