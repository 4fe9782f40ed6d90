"""The held-out literary alignment set, corpora/align-lit (Hung Lou Meng ch. 3 opening,
Joly's 1892 public-domain translation, hand-aligned): its files are laid out like
MAC-Dev's and its gold covers every line of both sides once, in order. No F1 floor:
the set is for checking that tuning on MAC-Dev generalises, not a regression gate."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from bitext.alignment.beads import check_cover, read_beads

LIT = Path(__file__).resolve().parents[2] / "corpora" / "align-lit"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_lit_gold_covers_every_line_once_in_order() -> None:
    stems = [f.stem for f in sorted((LIT / "zh").glob("*.zh"))]
    assert stems == ["001"]
    zh, en = lines(LIT / "zh" / "001.zh"), lines(LIT / "en" / "001.en")
    gold = read_beads(LIT / "gold" / "001.align")
    assert (len(zh), len(en), len(gold)) == (83, 109, 66)
    assert all(line.strip() == line and line for line in zh + en), "blank or padded line"
    check_cover(gold, len(zh), len(en))
    # in order, each id once, without relying on check_cover alone
    assert [i for src, _ in gold for i in src] == list(range(len(zh)))
    assert [j for _, tgt in gold for j in tgt] == list(range(len(en)))
    assert all(src or tgt for src, tgt in gold), "empty bead"
    # the longest bead documented in the folder's README
    assert ((64,), tuple(range(85, 93))) in gold


def test_lit_excerpt_starts_and_ends_on_both_sides() -> None:
    zh, en = lines(LIT / "zh" / "001.zh"), lines(LIT / "en" / "001.en")
    assert zh[0].startswith("却说雨村忙回头看时") and zh[-1].startswith("贾母道：“这正好")
    assert en[0] == "But to proceed with our narrative."
    assert en[-1].startswith("“What a lucky coincidence!”") and en[-1].endswith("that’s all.”")


@pytest.mark.parametrize("side", ["zh", "en"])
def test_lit_one_sentence_per_line(side: str) -> None:
    text = lines(LIT / side / f"001.{side}")
    if side == "zh":
        # a sentence end (。！？ and any closing quote) only at the end of a line
        for line in text:
            body = line.rstrip("”’")
            assert not any(c in "。！？" for c in body[:-1]), line
    else:
        # no sentence end followed by a capital or an opening quote inside a line
        inner_end = re.compile(r"(?<!\bMr)[.!?][”’)]?\s+[“‘(]?[A-Z]")
        assert [line for line in text if inner_end.search(line)] == []


def test_lit_meta_data_has_macdev_columns() -> None:
    rows = list(csv.reader((LIT / "meta_data.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert rows[0][:5] == ["text_id", "book_id", "trans_title", "book_title", "chapter"]
    assert [r[0] for r in rows[1:]] == ["001"] and all(len(r) == len(rows[0]) for r in rows)
    assert (LIT / "README.md").is_file()
