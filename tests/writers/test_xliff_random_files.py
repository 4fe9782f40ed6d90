"""Random XLIFF 1.2 and 2.0 files with the inline markup CAT tools write: every target must
hold the same inline elements as its source, protected text unchanged inside its own
``<mrk>``, and no Chinese outside it.

Sources nest ``<pc>``/``<g>`` up to three deep and mix ``<ph/>``/``<x/>``, ``<sc/>``…
``<ec/>`` and ``<bpt>``…``<ept>`` pairs, ``<mrk translate="no">`` (2.0) or
``<mrk mtype="protected">`` (1.2) spans holding Chinese, addresses with Chinese in them,
numbers and English. A seeded generator: a failure names the file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex
from lxml import etree
from support import HanEngine

from bitext.pipeline import translate_document
from bitext.readers import read
from bitext.writers import xliff

HAN = regex.compile(r"\p{Han}")
URL = "https://www.cac.gov.cn/2024/数据.htm"
TEXT = ["文字", "中文句子。", "English", "12,345", " ", "，", URL]
KEPT = regex.compile(r'<mrk[^>]*(?:translate="no"|mtype="protected")[^>]*>网信办</mrk>')


# Per version: a standalone code, a paired code around text, a protected span, a wrapper.
INLINE = {
    "2.0": ('<ph id="{i}"/>', '<sc id="{i}"/>{text}<ec startRef="{i}"/>',
            '<mrk id="m{i}" translate="no">网信办</mrk>', '<pc id="{i}">{inner}</pc>'),
    "1.2": ('<x id="{i}"/>', '<bpt id="{i}">&lt;b&gt;</bpt>{text}<ept id="{i}">&lt;/b&gt;</ept>',
            '<mrk mtype="protected">网信办</mrk>', '<g id="{i}">{inner}</g>'),
}


class _Gen:
    def __init__(self, seed: int, version: str) -> None:
        self.rnd, self.version, self.n = random.Random(seed), version, 0

    def id(self) -> str:
        self.n += 1
        return str(self.n)

    def inline(self, depth: int = 0) -> str:
        ph, pair, kept, wrap = INLINE[self.version]
        out = ""
        for _ in range(self.rnd.randint(1, 5)):
            r, text = self.rnd.random(), self.rnd.choice(TEXT)
            if r < 0.5:
                out += text
                continue
            i = self.id()
            if r < 0.6:
                out += ph.format(i=i)
            elif r < 0.7:
                out += pair.format(i=i, text=text)
            elif r < 0.8:
                out += kept.format(i=i)
            elif depth < 2:
                out += wrap.format(i=i, inner=self.inline(depth + 1))
        return out

    def file(self) -> str:
        self.n = 0
        k = self.rnd.randint(1, 4)
        if self.version == "2.0":
            units = "".join(f'<unit id="u{j}"><segment id="s{j}"><source>{self.inline()}</source></segment></unit>'
                            for j in range(k))
            return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" '
                    f'version="2.0" srcLang="zh-CN" trgLang="en"><file id="f1">{units}</file></xliff>\n')
        units = "".join(f'<trans-unit id="t{j}"><source>{self.inline()}</source></trans-unit>' for j in range(k))
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                '<file original="a" source-language="zh-CN" target-language="en" datatype="plaintext">'
                f"<body>{units}</body></file></xliff>\n")


def _inline_elements(el: etree._Element) -> list[tuple[str, str, str]]:
    return sorted((etree.QName(c).localname, c.get("id") or c.get("startRef") or "",
                   (c.text or "") if etree.QName(c).localname in ("mrk", "bpt", "ept") else "")
                  for c in el.iter() if c is not el and isinstance(c.tag, str))


@pytest.mark.parametrize("version", ["1.2", "2.0"])
@pytest.mark.parametrize("seed", range(3))
def test_random_xliff_targets_keep_inline_markup(tmp_path: Path, version: str, seed: int) -> None:
    gen, engine = _Gen(seed, version), HanEngine()
    src, out = tmp_path / "in.xlf", tmp_path / "out.xlf"
    for _ in range(100):
        text = gen.file()
        src.write_text(text, encoding="utf-8")
        xliff.write(out, translate_document(read(src), engine))
        root = etree.parse(str(out)).getroot()
        for source in root.iter("{*}source"):
            target = next((t for t in source.itersiblings() if etree.QName(t).localname == "target"), None)
            if target is None:
                assert not HAN.search("".join(source.itertext())), text
                continue
            assert _inline_elements(target) == _inline_elements(source), (text, etree.tostring(target))
            rest = KEPT.sub("", etree.tostring(target, encoding="unicode")).replace(URL, "")
            assert not HAN.search(regex.sub(r"<[^>]+>", "", rest)), (text, rest)
