"""``bitext batch translate|align`` and corpus-mode ``bitext align``: journal, resume,
failures, process pool and Ray give the same TMX text as single runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.batch import align_batch, translate_batch
from bitext.cli.main import cli
from bitext.readers.tmx import iter_units

SENTENCES = [
    "网络安全法规定了数据保护的要求。",
    "个人信息应当受到保护。",
    "国家网信部门负责统筹协调网络安全工作。",
    "关键信息基础设施的运营者应当履行安全保护义务。",
    "网络运营者应当制定网络安全事件应急预案。",
    "任何个人和组织不得窃取个人信息。",
]


def _corpus(root: Path, n: int = 40) -> Path:
    """``n - 1`` short documents (Markdown at the top, HTML in a subfolder) and one
    binary file named ``.md``."""
    src = root / "src"
    (src / "sub").mkdir(parents=True)
    for i in range(n - 1):
        a, b = SENTENCES[i % 6], SENTENCES[(i + 2) % 6]
        if i % 4 == 3:
            (src / "sub" / f"page{i:02d}.html").write_text(
                f"<html><body><h1>第{i}号通知</h1><p>{a}{b}</p></body></html>", encoding="utf-8")
        else:
            (src / f"doc{i:02d}.md").write_text(f"# 第{i}号通知\n\n{a}{b}\n\n- `code {i}`\n",
                                                encoding="utf-8")
    (src / "broken.md").write_bytes(bytes(range(256)) * 8)
    return src


def _segments(tmx: Path) -> list[tuple[str | None, str | None]]:
    return [(u.text("zh"), u.text("en")) for u in iter_units(tmx)]


def _texts(out: Path) -> dict[str, list[tuple[str | None, str | None]]]:
    return {p.relative_to(out).as_posix(): _segments(p) for p in sorted(out.rglob("*.tmx"))}


def _run(*args: str) -> tuple[int, dict]:
    r = CliRunner().invoke(cli, list(args))
    data = json.loads(r.stdout) if "--json" in args and r.stdout.strip() else {}
    return r.exit_code, data


@pytest.fixture(scope="module")
def pool_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict]:
    """The corpus translated with ``--workers 2`` (process pool)."""
    root = tmp_path_factory.mktemp("batch")
    src = _corpus(root)
    out = root / "out-pool"
    code, data = _run("batch", "translate", str(src), "-o", str(out), "--workers", "2",
                      "--engine", "gloss", "--json", "--corpus-tmx", str(root / "all.tmx"))
    assert code == 1, data  # one document failed
    return src, out, data


def test_pool_done_failed_and_outputs(pool_run: tuple[Path, Path, dict]) -> None:
    src, out, data = pool_run
    assert {"done", "skipped", "failed", "failures", "seconds", "segments_per_s"} <= set(data)
    assert (data["done"], data["skipped"], data["failed"]) == (39, 0, 1)
    assert data["failures"][0]["path"] == str(src / "broken.md")
    assert "binary" in data["failures"][0]["reason"] and "\n" not in data["failures"][0]["reason"]
    tmx = sorted(out.rglob("*.tmx"))
    assert len(tmx) == 39
    assert (out / "sub" / "page03.tmx").is_file() and (out / "sub" / "page03.en.html").is_file()
    assert (out / "doc00.html").is_file() and (out / "doc00.en.md").is_file()
    assert (out / ".bitext-batch.sqlite").is_file()
    # the corpus TMX holds every document's units, merged once
    corpus = list(iter_units(out.parent / "all.tmx"))
    assert len(corpus) == sum(len(_segments(p)) for p in tmx) == data["segments"]
    assert corpus[0].tuid.startswith("doc00.md#")


def test_rerun_skips_everything_done(pool_run: tuple[Path, Path, dict]) -> None:
    src, out, _ = pool_run
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.suffix != ".sqlite"
              and not p.name.startswith(".")}
    code, data = _run("batch", "translate", str(src), "-o", str(out), "--workers", "2",
                      "--engine", "gloss", "--json")
    assert code == 1
    assert (data["done"], data["skipped"], data["failed"]) == (0, 39, 1)
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # nothing rewritten


def test_one_worker_and_single_runs_give_the_same_text(pool_run: tuple[Path, Path, dict],
                                                       tmp_path: Path) -> None:
    src, out, _ = pool_run
    out1 = tmp_path / "out1"
    code, data = _run("batch", "translate", str(src), "-o", str(out1), "--engine", "gloss", "--json")
    assert code == 1 and data["done"] == 39 and data["backend"] == "in-process"
    assert _texts(out1) == _texts(out)
    single = tmp_path / "single"
    r = CliRunner().invoke(cli, ["translate", str(src / "sub" / "page03.html"), "-o", str(single),
                                 "--engine", "gloss", "-q"])
    assert r.exit_code == 0, r.output
    assert _segments(single / "page03.tmx") == _segments(out / "sub" / "page03.tmx")
    assert (single / "page03.en.html").read_bytes() == (out / "sub" / "page03.en.html").read_bytes()


def test_changed_input_redone_and_killed_run_resumes(tmp_path: Path) -> None:
    src = _corpus(tmp_path, n=8)
    out = tmp_path / "out"
    seen: list[str] = []

    def stop_after_three(job, outcome) -> None:
        seen.append(job.key)
        if len(seen) == 3:
            raise KeyboardInterrupt  # the run is killed after three documents

    with pytest.raises(KeyboardInterrupt):
        translate_batch(src, out, engine="gloss", progress=stop_after_three)
    r = translate_batch(src, out, engine="gloss")
    assert (r.done, r.skipped, r.failed) == (5, 2, 1)  # broken.md came first: retried
    doc = src / "doc01.md"
    doc.write_text("# 新的\n\n个人信息应当受到保护。\n", encoding="utf-8")
    os.utime(doc, ns=(doc.stat().st_atime_ns, doc.stat().st_mtime_ns + 10**9))
    r = translate_batch(src, out, engine="gloss")
    assert (r.done, r.skipped, r.failed) == (1, 6, 1)
    assert "新" in "".join(s for s, _ in _segments(out / "doc01.tmx"))
    (out / "doc02.html").unlink()  # a deleted output is written again
    r = translate_batch(src, out, engine="gloss", default_glossaries=False)
    assert r.done == 7  # other settings: everything again


def test_manifest_with_missing_file(tmp_path: Path) -> None:
    _corpus(tmp_path, n=4)
    man = tmp_path / "list.txt"
    man.write_text("# inputs\nsrc/doc00.md\nsrc/doc01.md\n\nsrc/nope.md\n", encoding="utf-8")
    code, data = _run("batch", "translate", str(man), "-o", str(tmp_path / "o"), "--json",
                      "--engine", "gloss")
    assert code == 1 and data["done"] == 2 and data["failed"] == 1
    assert data["failures"][0]["path"].endswith("nope.md")
    assert (tmp_path / "o" / "doc00.tmx").is_file()


def test_tm_update_once_at_the_end(tiny_argos: Path, tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    for i in range(3):
        (src / f"d{i}.txt").write_text(SENTENCES[i] + "\n", encoding="utf-8")
    tm = tmp_path / "tm.sqlite"
    r = translate_batch(src, tmp_path / "out", engine="argos", tm=tm, tm_update=True)
    assert r.done == 3 and r.tm is not None and r.tm["added"] == 3
    from bitext.tm import TranslationMemory

    with TranslationMemory(tm, create=False) as mem:
        assert mem.lookup_exact(SENTENCES[1]) == _segments(tmp_path / "out" / "d1.tmx")[0][1]


def test_ray_local_same_text_as_pool(pool_run: tuple[Path, Path, dict], tmp_path: Path) -> None:
    pytest.importorskip("ray", reason="ray is not installed (pip install 'bitext[ray]')")
    src, out, _ = pool_run
    out_ray = tmp_path / "out-ray"
    code, data = _run("batch", "translate", str(src), "-o", str(out_ray), "--workers", "2",
                      "--engine", "gloss", "--ray", "local", "--json")
    assert code == 1 and (data["done"], data["failed"]) == (39, 1), data
    assert data["backend"] == "ray:local"
    assert _texts(out_ray) == _texts(out)


def _pairs(root: Path) -> tuple[Path, Path]:
    zh, en = root / "zh", root / "en"
    (zh / "a").mkdir(parents=True)
    (en / "a").mkdir(parents=True)
    texts = {
        "001": (["网络安全法规定了数据保护的要求。", "个人信息应当受到保护。"],
                ["The Cybersecurity Law sets requirements for data protection.",
                 "Personal information shall be protected."]),
        "a/002": (["国家网信部门负责统筹协调网络安全工作。", "", "任何个人和组织不得窃取个人信息。"],
                  ["The national cyberspace department coordinates cybersecurity work.", "",
                   "No individual or organization may steal personal information."]),
    }
    for key, (z, e) in texts.items():
        (zh / f"{key}.zh").write_text("\n".join(z) + "\n", encoding="utf-8")
        (en / f"{key}.en").write_text("\n".join(e) + "\n", encoding="utf-8")
    return zh, en


def test_corpus_mode_align_matches_single_runs(tmp_path: Path) -> None:
    zh, en = _pairs(tmp_path)
    beads = tmp_path / "beads"
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--beads", str(beads),
                                 "--tmx", str(tmp_path / "c.tmx"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["pairs"] == 2
    for key in ("001", "a/002"):
        single = tmp_path / "single.align"
        r1 = CliRunner().invoke(cli, ["align", str(zh / f"{key}.zh"), str(en / f"{key}.en"),
                                      "--presplit", "--beads", str(single)])
        assert r1.exit_code == 0, r1.output
        assert (beads / f"{key}.align").read_text() == single.read_text()
    units = list(iter_units(tmp_path / "c.tmx"))
    assert [u.tuid for u in units][:2] == ["001#b1", "001#b2"]
    # unmatched names: a clear error naming them, nothing written
    (en / "003.en").write_text("x\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--beads",
                                 str(tmp_path / "b2")])
    assert r.exit_code == 1 and "only in" in r.output and "003.en" in r.output
    assert not (tmp_path / "b2").exists()
    r = CliRunner().invoke(cli, ["align", str(zh), str(en / "003.en"), "--beads", str(beads)])
    assert r.exit_code == 2


def test_batch_align_folders_and_manifest(tmp_path: Path) -> None:
    zh, en = _pairs(tmp_path)
    out = tmp_path / "out"
    r = align_batch(zh, en, out, presplit=True, corpus_tmx=tmp_path / "all.tmx", workers=1)
    assert (r.done, r.failed) == (2, 0)
    corpus = tmp_path / "corpus"
    CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--beads", str(corpus)])
    assert (out / "a" / "002.align").read_text() == (corpus / "a" / "002.align").read_text()
    assert (out / "001.tmx").is_file()
    man = tmp_path / "pairs.tsv"
    man.write_text(f"{zh / '001.zh'}\t{en / '001.en'}\n{zh / 'a/002.zh'}\t{tmp_path / 'gone.en'}\n",
                   encoding="utf-8")
    code, data = _run("batch", "align", str(man), "-o", str(tmp_path / "m"), "--presplit", "--json")
    assert code == 1 and (data["done"], data["failed"]) == (1, 1)
    assert "gone.en" in data["failures"][0]["path"]
    code, data = _run("batch", "align", str(man), "-o", str(tmp_path / "m"), "--presplit", "--json")
    assert (data["done"], data["skipped"], data["failed"]) == (0, 1, 1)


def test_ray_actor_count_fits_the_cluster() -> None:
    from bitext.batch.ray import _fit
    from bitext.errors import BitextError

    assert _fit({"CPU": 8.0}, 4, 0) == 4
    assert _fit({"CPU": 2.0}, 4, 0) == 2  # an actor that cannot be placed would wait forever
    assert _fit({"CPU": 16.0, "GPU": 2.0}, 4, 1) == 2
    with pytest.raises(BitextError, match="no GPU"):
        _fit({"CPU": 16.0}, 4, 1)


def test_batch_align_without_embeddings_matches_corpus_mode(tmp_path: Path) -> None:
    zh, en = _pairs(tmp_path)
    code, data = _run("batch", "align", str(zh), str(en), "-o", str(tmp_path / "out"),
                      "--presplit", "--no-embeddings", "--json")
    assert code == 0 and data["done"] == 2
    corpus = tmp_path / "corpus"
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--presplit", "--beads", str(corpus),
                                 "--no-embeddings"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out" / "a" / "002.align").read_text() == (corpus / "a" / "002.align").read_text()
    tmx = (tmp_path / "out" / "001.tmx").read_text(encoding="utf-8")
    assert "length+lexicon" in tmx and "embeddings" not in tmx
