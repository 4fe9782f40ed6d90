"""Contract tests of ``bitext align`` / ``bitext eval-align`` on fresh inputs.

Bead format and coverage for every input shape (documents, presplit files with blank lines,
CRLF, BOM, GBK, UTF-16, empty sides), the not-a-translation warning, ``--mt`` / ``--engine``
/ ``--glossary`` errors, TMX/HTML/TSV contents and eval-align's handling of missing, extra
and mismatched files.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.alignment.beads import check_cover, read_beads, write_beads
from bitext.cli.main import cli

DTD = Path(__file__).resolve().parents[1] / "tmx14.dtd"
BEAD_LINE = re.compile(r"^\[(\d+(,\d+)*)?\]:\[(\d+(,\d+)*)?\]$")

ZH = [
    "国家网络安全工作要坚持网络安全为人民、网络安全靠人民。",
    "2023年，我国共处置网络安全事件1200余起。",
    "陈清扬表示，关键信息基础设施的保护是重中之重！",
    "我们将加强数据安全管理，完善个人信息保护制度。",
]
EN = [
    "National cybersecurity work must serve the people and rely on the people.",
    "In 2023, China handled more than 1,200 cybersecurity incidents.",
    "Chen Qingyang said that protecting critical information infrastructure is the top priority!",
    "We will strengthen data security management.",
    "We will also improve the personal information protection system.",
]


def run(args: list[str]):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(path: Path, lines: list[str], encoding: str = "utf-8", eol: str = "\n") -> Path:
    path.write_bytes(eol.join(lines).encode(encoding) + eol.encode(encoding))
    return path


def beads_ok(path: Path, n_zh: int, n_en: int) -> list:
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n")
    for line in text.splitlines():
        assert BEAD_LINE.match(line), line
    beads = read_beads(path)
    check_cover(beads, n_zh, n_en)
    return beads


@pytest.mark.parametrize(
    "zh_enc, en_enc, eol",
    [
        ("utf-8", "utf-8", "\n"),
        ("utf-8-sig", "utf-8", "\r\n"),
        ("gbk", "utf-16", "\r\n"),
        ("utf-16", "utf-8-sig", "\n"),
    ],
)
def test_presplit_encodings_blank_lines(tmp_path: Path, zh_enc: str, en_enc: str, eol: str) -> None:
    zh = [ZH[0], "", ZH[1], ZH[2], ZH[3]]
    en = [EN[0], EN[1], "", "  ", EN[2], EN[3], EN[4]]
    out = tmp_path / "o.align"
    r = run(["align", write(tmp_path / "zh.txt", zh, zh_enc, eol),
             write(tmp_path / "en.txt", en, en_enc, eol), "--presplit", "--beads", out])
    assert r.exit_code == 0, r.output
    beads = beads_ok(out, len(zh), len(en))
    assert ((1,), ()) in beads and ((), (2,)) in beads and ((), (3,)) in beads
    assert ((4,), (5, 6)) in beads
    r = run(["align", tmp_path / "zh.txt", tmp_path / "en.txt", "--presplit", "--json"])
    s = json.loads(r.stdout)
    assert (s["zh_sentences"], s["en_sentences"], s["unaligned_zh"], s["unaligned_en"]) == (4, 5, [], [])
    assert s["unaligned_counts"] == {"zh": 0, "en": 0}


def test_documents_md_html(tmp_path: Path) -> None:
    zh = tmp_path / "zh.md"
    zh.write_text("# 网络安全报告\n\n" + "".join(ZH) + "\n", encoding="utf-8")
    en = tmp_path / "en.html"
    en.write_text("<html><body><h1>Cybersecurity Report</h1><p>" + " ".join(EN)
                  + "</p><script>var x = 1;</script></body></html>", encoding="utf-8")
    out = tmp_path / "o.align"
    r = run(["align", zh, en, "--beads", out, "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert (s["zh_sentences"], s["en_sentences"]) == (5, 6)
    beads = beads_ok(out, 5, 6)
    assert beads[0] == ((0,), (0,)) and beads[-1] == ((4,), (4, 5))


@pytest.mark.parametrize(
    "zh, en, warning",
    [
        ([], [], "both sides"),
        (ZH, [], "English side"),
        ([], EN, "Chinese side"),
        (["", ""], EN, "Chinese side"),
    ],
)
def test_empty_sides(tmp_path: Path, zh: list[str], en: list[str], warning: str) -> None:
    zp = tmp_path / "zh.txt"
    ep = tmp_path / "en.txt"
    zp.write_text("".join(s + "\n" for s in zh), encoding="utf-8")
    ep.write_text("".join(s + "\n" for s in en), encoding="utf-8")
    out, tmx, html, tsv = (tmp_path / n for n in ("o.align", "o.tmx", "o.html", "o.tsv"))
    r = run(["align", zp, ep, "--presplit", "--beads", out, "--tmx", tmx, "--html", html,
             "--tsv", tsv, "--json"])
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert s["low_confidence"] is True and warning in s["warning"]
    assert warning in r.stderr
    beads_ok(out, len(zh), len(en))
    from lxml import etree

    doc = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.DTD(str(DTD)).validate(doc)
    # One tu per bead, unaligned ones included (marked), so units and beads correspond.
    tus = doc.findall(".//tu")
    assert len(tus) == len(out.read_text(encoding="utf-8").splitlines())
    assert all(tu.find("prop[@type='x-bitext-unaligned']") is not None for tu in tus)


def test_not_a_translation_warns_exit_0(tmp_path: Path) -> None:
    other = ["The recipe calls for two cups of flour and a pinch of salt.",
             "Bake the bread for forty minutes until golden brown.",
             "My grandmother always added a little honey to the dough.",
             "Serve warm with butter."]
    r = run(["align", write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", other),
             "--presplit", "--json"])
    assert r.exit_code == 0
    s = json.loads(r.stdout)
    assert s["low_confidence"] is True and "not translations" in s["warning"]
    assert "warning" in r.stderr and "Traceback" not in r.output


def test_mt_and_engine(tmp_path: Path) -> None:
    zh, en = write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", EN)
    r = run(["align", zh, en, "--presplit", "--mt", write(tmp_path / "mt.txt", ["a", "b"])])
    assert r.exit_code == 1
    msg = r.stderr.strip()
    assert "\n" not in msg and "mt.txt" in msg and "2 lines" in msg and "4" in msg
    r = run(["align", zh, en, "--presplit", "--mt", tmp_path / "mt.txt", "--engine", "gloss"])
    assert r.exit_code == 2
    r = run(["align", zh, en, "--presplit", "--mt", tmp_path / "none.txt"])
    assert r.exit_code == 1 and "none.txt" in r.stderr
    r = run(["align", zh, en, "--presplit", "--engine", "gloss", "--json"])
    assert r.exit_code == 0, r.output
    assert "mt:gloss" in json.loads(r.stdout)["signals"]
    mt = write(tmp_path / "mt4.txt", EN[:3] + [EN[3] + " " + EN[4]])
    r = run(["align", zh, en, "--presplit", "--mt", mt, "--json"])
    assert r.exit_code == 0 and "mt" in json.loads(r.stdout)["signals"]


def test_bad_glossary_names_file_and_line(tmp_path: Path) -> None:
    g = tmp_path / "g.tsv"
    g.write_text("source\ttarget\n网络安全\tcybersecurity\n信息\n", encoding="utf-8")
    r = run(["align", write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", EN),
             "--presplit", "--glossary", g])
    assert r.exit_code == 1
    assert "g.tsv:3" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_unsupported_document_type(tmp_path: Path) -> None:
    zh = write(tmp_path / "a.zh", ZH)
    r = run(["align", zh, write(tmp_path / "en.txt", EN)])
    assert r.exit_code == 1
    assert "--presplit" in r.stderr and ".xliff" not in r.stderr
    assert run(["align", zh, tmp_path / "en.txt", "--presplit"]).exit_code == 0


def test_tmx_html_tsv(tmp_path: Path) -> None:
    from lxml import etree

    zh = write(tmp_path / "zh.txt", ['<script>alert("x")</script>网络\x01安全。', ZH[3], ""])
    en = write(tmp_path / "en.txt", ['<script>alert("x")</script>Cyber\x01security.', EN[3], EN[4]])
    tmx, html, tsv = tmp_path / "o.tmx", tmp_path / "o.html", tmp_path / "o.tsv"
    r = run(["align", zh, en, "--presplit", "--tmx", tmx, "--html", html, "--tsv", tsv, "--json"])
    assert r.exit_code == 0, r.output
    assert set(json.loads(r.stdout)["outputs"]) == {"tmx", "html", "tsv"}
    doc = etree.parse(str(tmx), etree.XMLParser(resolve_entities=False, no_network=True))
    assert etree.DTD(str(DTD)).validate(doc)
    segs = [[s.text for s in tu.iter("seg")] for tu in doc.iter("tu")]
    assert segs[1] == [ZH[3], EN[3] + " " + EN[4]]
    page = html.read_text(encoding="utf-8")
    assert page.count("<script") == 1 and "&lt;script&gt;" in page  # only the page's own script and "\x01" not in page
    assert "<link" not in page and 'src="' not in page  # self-contained
    assert re.search(r'<td class="c">\d\.\d\d</td>', page)
    assert 'class="bead gap"' in page  # the blank Chinese line is unaligned
    rows = tsv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "zh\ten\tscore" and all(len(r.split("\t")) == 3 for r in rows)
    assert "\x01" not in tsv.read_text(encoding="utf-8")


def test_help_has_examples() -> None:
    for cmd in ("align", "eval-align"):
        r = run([cmd, "--help"])
        assert r.exit_code == 0 and "Examples:" in r.output


def test_eval_align_missing_extra_mismatched(tmp_path: Path) -> None:
    gold, auto = tmp_path / "gold", tmp_path / "auto"
    gold.mkdir()
    auto.mkdir()
    write_beads(gold / "a.align", [((0, 1), (0,)), ((2,), (1, 2)), ((3,), ())])
    write_beads(gold / "b.align", [((0,), (0,))])
    write_beads(auto / "a.align", [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))])
    write_beads(auto / "z.align", [((0,), (0,))])
    r = run(["eval-align", gold, auto, "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["pooled"] == {"precision": 0.3333, "recall": 0.25, "f1": 0.2857,
                           "matched": 1, "predicted": 3, "gold": 4}
    assert d["files"]["a.align"]["matched"] == 1 and d["files"]["b.align"]["predicted"] == 0
    assert d["missing"] == ["b.align"] and d["extra"] == ["z.align"] and d["warnings"] == []
    assert "b.align" in r.stderr and "z.align" in r.stderr
    r = run(["eval-align", gold, auto])
    assert r.exit_code == 0 and re.search(r"pooled\s+0\.3333\s+0\.2500\s+0\.2857", r.stdout)
    # a file aligning other texts is scored but flagged
    write_beads(auto / "b.align", [((0,), (0,)), ((1,), (1,))])
    r = run(["eval-align", gold, auto, "--json"])
    assert r.exit_code == 0 and len(json.loads(r.stdout)["warnings"]) == 1
    # no automatic file matching any gold file: an error, not F1 0
    other = tmp_path / "other"
    other.mkdir()
    write_beads(other / "x.align", [((0,), (0,))])
    r = run(["eval-align", gold, other])
    assert r.exit_code == 1 and "x.align" in r.stderr and "Traceback" not in r.output
    (auto / "a.align").write_text("[0]:[0]\nnot a bead\n", encoding="utf-8")
    r = run(["eval-align", gold, auto])
    assert r.exit_code == 1 and "a.align:2" in r.stderr
    assert run(["eval-align", tmp_path / "nope", auto]).exit_code == 1


def test_output_paths_refused_before_writing(tmp_path: Path) -> None:
    zh, en = write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", EN)
    before = zh.read_bytes()
    for extra in (["--beads", zh], ["--tsv", en], ["--beads", tmp_path / "o", "--tmx", tmp_path / "o"],
                  ["--html", ""]):
        r = run(["align", zh, en, "--presplit", *extra])
        assert r.exit_code == 2, (extra, r.output)
    assert zh.read_bytes() == before and not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    "zh_blanks, en_blanks",
    [((), (4,)), ((0, 5), (0, 4, 7)), ((2, 3), (1, 2, 5, 6)), ((5,), ())],
)
def test_blank_lines_inside_beads_keep_order(tmp_path: Path, zh_blanks: tuple, en_blanks: tuple) -> None:
    zh, en = list(ZH), list(EN)
    for k in zh_blanks:
        zh.insert(k, "")
    for k in en_blanks:
        en.insert(k, "")
    out = tmp_path / "o.align"
    r = run(["align", write(tmp_path / "zh.txt", zh), write(tmp_path / "en.txt", en),
             "--presplit", "--beads", out, "--tsv", tmp_path / "o.tsv"])
    assert r.exit_code == 0, r.output
    beads = beads_ok(out, len(zh), len(en))  # contiguous runs, every line once, in order
    for src, tgt in beads:
        assert list(src) == list(range(src[0], src[-1] + 1)) if src else True
        assert list(tgt) == list(range(tgt[0], tgt[-1] + 1)) if tgt else True
    last = [b for b in beads if b[0] and b[1]][-1]
    assert [en[k] for k in last[1] if en[k]] == EN[3:]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_output_to_a_fifo_keeps_the_fifo(tmp_path: Path) -> None:
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    r = run(["align", write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", EN),
             "--presplit", "--beads", fifo])
    reader.join(timeout=20)
    assert r.exit_code == 0, r.output
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # not replaced by a regular file
    assert got and got[0].decode().splitlines()[0] == "[0]:[0]"


def test_dash_output_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    zh, en = write(tmp_path / "zh.txt", ZH), write(tmp_path / "en.txt", EN)
    r = run(["align", zh, en, "--presplit", "--tsv", "-", "-q"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "zh\ten\tscore"
    assert len(r.stdout.splitlines()) == 5 and not (tmp_path / "-").exists()
    assert run(["align", zh, en, "--presplit", "--tsv", "-", "--json"]).exit_code == 2


def test_json_and_omissions_list_unaligned_sentences(tmp_path: Path) -> None:
    """An English sentence with no Chinese counterpart is reported with its text, in the JSON
    and in the reviewer's list printed by --omissions."""
    zh = ["国家网信办发布了数据出境安全评估办法。", "该办法自九月一日起施行。",
          "企业应当在数据出境前申报安全评估。", "专家认为这将保护个人信息安全。"]
    en = ["The Cyberspace Administration of China issued measures for data export security assessment.",
          "The measures take effect on September 1.",
          "My grandmother grew tomatoes, beans and sunflowers in her small garden by the river every summer.",
          "Companies shall apply for a security assessment before exporting data.",
          "Experts believe this will protect personal information security."]
    zp, ep = tmp_path / "zh.txt", tmp_path / "en.txt"
    zp.write_text("\n".join(zh) + "\n", encoding="utf-8")
    ep.write_text("\n".join(en) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["align", str(zp), str(ep), "--presplit", "--json"])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["unaligned_en"] == [{"line": 2, "text": en[2]}]
    assert s["unaligned_counts"] == {"zh": 0, "en": 1}
    res = CliRunner().invoke(cli, ["align", str(zp), str(ep), "--presplit", "--omissions", "-q"])
    assert res.exit_code == 0, res.output
    assert "English sentences with no Chinese" in res.stdout and f"[2] {en[2]}" in res.stdout
