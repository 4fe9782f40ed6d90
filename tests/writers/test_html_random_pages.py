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
WORD_KEPT = [*KEPT, "<o:p></o:p>", "<style>b{}</style>"]
WORD_WRAPPERS = [*WRAPPERS, 'st1:chsdate year="2024"', "x-note"]
"""What pages saved from Word and pages with custom elements add."""
MEDIA_KEPT = [*KEPT, '<embed src="a.swf">', "<wbr>", '<video controls><source src="a.mp4"></video>']
LEGACY_WRAPPERS = [*WRAPPERS, "blink", "marquee"]
"""Media libxml2 nests the following text into (``<embed>``, ``<wbr>``, ``<source>``) and
elements HTML dropped (``<blink>``, ``<marquee>``)."""
BLOCKS = ["p", "div", "section", "li", "td", "h2", None]


def _inline(rnd: random.Random, depth: int, kept: list[str], wrappers: list[str]) -> str:
    out = ""
    for _ in range(rnd.randint(1, 4)):
        r = rnd.random()
        if r < 0.45:
            out += rnd.choice(TEXT)
        elif r < 0.7:
            out += rnd.choice([*kept, "<br>"])
        elif depth < 3:
            w = rnd.choice(wrappers)
            out += f"<{w}>{_inline(rnd, depth + 1, kept, wrappers)}</{w.split()[0]}>"
    return out


def _page(rnd: random.Random, kept: list[str] = KEPT, wrappers: list[str] = WRAPPERS) -> str:
    body = ""
    for _ in range(rnd.randint(1, 4)):
        tag, content = rnd.choice(BLOCKS), _inline(rnd, 0, kept, wrappers)
        if tag is None:
            body += content
        elif tag == "li":
            body += f"<ul><li>{content}</li></ul>"
        elif tag == "td":
            body += f"<table><tr><td>{content}</td></tr></table>"
        else:
            body += f"<{tag}>{content}</{tag}>"
    return body


def _check_pages(seed: int, kept: list[str] = KEPT, wrappers: list[str] = WRAPPERS) -> None:
    rnd = random.Random(seed)
    engine = HanEngine()
    for _ in range(150):
        body = _page(rnd, kept, wrappers)
        out = render(translate_document(parse_html(f"<html><body>{body}</body></html>"), engine))
        assert_kept_once(body, out.decode("utf-8").split("<body>", 1)[1], kept)


@pytest.mark.parametrize("seed", range(4))
def test_random_pages_keep_every_piece_once(seed: int) -> None:
    _check_pages(seed)


@pytest.mark.parametrize("seed", range(2))
def test_random_pages_keep_every_piece_once_with_omegat_rules(omegat_srx: Path, seed: int) -> None:
    """The same under OmegaT's SRX rules (``--srx``), which split where they say."""
    rules = srx.load(omegat_srx)
    with splitting(lambda text: rules.split(text, "zh-CN")):
        _check_pages(seed)


@pytest.mark.parametrize("seed", range(2))
def test_random_pages_with_word_and_custom_tags_keep_every_piece_once(seed: int) -> None:
    """Pages saved from Word (``<st1:chsdate>`` smart tags, ``<o:p>``) and custom elements
    (``<x-note>``), with a ``<style>`` among the kept pieces: the first stopped the run with an
    internal error, and the text after any of them was left Chinese."""
    _check_pages(seed, WORD_KEPT, WORD_WRAPPERS)


@pytest.mark.parametrize("seed", range(2))
def test_random_pages_with_media_and_legacy_tags_keep_every_piece_once(seed: int) -> None:
    """Pages with ``<embed>``, ``<wbr>`` and video among the kept pieces and ``<blink>``,
    ``<marquee>`` among the wrappers: the text after the first three was left Chinese (and
    ``</embed>`` added), the text after the last two too."""
    _check_pages(100 + seed, MEDIA_KEPT, LEGACY_WRAPPERS)
