"""Contract tests every format must pass (as translate-toolkit's ``test_base.py``): one base
class per kind of format, one subclass per format.

* Document formats (txt, md, html, xliff): read → translate → write the English document;
  ``&<>`` and quotes survive as text (never as markup), control characters never break the
  output, full-width punctuation splits sentences, an empty document gives empty but valid
  outputs, and the written document is read back by the same reader.
* Bilingual formats (tmx, xliff, the side-by-side page): what the writers write, the pair
  readers (``bitext.readers.read_pairs``) read back — same ids, sources and targets.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from lxml import etree
from lxml import html as lhtml
from support import HanEngine

from bitext import readers, writers
from bitext.document import TranslatedDocument
from bitext.pipeline import translate_document

NASTY = "甲&乙<丙>“丁”'戊'"  # every character HTML/XML must escape, inside Chinese


def _tdoc(path: Path) -> TranslatedDocument:
    return translate_document(readers.read(path), HanEngine())


class DocumentFormatContract:
    """Subclasses name the extension and how a document with given paragraphs is written."""

    ext: ClassVar[str]

    def make(self, paragraphs: list[str]) -> str:
        raise NotImplementedError

    def write_source(self, tmp_path: Path, paragraphs: list[str], name: str = "doc") -> Path:
        p = tmp_path / f"{name}{self.ext}"
        p.write_text(self.make(paragraphs), encoding="utf-8")
        return p

    def written(self, tmp_path: Path, paragraphs: list[str]) -> tuple[TranslatedDocument, str]:
        src = self.write_source(tmp_path, paragraphs)
        tdoc = _tdoc(src)
        out = tmp_path / f"doc.en{self.ext}"
        writers.write_document(out, tdoc)
        return tdoc, out.read_text(encoding="utf-8")

    def test_round_trip_reads_back(self, tmp_path: Path) -> None:
        tdoc, text = self.written(tmp_path, ["网络安全很重要。数据安全也重要。", "第二段。"])
        assert len(tdoc.document.segments) == 3
        assert all(r.target for r in tdoc.results.values())
        back = tmp_path / f"back{self.ext}"
        back.write_text(text, encoding="utf-8")
        readers.read(back)  # the writer's output is a valid document of its own format

    def test_special_characters_stay_text(self, tmp_path: Path) -> None:
        tdoc, text = self.written(tmp_path, [NASTY + "。"])
        [seg] = tdoc.document.segments
        assert "&" in seg.text and "<" in seg.text and ">" in seg.text
        self.assert_no_injected_markup(text)

    def assert_no_injected_markup(self, text: str) -> None:
        assert "<丙>" not in text or self.ext in (".txt", ".md")

    def test_control_characters_do_not_break_output(self, tmp_path: Path) -> None:
        tdoc, _text = self.written(tmp_path, ["控制\x01字符\x08在这里。"])
        assert tdoc.document.segments
        assert all("\x01" not in r.target for r in tdoc.results.values())
        tmx = tmp_path / "c.tmx"
        writers.write_tmx(tmx, tdoc)  # XML outputs hold no control character
        assert [p.source for p in readers.read_pairs(tmx)] == ["控制字符在这里。"]

    def test_full_width_punctuation_splits_sentences(self, tmp_path: Path) -> None:
        src = self.write_source(tmp_path, ["第一句！第二句？第三句。"])
        assert [s.text for s in readers.read(src).segments] == ["第一句！", "第二句？", "第三句。"]

    def test_empty_document(self, tmp_path: Path) -> None:
        src = self.write_source(tmp_path, [])
        tdoc = _tdoc(src)
        assert tdoc.document.segments == [] or len(tdoc.document.segments) == 0
        out = tmp_path / f"empty.en{self.ext}"
        writers.write_document(out, tdoc)
        tmx = tmp_path / "empty.tmx"
        writers.write_tmx(tmx, tdoc)
        assert list(readers.read_pairs(tmx)) == []


class TestTxt(DocumentFormatContract):
    ext = ".txt"

    def make(self, paragraphs: list[str]) -> str:
        return "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


class TestMarkdown(DocumentFormatContract):
    ext = ".md"

    def make(self, paragraphs: list[str]) -> str:
        return "# 标题\n\n" * 0 + "\n\n".join(paragraphs) + ("\n" if paragraphs else "")


class TestHtml(DocumentFormatContract):
    ext = ".html"

    def make(self, paragraphs: list[str]) -> str:
        from html import escape

        body = "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
        return f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head><body><article>{body}</article></body></html>'

    def assert_no_injected_markup(self, text: str) -> None:
        doc = lhtml.document_fromstring(text)
        assert not doc.xpath("//丙")
        assert "&lt;" in text and "&amp;" in text


class TestXliff(DocumentFormatContract):
    ext = ".xlf"

    def make(self, paragraphs: list[str]) -> str:
        from html import escape

        units = "".join(
            f'<trans-unit id="u{i}"><source>{escape(p, quote=False)}</source></trans-unit>'
            for i, p in enumerate(paragraphs, start=1)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" '
            'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="zh-CN" '
            f'target-language="en" datatype="plaintext" original="x"><body>{units}</body></file></xliff>'
        )

    def assert_no_injected_markup(self, text: str) -> None:
        root = etree.fromstring(text.encode("utf-8"))
        assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("丙")]

    def test_control_characters_do_not_break_output(self, tmp_path: Path) -> None:
        # XML 1.0 cannot hold them: the reader refuses the file with a one-line reason.
        from bitext.errors import FormatError

        src = self.write_source(tmp_path, ["控制\x01字符。"])
        with pytest.raises(FormatError, match="XLIFF"):
            readers.read(src)

    def test_full_width_punctuation_splits_sentences(self, tmp_path: Path) -> None:
        # XLIFF units are the translator's segments: bitext keeps one segment per unit.
        src = self.write_source(tmp_path, ["第一句！第二句？第三句。"])
        assert "".join(s.text for s in readers.read(src).segments) == "第一句！第二句？第三句。"

    def test_round_trip_reads_back(self, tmp_path: Path) -> None:
        tdoc, text = self.written(tmp_path, ["网络安全很重要。", "第二段。"])
        assert all(r.target for r in tdoc.results.values())
        back = tmp_path / "back.xlf"
        back.write_text(text, encoding="utf-8")
        assert len(readers.read(back, overwrite=True).segments) == 2


class BilingualFormatContract:
    """Subclasses write a translated document in their format; the pair reader reads it back."""

    ext: ClassVar[str]

    def write(self, path: Path, tdoc: TranslatedDocument) -> None:
        raise NotImplementedError

    def pairs_of(self, tmp_path: Path, paragraphs: list[str]) -> tuple[TranslatedDocument, list]:
        src = tmp_path / "doc.txt"
        src.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
        tdoc = _tdoc(src)
        out = tmp_path / f"doc{self.ext}"
        self.write(out, tdoc)
        return tdoc, list(readers.read_pairs(out))

    def test_pairs_round_trip(self, tmp_path: Path) -> None:
        tdoc, pairs = self.pairs_of(tmp_path, ["网络安全很重要。数据安全也重要。", "第二段。"])
        expected = [(r.segment.text, r.target) for r in tdoc.results.values()]
        assert [(p.source, p.target) for p in pairs] == expected
        assert len({p.id for p in pairs}) == len(pairs)

    def test_special_characters_round_trip(self, tmp_path: Path) -> None:
        _, pairs = self.pairs_of(tmp_path, [NASTY + "。"])
        assert pairs[0].source == NASTY + "。"


class TestTmxPairs(BilingualFormatContract):
    ext = ".tmx"

    def write(self, path: Path, tdoc: TranslatedDocument) -> None:
        writers.write_tmx(path, tdoc)


class TestPagePairs(BilingualFormatContract):
    ext = ".html"

    def write(self, path: Path, tdoc: TranslatedDocument) -> None:
        writers.write_html(path, tdoc)


@pytest.mark.parametrize("ext", sorted(readers.EXTENSIONS["bilingual"]))
def test_every_bilingual_extension_has_a_pair_reader(ext: str) -> None:
    assert readers.EXTENSIONS["bilingual"][ext] in readers.PAIR_READERS


@pytest.mark.parametrize("ext", sorted(readers.EXTENSIONS["document"]))
def test_every_document_extension_has_a_reader_and_writer(ext: str) -> None:
    fmt = readers.EXTENSIONS["document"][ext]
    assert fmt in readers.READERS and fmt in writers.DOC_WRITERS
