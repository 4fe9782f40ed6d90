"""Random pages built from the pieces real pages mix inside their text: nothing the user did
not ask to translate may be lost, doubled or translated.

Each page nests inline elements (``<span style>``, ``<b>``, ``<a>``, ``<em>``) up to three
deep around Chinese and English text, with images, comments, form controls, scripts,
formulas, ``translate="no"`` spans, ``<code>`` holding Chinese, empty anchors and ``<br>``
among them, in paragraphs, list items, table cells, headings, containers and bare runs
directly under ``<body>``. After translation every kept piece must come back exactly as
often as it was written, and no Chinese may be left outside them. A seeded generator: a
failure names the page.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import regex
from support import HanEngine, assert_kept_once

from bitext.pipeline import translate_document
from bitext.readers.html import parse_html
from bitext.segment import srx
from bitext.segment.blocks import splitting
from bitext.writers.htmldoc import render

HAN = regex.compile(r"\p{Han}")
TEXT = ["文字", "中文句子。", "English", "12,345", " ", "，"]
KEPT = ['<img src="a.png">', "<!-- 注释 -->", '<input type="text">', "<script>var a='中';</script>",
        '<span translate="no">网信办</span>', "<code>数据.txt</code>", "<math><mi>x</mi></math>",
        '<a name="top"></a>']
WRAPPERS = ["span", "b", "a", "em", 'span style="color:red"']
BLOCKS = ["p", "div", "section", "li", "td", "h2", None]


def _inline(rnd: random.Random, depth: int) -> str:
    out = ""
    for _ in range(rnd.randint(1, 4)):
        r = rnd.random()
        if r < 0.45:
            out += rnd.choice(TEXT)
        elif r < 0.7:
            out += rnd.choice([*KEPT, "<br>"])
        elif depth < 3:
            w = rnd.choice(WRAPPERS)
            out += f"<{w}>{_inline(rnd, depth + 1)}</{w.split()[0]}>"
    return out


def _page(rnd: random.Random) -> str:
    body = ""
    for _ in range(rnd.randint(1, 4)):
        tag, content = rnd.choice(BLOCKS), _inline(rnd, 0)
        if tag is None:
            body += content
        elif tag == "li":
            body += f"<ul><li>{content}</li></ul>"
        elif tag == "td":
            body += f"<table><tr><td>{content}</td></tr></table>"
        else:
            body += f"<{tag}>{content}</{tag}>"
    return body


def _check_pages(seed: int) -> None:
    rnd = random.Random(seed)
    engine = HanEngine()
    for _ in range(150):
        body = _page(rnd)
        out = render(translate_document(parse_html(f"<html><body>{body}</body></html>"), engine))
        assert_kept_once(body, out.decode("utf-8").split("<body>", 1)[1], KEPT)


@pytest.mark.parametrize("seed", range(4))
def test_random_pages_keep_every_piece_once(seed: int) -> None:
    _check_pages(seed)


@pytest.mark.parametrize("seed", range(2))
def test_random_pages_keep_every_piece_once_with_omegat_rules(omegat_srx: Path, seed: int) -> None:
    """The same under OmegaT's SRX rules (``--srx``), which split where they say."""
    rules = srx.load(omegat_srx)
    with splitting(lambda text: rules.split(text, "zh-CN")):
        _check_pages(seed)
