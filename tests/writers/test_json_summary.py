"""JSON run summary (``bitext translate --json``): provenance, stats, outputs, per-segment data.

Documents go through the real pipeline with a glossary TSV written in ``tmp_path`` and a
deterministic engine defined here (Han runs → ``zh``; a chosen English term dropped to
plant a violation).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
import regex
from support import HanEngine as _HanEngine

from bitext import __version__
from bitext.document import Block, Document, Segment
from bitext.pipeline import translate_document
from bitext.terms.glossary import Glossary
from bitext.writers.json import summary

HAN = regex.compile(r"\p{Han}+")

GLOSSARY_TSV = (
    "source\ttarget\tnote\n"
    "网信办\tCAC\tCyberspace Administration of China\n"
    "数据安全法\tData Security Law\t\n"
)


class HanEngine(_HanEngine):
    score = float("nan")


class GistEngine(HanEngine):
    name = "hangist"
    is_gist = True


def document() -> Document:
    def block(bid: str, kind: str, sents: Sequence[str], **kw) -> Block:
        segs = tuple(Segment(f"{bid}.s{k}", s, bid) for k, s in enumerate(sents, 1))
        return Block(bid, kind, "".join(sents), segs, **kw)  # type: ignore[arg-type]

    return Document(
        "notice.md",
        "md",
        (
            block("p1", "heading", ["网信办通知 <b>&"], level=1),
            block("p2", "paragraph", ["网信办负责数据安全法。", "其他内容。"]),
        ),
    )


class DictMemory:
    """Minimal in-test translation memory with the pipeline's lookup interface."""

    def is_gist(self, text: str) -> bool:

        return False


    def lookup_exact(self, text: str) -> str | None:
        return {"其他内容。": "Other content."}.get(text)

    def lookup_fuzzy(self, text: str, threshold: float) -> list:
        return [(0.8, "网信办公告", "CAC notice")] if text.startswith("网信办通知") else []


@pytest.fixture
def glossary_file(tmp_path: Path) -> Path:
    p = tmp_path / "terms.tsv"
    p.write_text(GLOSSARY_TSV, encoding="utf-8")
    return p


@pytest.fixture
def data(glossary_file):
    tdoc = translate_document(
        document(), HanEngine(drop=["Data Security Law"]), Glossary.load([glossary_file]),
        tm=DictMemory(), tm_fuzzy=0.75,
    )
    return summary(tdoc, outputs={"tmx": Path("out/notice.tmx")}, elapsed_s=0.123456), tdoc


def test_strict_json_round_trip(data):
    d, _ = data
    text = json.dumps(d, ensure_ascii=False, allow_nan=False)  # NaN scores become null
    assert json.loads(text) == d


def test_top_level_provenance(data, glossary_file):
    d, _ = data
    assert d["input"] == "notice.md" and d["format"] == "md"
    assert d["engine"] == "hantest" and d["signature"] == "hantest:model-7"
    assert d["is_gist"] is False
    assert d["bitext_version"] == __version__
    assert regex.fullmatch(r"\d{8}T\d{6}Z", d["created"])
    assert d["glossaries"] == [
        {"path": glossary_file.name, "sha256": hashlib.sha256(glossary_file.read_bytes()).hexdigest()}
    ]
    assert d["outputs"] == {"tmx": "out/notice.tmx"}
    assert d["elapsed_s"] == 0.123


def test_stats(data):
    d, tdoc = data
    s = d["stats"]
    assert s["segments"] == 3 and s["blocks"] == 2
    assert s["term_hits"] == 3 and s["term_violations"] == 1
    assert s["term_success"] == pytest.approx(2 / 3, abs=1e-4)
    assert s["tm_exact"] == 1 and s["tm_fuzzy"] == 1
    assert s["qa_errors"] == tdoc.stats()["qa_errors"] >= 1


