"""Tests for glossary import/export formats (bitext.terms.formats)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from bitext.errors import FormatError
from bitext.terms.formats import TBX_NS, TermTable, read_terms, render, write_terms
from bitext.terms.glossary import GlossaryEntry


def E(row: dict[str, str]) -> GlossaryEntry:
    """A glossary row from column → value."""
    return GlossaryEntry.from_cells(list(row), list(row.values()))

DATA = Path(__file__).parents[1] / "data" / "qa"


def test_tbx_v2_martif() -> None:
    t = read_terms(DATA / "v2.tbx")
    assert [(r.source, r.target) for r in t.rows] == [
        ("网信办", "CAC"),  # the preferred term wins over the deprecated one
        ("数据出境", "cross-border data transfer"),  # ntig/termGrp
    ]
    assert t.skipped == 1  # French-only entry
    assert t.rows[0].cell("note") == "regulator"
    assert t.rows[0].cell("subjectField") == "cybersecurity"
    assert t.columns[:3] == ["source", "target", "note"]


@pytest.mark.parametrize("ns", ["urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0", None])
def test_tbx_v3_namespaces(tmp_path: Path, ns: str | None) -> None:
    text = (DATA / "v3-ed30.tbx").read_text(encoding="utf-8")
    if ns is None:
        text = text.replace(' xmlns="urn:iso:std:iso:30042:ed:3.0"', "")
    else:
        text = text.replace("urn:iso:std:iso:30042:ed:3.0", ns)
    p = tmp_path / "t.tbx"
    p.write_text(text, encoding="utf-8")
    t = read_terms(p)
    assert [(r.source, r.target) for r in t.rows] == [
        ("数据安全法", "Data Security Law"), ("个人信息", "personal information")]
    assert t.rows[0].cell("definition") == "Law on data handling."
    assert t.rows[1].cell("definition") == ""


def test_tbx_written_is_v3_basic(tmp_path: Path) -> None:
    t = TermTable(columns=["source", "target", "note", "domain"],
                  rows=[E({"source": "网信办", "target": "CAC & co <x>", "note": "n", "domain": "org"})])
    p = tmp_path / "o.tbx"
    write_terms(p, t)
    root = etree.parse(str(p)).getroot()
    assert root.tag == f"{{{TBX_NS}}}tbx" and root.get("type") == "TBX-Basic"
    ns = {"t": TBX_NS}
    ce = root.find(".//t:conceptEntry", ns)
    langs = [ls.get("{http://www.w3.org/XML/1998/namespace}lang") for ls in ce.findall("t:langSec", ns)]
    assert langs == ["zh", "en"]
    assert ce.findall("t:langSec/t:termSec/t:term", ns)[1].text == "CAC & co <x>"
    assert ce.find("t:descrip", ns).get("type") == "subjectField"  # the standard category
    back = read_terms(p)
    assert back.rows == t.rows and back.columns == t.columns


def test_tbx_entities_refused(tmp_path: Path) -> None:
    p = tmp_path / "e.tbx"
    p.write_text('<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x "y">]><martif><text><body/>'
                 "</text></martif>", encoding="utf-8")
    with pytest.raises(FormatError, match="entities"):
        read_terms(p)


@pytest.mark.parametrize("content", ["<tmx/>", "<martif><text>", ""])
def test_tbx_bad(tmp_path: Path, content: str) -> None:
    p = tmp_path / "b.tbx"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError):
        read_terms(p)


@pytest.mark.parametrize(
    "name, content, rows",
    [
        ("a.tsv", "网信办\tCAC\n数据\tdata\n", [("网信办", "CAC"), ("数据", "data")]),
        ("b.tsv", "source\ttarget\tnote\n网信办\tCAC\tx\n", [("网信办", "CAC")]),
        ("c.csv", "zh-CN,en-US\n网信办,CAC\n", [("网信办", "CAC")]),
        ("d.csv", "en,zh\nCAC,网信办\n", [("网信办", "CAC")]),
        ("e.csv", '网信办,"CAC, the regulator"\n"引号""",quote\n',
         [("网信办", "CAC, the regulator"), ('引号"', "quote")]),
        ("f.csv", "source;target\n网信办;CAC\n", [("网信办", "CAC")]),
        ("g.tsv", "\ufeff网信办\tCAC\n\n", [("网信办", "CAC")]),
    ],
)
def test_tsv_csv_forms(tmp_path: Path, name: str, content: str, rows: list[tuple[str, str]]) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    t = read_terms(p)
    assert [(r.source, r.target) for r in t.rows] == rows


def test_csv_round_trip_with_commas_and_quotes(tmp_path: Path) -> None:
    t = TermTable(columns=["source", "target", "note", "x"],
                  rows=[E({"source": "甲", "target": 'a, "b"', "note": "", "x": "1"})])
    p = tmp_path / "r.csv"
    write_terms(p, t)
    assert read_terms(p).rows == t.rows


def test_two_column_forms() -> None:
    t = TermTable(columns=["source", "target", "note"],
                  rows=[E({"source": "甲", "target": "a\tb", "note": "n"}),
                        E({"source": "甲", "target": "a\tb", "note": "dup"})])
    assert render(t, "tsv-2col") == "甲\ta b\n"
    assert render(t, "csv-2col") == "甲,a\tb\n"


def test_unknown_extension(tmp_path: Path) -> None:
    p = tmp_path / "x.docx"
    p.write_text("x", encoding="utf-8")
    with pytest.raises(FormatError, match="--format"):
        read_terms(p)
