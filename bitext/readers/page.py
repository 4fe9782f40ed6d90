"""Reader for the side-by-side review page ``bitext translate`` writes (bilingual pairs):
``tr.seg`` rows, the text of their ``td.src``/``td.tgt`` cells, the row id as the pair id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bitext.document import Pair
from bitext.errors import FormatError
from bitext.files import read_text


def read_pairs(path: str | Path) -> Iterator[Pair]:
    """Pairs from the side-by-side page: ``tr.seg`` rows, text of ``td.src``/``td.tgt``."""
    from lxml import etree
    from lxml import html as lhtml

    text, _ = read_text(path)
    try:
        doc = lhtml.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:  # ParserError on empty documents
        raise FormatError(f"cannot parse HTML: {e}", str(path)) from None
    rows = doc.xpath("//tr[contains(concat(' ', normalize-space(@class), ' '), ' seg ')]")
    if not rows:
        raise FormatError(
            "no segment rows (tr.seg) found: give the side-by-side page bitext translate writes",
            str(path),
        )

    def cell_text(tr: Any, cls: str) -> str:
        cells = tr.xpath(f"./td[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]")
        if not cells:
            return ""
        texts = cells[0].xpath(".//*[contains(concat(' ', normalize-space(@class), ' '), ' text ')]")
        if texts:
            return "".join(t.text_content() for t in texts)
        return ""

    for n, tr in enumerate(rows, start=1):
        yield Pair(tr.get("id") or f"#{n}", cell_text(tr, "src"), cell_text(tr, "tgt"))
