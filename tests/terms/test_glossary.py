"""Glossary loading, validation and leftmost-longest matching; lint of the shipped glossary."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import regex

from bitext.errors import FormatError, GlossaryError
from bitext.terms.glossary import (
    DEFAULT_GLOSSARY,
    Glossary,
    GlossaryEntry,
    TermHit,
    fold,
    load_entries,
    read_tsv,
)

DATA = Path(__file__).parents[1] / "data" / "glossary"
REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "glossaries" / "zh-en-cyberpolicy.tsv"
HAN = regex.compile(r"\p{Han}")


def fx(name: str) -> Path:
    return DATA / name


# -- loading -----------------------------------------------------------------------------


def test_load_basic_entries_in_file_order() -> None:
    entries = load_entries(fx("basic.tsv"))
    assert [(e.source, e.target, e.note) for e in entries] == [
        ("网信办", "CAC", "short form"),
        ("国家网信办", "Cyberspace Administration of China", ""),
    ]
    assert [e.line for e in entries] == [2, 3]
    assert all(e.file == str(fx("basic.tsv")) for e in entries)


def test_comments_blank_lines_and_bom_are_skipped() -> None:
    entries = load_entries(fx("comments_bom.tsv"))
    assert [(e.source, e.target, e.line) for e in entries] == [
        ("网信办", "CAC", 6),
        ("个人信息", "personal information", 8),
    ]


def test_extra_columns_are_kept_in_file_order() -> None:
    a, b = load_entries(fx("extra_columns.tsv"))
    assert (a.source, a.target, a.note) == ("网信办", "CAC", "short form")
    assert a.extra == (("domain", "org"), ("status", "approved"))
    assert b.extra == (("domain", "ai"), ("status", "draft"))
    assert b.note == ""


def test_columns_in_any_order_and_note_optional() -> None:
    (e,) = load_entries(fx("no_note.tsv"))
    assert (e.source, e.target, e.note, e.extra) == ("网信办", "CAC", "", ())


def test_same_source_same_target_twice_is_one_entry() -> None:
    entries = load_entries(fx("same_target_twice.tsv"))
    assert len(entries) == 1 and entries[0].line == 2


def test_trailing_empty_cells_are_not_extra_columns(tmp_path: Path) -> None:
    """Spreadsheet exports end rows with tabs; only a non-empty stray cell is an error."""
    p = tmp_path / "trailing.tsv"
    p.write_text("source\ttarget\n网信办\tCAC\t\t\n个人信息\tpersonal information\n", encoding="utf-8")
    assert [(e.source, e.target) for e in load_entries(p)] == [
        ("网信办", "CAC"), ("个人信息", "personal information"),
    ]


def test_entries_are_frozen() -> None:
    e = GlossaryEntry("网信办", "CAC")
    with pytest.raises(AttributeError):
        e.target = "x"  # type: ignore[misc]


# -- validation errors name file and line ------------------------------------------------

ERROR_CASES = [
    # file, line, words the message must contain
    ("missing_target_column.tsv", 2, "target"),
    ("no_header.tsv", 1, "source"),
    ("empty_target.tsv", 3, "empty 'target'"),
    ("empty_source.tsv", 3, "empty 'source'"),
    ("missing_cell.tsv", 4, "missing 'target' cell"),
    ("extra_cells.tsv", 3, "4 cells"),
    ("two_targets.tsv", 4, "two different targets"),
    ("two_targets_folded.tsv", 3, "two different targets"),
    ("gbk.tsv", 2, "UTF-8"),
    ("utf16.tsv", 1, "UTF-8"),
]


@pytest.mark.parametrize("name, line, words", ERROR_CASES)
def test_validation_errors_name_file_and_line(name: str, line: int, words: str) -> None:
    path = fx(name)
    with pytest.raises(GlossaryError) as info:
        Glossary.load([path])
    err = info.value
    assert err.file == str(path)
    assert err.line == line
    assert str(err).startswith(f"{path}:{line}: ")
    assert words in str(err)
    assert isinstance(err, FormatError)


def test_two_targets_message_names_both_targets_and_first_line() -> None:
    with pytest.raises(GlossaryError, match=r"'CAC' \(line 2\).*Cyberspace Administration"):
        load_entries(fx("two_targets.tsv"))


@pytest.mark.parametrize("name", ["only_comments.tsv", "does-not-exist.tsv"])
def test_empty_or_missing_file_names_the_file(name: str) -> None:
    with pytest.raises(GlossaryError) as info:
        load_entries(fx(name))
    assert info.value.file == str(fx(name))


def test_read_tsv_returns_header_and_numbered_rows() -> None:
    header, rows = read_tsv(fx("comments_bom.tsv"))
    assert header == ["source", "target"]
    assert rows == [(6, ["网信办", "CAC"]), (8, ["个人信息", "personal information"])]


# -- several files -----------------------------------------------------------------------


def test_later_files_win() -> None:
    g = Glossary.load([fx("earlier.tsv"), fx("later.tsv")])
    assert len(g) == 3
    assert g.get("算法备案").target == "algorithm filing"  # type: ignore[union-attr]
    assert g.get("算法备案").note == "later"  # type: ignore[union-attr]
    assert g.get("网信办").target == "CAC"  # type: ignore[union-attr]
    [hit] = g.match("算法备案")
    assert hit.entry.file == str(fx("later.tsv"))


def test_order_of_files_matters() -> None:
    g = Glossary.load([fx("later.tsv"), fx("earlier.tsv")])
    assert g.get("算法备案").target == "algorithm registration"  # type: ignore[union-attr]


def test_files_are_recorded_with_their_hash() -> None:
    g = Glossary.load([fx("earlier.tsv"), fx("later.tsv")])
    assert [p for p, _ in g.files] == [str(fx("earlier.tsv")), str(fx("later.tsv"))]
    assert all(len(h) == 64 and int(h, 16) >= 0 for _, h in g.files)
    assert g.files[0][1] != g.files[1][1]


def test_empty_glossary_matches_nothing() -> None:
    g = Glossary()
    assert not g and len(g) == 0 and g.match("网信办") == [] and g.get("网信办") is None


# -- matching ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nested() -> Glossary:
    return Glossary.load([fx("nested.tsv")])


def spans(g: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[h.start : h.end], h.entry.target) for h in g.match(text)]


MATCH_CASES = [
    ("网信办发布通知", [("网信办", "CAC")]),
    ("国家网信办发布通知", [("国家网信办", "Cyberspace Administration of China")]),
    ("中央网信办", [("中央网信办", "Office of the Central Cyberspace Affairs Commission")]),
    (
        "国家互联网信息办公室",
        [("国家互联网信息办公室", "Cyberspace Administration of China")],
    ),
    ("网信部门", [("网信部门", "cybersecurity and informatization department")]),
    (
        "国家网信部门和网信办",
        [
            ("国家网信部门", "State cybersecurity and informatization department"),
            ("网信办", "CAC"),
        ],
    ),
    ("互联网信息", [("互联网", "internet"), ("信息", "information")]),
    ("敏感个人信息", [("敏感个人信息", "sensitive personal information")]),
    ("个人信息保护法", [("个人信息保护法", "Personal Information Protection Law")]),
    ("个人信息保护", [("个人信息", "personal information"), ("保护", "protection")]),
    # overlapping: 数据出境 | 出境安全评估 — the leftmost term wins, then matching goes on
    ("数据出境安全评估", [("数据出境", "data export"), ("安全评估", "security assessment")]),
    ("出境安全评估", [("出境安全评估", "exit security assessment")]),
    ("网信", []),
    ("", []),
]


@pytest.mark.parametrize("text, expected", MATCH_CASES)
def test_leftmost_longest(nested: Glossary, text: str, expected: list) -> None:
    assert spans(nested, text) == expected


def test_hits_are_ordered_non_overlapping_and_point_into_the_text(nested: Glossary) -> None:
    text = "国家网信办、中央网信办、网信办和网信部门依法保护敏感个人信息。"
    hits = nested.match(text)
    assert [h.entry.source for h in hits] == [
        "国家网信办",
        "中央网信办",
        "网信办",
        "网信部门",
        "保护",
        "敏感个人信息",
    ]
    for a, b in itertools.pairwise(hits):
        assert a.end <= b.start
    for h in hits:
        assert isinstance(h, TermHit)
        assert text[h.start : h.end] == h.entry.source


LATIN_CASES = [
    ("AI治理", ["AI"]),
    ("用AI生成", ["AI"]),
    ("ISC.AI 2024", ["AI"]),
    ("MAIL服务器", []),
    ("AIGC", []),
    ("AI2", []),
    ("OpenAI", []),
    ("ai治理", ["ai"]),
    ("ＡＩ治理", ["ＡＩ"]),
    ("Ａｉ", ["Ａｉ"]),
    ("建设5G网络", ["5G网络"]),
    ("15G网络", []),
    ("ＧＤＰＲ合规", ["ＧＤＰＲ合规"]),
]


@pytest.mark.parametrize("text, found", LATIN_CASES)
def test_latin_terms_on_word_boundaries_and_full_width_folding(
    nested: Glossary, text: str, found: list[str]
) -> None:
    assert [text[h.start : h.end] for h in nested.match(text)] == found


@pytest.mark.parametrize(
    "text, folded",
    [("ＡＢＣ１２３", "abc123"), ("AI　治理", "ai 治理"), ("网信办", "网信办"), ("İ", "İ")],
)
def test_fold_keeps_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_get_folds_its_argument(nested: Glossary) -> None:
    assert nested.get("ＡＩ").target == "artificial intelligence"  # type: ignore[union-attr]
    assert nested.get("不存在") is None


# -- the shipped glossary ----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.load([DEFAULT_GLOSSARY])


def test_default_glossary_is_the_shipped_file() -> None:
    assert DEFAULT_GLOSSARY.exists()
    assert DEFAULT_GLOSSARY.read_bytes() == SHIPPED.read_bytes()


def test_shipped_glossary_lint(shipped: Glossary) -> None:
    header, rows = read_tsv(SHIPPED)
    assert header[:2] == ["source", "target"] and "note" in header and "domain" in header
    assert len(shipped) >= 150
    sources = [cells[0] for _, cells in rows]
    assert len(sources) == len(set(sources)), "duplicate sources"
    assert len({fold(s) for s in sources}) == len(sources), "sources that fold together"
    for n, cells in rows:
        assert len(cells) == len(header), f"line {n}: {cells}"
        for cell in cells:
            assert cell == cell.strip() and "  " not in cell, f"line {n}: stray space {cell!r}"
        source, target = cells[0], cells[1]
        assert source and target, f"line {n}"
        assert HAN.search(source), f"line {n}: source without Chinese: {source}"
        assert not HAN.search(target), f"line {n}: Chinese in target: {target}"


def test_every_shipped_term_matches_itself_whole(shipped: Glossary) -> None:
    for e in shipped:
        hits = shipped.match(e.source)
        assert [(h.start, h.end, h.entry) for h in hits] == [(0, len(e.source), e)]


REQUIRED = [
    ("网信办", "CAC"),
    ("国家网信办", "Cyberspace Administration of China"),
    ("国家互联网信息办公室", "Cyberspace Administration of China"),
    ("中央网络安全和信息化委员会办公室", "Office of the Central Cyberspace Affairs Commission"),
    ("中央网信办", "Office of the Central Cyberspace Affairs Commission"),
    ("网信部门", "cybersecurity and informatization department"),
    ("关键信息基础设施", "critical information infrastructure"),
    ("网络安全等级保护制度", "Multi-Level Protection Scheme"),
    ("网络安全法", "Cybersecurity Law"),
    ("数据安全法", "Data Security Law"),
    ("个人信息保护法", "Personal Information Protection Law"),
    ("中华人民共和国网络安全法", "Cybersecurity Law of the People's Republic of China"),
    ("中华人民共和国数据安全法", "Data Security Law of the People's Republic of China"),
    (
        "中华人民共和国个人信息保护法",
        "Personal Information Protection Law of the People's Republic of China",
    ),
    ("数据出境安全评估", "data export security assessment"),
    ("重要数据", "important data"),
    ("算法备案", "algorithm filing"),
    ("深度合成", "deep synthesis"),
    (
        "生成式人工智能服务管理暂行办法",
        "Interim Measures for the Management of Generative Artificial Intelligence Services",
    ),
    ("二十届三中全会", "Third Plenary Session of the 20th CPC Central Committee"),
    ("工业和信息化部", "Ministry of Industry and Information Technology"),
    ("工信部", "MIIT"),
    ("公安部", "Ministry of Public Security"),
    ("国家安全", "national security"),
    ("个人信息", "personal information"),
    ("敏感个人信息", "sensitive personal information"),
    ("大模型", "large model"),
    ("人工智能", "artificial intelligence"),
]


@pytest.mark.parametrize("source, target", REQUIRED)
def test_shipped_required_renderings(shipped: Glossary, source: str, target: str) -> None:
    entry = shipped.get(source)
    assert entry is not None and entry.target == target


@pytest.mark.parametrize(
    "source",
    [
        "数据分类分级", "网络数据安全管理条例", "数据跨境流动", "标准合同", "个人信息保护认证",
        "网络产品安全漏洞管理规定", "网络安全审查办法", "等级保护2.0", "数字中国", "网络强国",
        "总体国家安全观", "数据要素", "公共数据", "勒索软件", "漏洞", "供应链安全",
        "中央网络安全和信息化委员会", "中华人民共和国国家安全法",
    ],
)  # fmt: skip
def test_shipped_required_sources(shipped: Glossary, source: str) -> None:
    assert shipped.get(source) is not None


def test_shipped_nested_terms_resolve(shipped: Glossary) -> None:
    text = (
        "中央网络安全和信息化委员会办公室、国家互联网信息办公室、国家网信办、中央网信办和"
        "网信办会同公安部门、公安部、网信部门，依据《中华人民共和国个人信息保护法》保护敏感个人信息。"
    )
    got = [text[h.start : h.end] for h in shipped.match(text)]
    assert got == [
        "中央网络安全和信息化委员会办公室",
        "国家互联网信息办公室",
        "国家网信办",
        "中央网信办",
        "网信办",
        "公安部门",
        "公安部",
        "网信部门",
        "中华人民共和国个人信息保护法",
        "敏感个人信息",
    ]


@pytest.mark.parametrize("text", ["平等保护", "其中共有三项", "相关基础设施", "通信创新"])
def test_shipped_short_abbreviations_do_not_fire_inside_words(shipped: Glossary, text: str) -> None:
    assert shipped.match(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("國家網信辦負責關鍵信息基礎設施安全保護工作。", ["国家网信办", "关键信息基础设施"]),
        ("國家网信辦", ["国家网信办"]),  # mixed scripts
        ("个人信息保护法", ["个人信息保护法"]),  # simplified text unchanged
    ],
)
def test_terms_match_traditional_characters(text, expected):
    """Big5 documents are written in traditional characters; the glossary in simplified."""
    from bitext.terms.glossary import DEFAULT_GLOSSARY, Glossary

    g = Glossary.load([DEFAULT_GLOSSARY])
    hits = g.match(text)
    assert [h.entry.source for h in hits] == expected
    assert all(h.end - h.start == len(h.entry.source) for h in hits)
