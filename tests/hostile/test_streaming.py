"""Bounded memory: plain-text documents are translated and written piece by piece, and the
streamed outputs are the in-memory path's, byte for byte (timestamps aside)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bitext import readers, writers
from bitext.engines import create_engine
from bitext.files import atomic_outputs
from bitext.pipeline import translate_document, translate_text_file
from bitext.terms.loading import load_glossaries

STAMP = re.compile(rb"\d{8}T\d{6}Z")

DOCS = {
    "paragraphs": "网络安全很重要。国家网信办发布了新规定。\n\n\n数据出境安全评估办法共二十条，"
                  "自2022年9月1日起施行。\n　　第二条　本办法适用于数据处理者。\n",
    "crlf_no_final_newline": "第一段。\r\n\r\n第二段，\r\n接着写完。",
    "passthrough_and_blank_start": "\n\n----\n12345\n\n人工智能治理。\n",
    "empty": "",
    "long_run": "数据" * 2500 + "\n结束。\n",
}


@pytest.fixture(scope="module")
def engine_and_glossary():
    return create_engine("gloss"), load_glossaries([], defaults=True, user=False)


@pytest.mark.parametrize("name", sorted(DOCS))
@pytest.mark.parametrize("piece", [1, 3, 2048])
def test_streamed_equals_in_memory(tmp_path: Path, engine_and_glossary, name: str, piece: int) -> None:
    eng, glossary = engine_and_glossary
    src = tmp_path / f"{name}.txt"
    src.write_bytes(DOCS[name].encode("utf-8"))
    whole = translate_document(readers.read(src), eng, glossary)
    a = {e: tmp_path / f"a.{e}" for e in ("tmx", "html", "txt")}
    writers.write_tmx(a["tmx"], whole)
    writers.write_html(a["html"], whole)
    writers.write_document(a["txt"], whole)
    b = {e: tmp_path / f"b.{e}" for e in ("tmx", "html", "txt")}
    with atomic_outputs():
        totals = translate_text_file(src, eng, glossary, tmx=b["tmx"], html=b["html"],
                                     out=b["txt"], piece_segments=piece)
    for e, path in a.items():
        assert STAMP.sub(b"T", path.read_bytes()) == STAMP.sub(b"T", b[e].read_bytes()), e
    assert totals.stats() == whole.stats()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [src.name, *(p.name for p in a.values()), *(p.name for p in b.values())])  # no spool left


def test_cli_streams_and_refuses_nothing_else(h15_cli, tmp_path: Path) -> None:
    src = tmp_path / "doc.txt"
    src.write_text("网络安全很重要。\n" * 300, encoding="utf-8")
    r = h15_cli("translate", src, "-o", tmp_path / "out", "--engine", "gloss")
    assert r.code == 0, r.stderr
    assert "300 segments" in r.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["doc.en.txt", "doc.html", "doc.tmx"]
