"""Random text files built from what Chinese documents and notes mix: articles of a law,
numbered items, English lines, code indented with spaces or a tab, numbers, rules, blank
lines, with addresses, paths, e-mail addresses and comments inside lines. Every kept piece
comes back as often as it was written, no Chinese is left outside them, and a line without
Chinese comes back as it was (it is never joined to a Chinese paragraph). A seeded
generator: a failure names the file.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex
from support import HanEngine, assert_kept_once

from bitext.pipeline import translate_document
from bitext.readers import read
from bitext.writers import write_document

HAN = regex.compile(r"\p{Han}")
KEPT = ["https://www.cac.gov.cn/2024/数据.htm", "C:\\数据\\文件.txt", "sjcj@example.gov.cn", "<!-- INFO END -->",
        "../docs/guide.md"]
LINES = ["中文句子。", "第一条 为了规范数据处理活动，制定本办法。", "第二条 本办法自公布之日起施行。", "English line only.",
         "    def f(x): return x", "\tindented with tab", "", "", "12,345", "——", "一、总则", "（一）网信办负责。",
         "注：本文仅供参考"]


def _file(rnd: random.Random) -> str:
    out = []
    for _ in range(rnd.randint(1, 12)):
        line = rnd.choice(LINES)
        if line and rnd.random() < 0.3:
            line += " " + rnd.choice(KEPT) + " 文字"
        out.append(line)
    return "\n".join(out) + ("\n" if rnd.random() < 0.8 else "")


@pytest.mark.parametrize("seed", range(3))
def test_random_text_files_keep_lines_and_pieces(tmp_path: Path, seed: int) -> None:
    rnd, engine = random.Random(seed), HanEngine()
    src, out = tmp_path / "doc.txt", tmp_path / "doc.en.txt"
    for _ in range(100):
        text = _file(rnd)
        src.write_text(text, encoding="utf-8")
        write_document(out, translate_document(read(src), engine))
        got = out.read_text(encoding="utf-8")
        assert_kept_once(text, got, KEPT)
        lines = got.split("\n")
        for line in text.split("\n"):
            if line.strip() and not HAN.search(line):
                assert line in lines, (line, text, got)