def test_segment_entries(data):
    d, _ = data
    segs = {s["id"]: s for s in d["segments"]}
    assert list(segs) == ["p1.s1", "p2.s1", "p2.s2"]
    p1 = segs["p1.s1"]
    assert p1["source"] == "网信办通知 <b>&" and p1["target"] == "CAC zh <b>&"
    assert p1["kind"] == "heading" and p1["block_id"] == "p1" and p1["origin"] == "mt"
    assert p1["score"] is None
    assert p1["term_hits"] == [
        {"source": "网信办", "target": "CAC", "note": "Cyberspace Administration of China",
         "start": 0, "end": 3}
    ]
    assert p1["tm_fuzzy"] == [{"similarity": 0.8, "source": "网信办公告", "target": "CAC notice"}]
    p2 = segs["p2.s1"]
    assert [h["target"] for h in p2["term_hits"]] == ["CAC", "Data Security Law"]
    assert [h["source"] for h in p2["term_violations"]] == ["数据安全法"]
    assert p2["term_repaired"] == []
    assert {"check": "term", "severity": "error",
            "message": "'数据安全法' should be rendered 'Data Security Law'"} in p2["findings"]
    tm = segs["p2.s2"]
    assert tm["origin"] == "tm" and tm["target"] == "Other content." and tm["score"] == 1.0


def test_flat_findings_use_check_keys(data):
    d, tdoc = data
    flat = d["findings"]
    assert all(set(f) == {"tuid", "check", "severity", "message"} for f in flat)
    assert len(flat) == sum(len(r.findings) for r in tdoc.results.values())
    assert any(f["tuid"] == "p2.s1" and f["check"] == "term" for f in flat)


def test_gist_flag_and_empty_document(glossary_file):
    tdoc = translate_document(Document(None, "txt", ()), GistEngine(), Glossary.load([glossary_file]))
    d = summary(tdoc, outputs={}, elapsed_s=0.0)
    assert d["is_gist"] is True and d["engine"] == "hangist"
    assert d["segments"] == [] and d["findings"] == []
    assert d["stats"]["segments"] == 0 and d["stats"]["term_success"] is None  # no term hit: n/a
    assert d["input"] == ""
    json.dumps(d, allow_nan=False)


@pytest.mark.skipif(importlib.util.find_spec("bitext.engines.gloss") is None,
                    reason="the gloss engine is not built yet")
def test_cli_json_summary(tmp_path, glossary_file):
    from click.testing import CliRunner

    from bitext.cli.main import cli

    src = tmp_path / "notice.md"
    src.write_text("# 网信办通知\n\n网信办负责数据安全法。\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["translate", str(src), "--engine", "gloss", "--no-default-glossary",
                                   "--glossary", str(glossary_file), "--tmx", str(tmp_path / "o.tmx"),
                                   "--html", str(tmp_path / "o.html"),
                                   "--json", "-q"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["engine"] == "gloss" and d["is_gist"] is True
    assert d["outputs"] == {"tmx": str(tmp_path / "o.tmx"), "html": str(tmp_path / "o.html")}
    assert all(Path(p).exists() for p in d["outputs"].values())
    assert [s["id"] for s in d["segments"]] == ["p1.s1", "p2.s1"]
    assert d["stats"]["term_hits"] == 3
    assert d["glossaries"][0]["sha256"] == hashlib.sha256(glossary_file.read_bytes()).hexdigest()


def test_term_error_in_a_tm_match_is_counted(glossary_file):
    class Memory(DictMemory):
        def is_gist(self, text: str) -> bool:
            return False

        def lookup_exact(self, text: str) -> str | None:
            return {"网信办负责数据安全法。": "The regulator is in charge of the Data Security Law."}.get(text)

    tdoc = translate_document(document(), HanEngine(), Glossary.load([glossary_file]), tm=Memory())
    d = summary(tdoc, outputs={}, elapsed_s=0.0)
    seg = next(s for s in d["segments"] if s["id"] == "p2.s1")
    assert seg["origin"] == "tm" and [h["source"] for h in seg["term_violations"]] == ["网信办"]
    term_errors = [f for f in d["findings"] if f["check"] == "term"]
    assert d["stats"]["term_violations"] == len(term_errors) == 1
    assert 0 < d["stats"]["term_success"] < 1


def test_term_success_null_without_term_hits(glossary_file):
    doc = Document("x.txt", "txt", (Block("p1", "paragraph", "今天下雨。",
                                          (Segment("p1.s1", "今天下雨。", "p1"),)),))
    tdoc = translate_document(doc, HanEngine(), Glossary.load([glossary_file]))
    d = summary(tdoc, outputs={}, elapsed_s=0.0)
    assert d["stats"]["term_hits"] == 0 and d["stats"]["term_success"] is None
    assert json.loads(json.dumps(d))["stats"]["term_success"] is None
