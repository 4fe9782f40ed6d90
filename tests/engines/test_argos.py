"""The ``argos`` and ``ct2`` engines on the tiny real model (scripts/make_tiny_model.py):
real CTranslate2 + SentencePiece decoding, options, errors, and glossary enforcement
through ``bitext translate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from bitext.cli.main import cli
from bitext.engines import create_engine, default_engine_name
from bitext.engines.argos import ArgosEngine
from bitext.engines.ct2 import MAX_BATCH_TOKENS, MAX_BATCH_TOKENS_GPU
from bitext.errors import ConfigError, EngineError, EngineUnavailableError
from bitext.terms.enforce import count_target, missing_hits, repair_missing
from bitext.terms.glossary import Glossary, GlossaryEntry

TOP = "translate-zh_en-tiny_0_1"

DOC = """# 网信办发布了网络安全法

网信办发布了关于人工智能的白皮书。专家认为人工智能将快速发展。

我们必须加强数据跨境流动。国家网信办和公安部联合发布了管理办法。

* 企业应当重视个人信息。
* 数据安全法自2021年起施行。

谢谢大家。
"""


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def engine(tiny_argos: Path) -> ArgosEngine:
    return ArgosEngine()


def test_translates_one_result_per_segment_in_order(engine: ArgosEngine) -> None:
    src = ["网信办发布了网络安全法。", "", "谢谢大家。", "   ", "我们必须加强数据跨境流动。" * 3, "网信办发布了网络安全法。"]
    out = engine.translate_batch(src)
    assert len(out) == len(src)
    assert out[1].text == "" and out[3].text == ""
    assert "released" in out[0].text and "CAC" in out[0].text
    assert "Thank you" in out[2].text
    assert out[0] == out[5]  # same input, same output
    assert all(t.score is not None for t in out)
    assert all("<en>" not in t.text for t in out)  # the package's target_prefix is honoured and removed
    assert engine.translate_batch(src) == out  # deterministic


def test_attention_and_tokens(engine: ArgosEngine) -> None:
    [t] = engine.translate_batch(["专家认为人工智能将快速发展。"], return_attention=True)
    assert t.attention and t.source_tokens and t.target_tokens
    assert len(t.attention) == len(t.target_tokens)
    assert all(len(row) == len(t.source_tokens) for row in t.attention)
    assert all(abs(sum(row) - 1.0) < 1e-3 for row in t.attention)
    assert "<en>" not in t.target_tokens


def test_target_prefix_is_honoured(engine: ArgosEngine) -> None:
    prefixes = ["The Cyber Watchdog", None]
    out = engine.translate_batch(["网信办发布了网络安全法。", "网信办发布了网络安全法。"], target_prefixes=prefixes)
    assert out[0].text.startswith("The Cyber Watchdog")
    assert len(out[0].text) > len("The Cyber Watchdog")  # the model continues after the prefix
    assert out[1].text == engine.translate_batch(["网信办发布了网络安全法。"])[0].text


def test_model_loads_once_and_signature(tiny_argos: Path) -> None:
    a, b = ArgosEngine(), create_engine("argos")
    assert a.translator is b.translator
    assert a.signature() == f"argos:{TOP}@0.1;beam=2;int8;cpu"
    c = ArgosEngine(beam_size=4, threads=1)
    assert c.translator is not a.translator  # other options, other instance
    assert c.signature() == f"argos:{TOP}@0.1;beam=4;int8;cpu"
    assert default_engine_name() == "argos"
    # sub-batches: the CPU size by default (a GPU gets MAX_BATCH_TOKENS_GPU), or as asked
    assert a.max_batch_tokens == MAX_BATCH_TOKENS < MAX_BATCH_TOKENS_GPU
    assert ArgosEngine(max_batch_tokens=300).max_batch_tokens == 300


def test_unsupported_compute_type_falls_back(tiny_argos: Path) -> None:
    eng = ArgosEngine(compute_type="float16")  # not available on CPU
    assert "float16" not in eng.signature()
    assert eng.translate_batch(["谢谢大家。"])[0].text


def test_bad_options(tiny_argos: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ArgosEngine(source_spm=tmp_path / "x.model")
    with pytest.raises(ConfigError):
        ArgosEngine(model_dir=tmp_path)  # not a package folder
    with pytest.raises(ConfigError):
        create_engine("ct2")  # needs --model
    with pytest.raises(ConfigError, match="unknown compute type"):
        ArgosEngine(compute_type="bogus")


def test_repair_on_real_output(engine: ArgosEngine) -> None:
    """Unprotected source → the model writes 'white paper'; the glossary wants 'green book'.

    Attention-guided prefix re-decoding must put the glossary target in, with the model
    continuing after it.
    """
    g = Glossary([GlossaryEntry("白皮书", "green book")])
    src = "网信办发布了白皮书。"
    hits = g.match(src)
    [out] = engine.translate_batch([src], return_attention=True)
    assert missing_hits(out.text, hits) == hits
    text, score = repair_missing(engine, src, src, out, hits, hits=hits)
    assert count_target(text, "green book") == 1
    assert text.startswith("The CAC released")  # the part before the term is kept
    assert text.index("green book") < len(text) - len("green book")  # and the model went on after it
    assert score is not None


def test_translate_cli_enforces_every_glossary_occurrence(tiny_argos: Path, tmp_path: Path) -> None:
    doc = tmp_path / "article.md"
    doc.write_text(DOC, encoding="utf-8")
    gl = tmp_path / "g.tsv"
    gl.write_text("source\ttarget\n白皮书\tgreen book\n公安部\tPublic Security Ministry\n个人信息\tpersonal data\n",
                  encoding="utf-8")
    out = tmp_path / "out"
    r = run("translate", doc, "--engine", "argos", "--glossary", gl, "-o", out, "--json")
    assert r.exit_code == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["engine"] == "argos" and summary["signature"].startswith(f"argos:{TOP}@0.1")
    assert summary["is_gist"] is False
    stats = summary["stats"]
    assert stats["term_hits"] >= 8
    assert stats["term_violations"] == 0 and stats["term_success"] == 1.0
    assert sorted(p.name for p in out.iterdir()) == ["article.en.md", "article.html", "article.tmx"]
    english = (out / "article.en.md").read_text(encoding="utf-8")
    for target, n in (("green book", 1), ("Public Security Ministry", 1), ("personal data", 1), ("CAC", 2)):
        assert count_target(english, target) >= n, (target, english)
    assert "<en>" not in english
    # default engine is argos when the package is installed
    r2 = run("translate", doc, "--tmx", tmp_path / "d.tmx", "--json")
    assert r2.exit_code == 0 and json.loads(r2.stdout)["engine"] == "argos"


def test_ct2_engine_with_explicit_files(tiny_packages_dir: Path, tmp_path: Path) -> None:
    pkg = tiny_packages_dir / TOP
    doc = tmp_path / "a.txt"
    doc.write_text("网信办发布了网络安全法。\n", encoding="utf-8")
    r = run("translate", doc, "--engine", "ct2", "--model", pkg / "model", "--source-spm",
            pkg / "sentencepiece.model", "--target-spm", pkg / "sentencepiece.model",
            "--no-default-glossary", "--out", tmp_path / "a.en.txt", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["signature"].startswith("ct2:model;beam=2")
    english = (tmp_path / "a.en.txt").read_text(encoding="utf-8")
    assert "released" in english
    assert "<en>" not in english  # the language tag the model emits first is not text


GLUE_CASES = [
    # (source, forced prefix): the tiny model likes to glue a piece onto the prefix's last word
    ("data factor", "data factor"),
    ("数据要素", "data factor"),
    ("algorithmic recommendation服务提供者应当落实algorithm安全主体责任。",
     "The Ministry algorithmic recommendation of al Information algorithm"),
    ("网信办发布了白皮书。", "The CAC released the green book"),
]


@pytest.mark.parametrize("source,prefix", GLUE_CASES)
def test_forced_prefix_is_not_glued_to(engine: ArgosEngine, source: str, prefix: str) -> None:
    """The continuation after a forced prefix starts a new word, so a forced term stays a word."""
    [t] = engine.translate_batch([source], target_prefixes=[prefix], return_attention=True)
    assert t.text.startswith(prefix)
    rest = t.text[len(prefix):]
    assert not rest[:1].isalnum() or regex_plural(rest), t.text
    assert count_target(t.text, prefix.split()[-1]) >= 1
    assert t.attention is not None and len(t.attention) == len(t.target_tokens or ())


def regex_plural(rest: str) -> bool:
    return rest[:1] == "s" and not rest[1:2].isalnum() or rest[:2] == "es" and not rest[2:3].isalnum()


def test_term_that_the_model_extends_is_enforced(engine: ArgosEngine) -> None:
    from bitext.terms.enforce import enforce_batch

    g = Glossary([GlossaryEntry("数据要素", "data factor"), GlossaryEntry("算法", "algorithm")])
    out = enforce_batch(engine, ["数据要素", "算法推荐服务提供者应当落实算法安全主体责任。"], g)
    assert [e.violations for e in out] == [(), ()], [e.text for e in out]


def _copy_pkg(tiny_packages_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "packages"
    shutil.copytree(tiny_packages_dir, root)
    return root


@pytest.mark.parametrize(
    "case,expected",
    [
        ("none", "no usable zh→en Argos package"),
        ("corrupt-model", "cannot load the CTranslate2 model"),
        ("no-model-bin", "corrupt model folder"),
        ("no-spm", "no SentencePiece model"),
        ("wrong-pair", "no usable zh→en Argos package"),
    ],
)
def test_engine_errors_are_one_line(case: str, expected: str, tiny_packages_dir: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = _copy_pkg(tiny_packages_dir, tmp_path)
    pkg = root / TOP
    if case == "none":
        shutil.rmtree(pkg)
    elif case == "corrupt-model":
        (pkg / "model" / "model.bin").write_bytes(b"\x00garbage" * 10)
    elif case == "no-model-bin":
        (pkg / "model" / "model.bin").unlink()
    elif case == "no-spm":
        (pkg / "sentencepiece.model").unlink()
    elif case == "wrong-pair":
        meta = json.loads((pkg / "metadata.json").read_text())
        meta.update(from_code="en", to_code="zh")
        (pkg / "metadata.json").write_text(json.dumps(meta))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(root))
    doc = tmp_path / "a.txt"
    doc.write_text("谢谢大家。\n", encoding="utf-8")
    r = run("translate", doc, "--engine", "argos", "--tmx", tmp_path / "a.tmx")
    assert r.exit_code == 1
    assert r.stderr.startswith("bitext: error:") and r.stderr.count("\n") == 1, r.stderr
    assert expected in r.stderr
    assert not (tmp_path / "a.tmx").exists()


def test_wrong_pair_package_named_explicitly(tiny_packages_dir: Path, tmp_path: Path) -> None:
    root = _copy_pkg(tiny_packages_dir, tmp_path)
    meta_path = root / TOP / "metadata.json"
    meta = json.loads(meta_path.read_text())
    meta.update(from_code="en", to_code="de")
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(EngineError, match="translates en→de"):
        ArgosEngine(model_dir=root / TOP)


def test_no_package_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "none"))
    with pytest.raises(EngineUnavailableError, match="bitext models install"):
        ArgosEngine()
    assert default_engine_name() == "gloss"


@pytest.mark.parametrize("given,expected", [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_openmp_threads_sleep_unless_the_user_says_otherwise(given: str | None, expected: str) -> None:
    """Busy-waiting OpenMP threads cost ~0.5 s of model load on a busy machine (cold start)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given:
        env["OMP_WAIT_POLICY"] = given
    code = ("import os\nfrom bitext.engines.ct2 import import_ctranslate2\nimport_ctranslate2()\n"
            "print(os.environ['OMP_WAIT_POLICY'])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert r.stdout.strip() == expected


def test_whole_document_batches_with_fine_progress(tiny_argos: Path, tmp_path: Path) -> None:
    """Neural engines get large calls; the progress callback still moves per sub-batch and
    counts every segment exactly once (term-repair calls included)."""
    from bitext import readers
    from bitext.pipeline import translate_document

    doc_path = tmp_path / "long.md"
    doc_path.write_text("\n\n".join([DOC.strip()] * 12) + "\n", encoding="utf-8")
    doc = readers.read(doc_path, "md")
    n = len(doc.segments)
    assert n > 64
    steps: list[int] = []
    eng = ArgosEngine(max_batch_tokens=64)
    g = Glossary([GlossaryEntry("白皮书", "green book"), GlossaryEntry("个人信息", "personal data")])
    tdoc = translate_document(doc, eng, g, progress=steps.append)
    assert sum(steps) == n
    assert len(steps) >= 5 and max(steps) < 32  # sub-batch steps, not 64-segment chunks
    assert not hasattr(eng, "progress")  # progress travels with each call, not on the engine
    assert all(r.target for r in tdoc.results.values())
    assert sum(len(r.term_violations) for r in tdoc.results.values()) == 0


def test_overlong_prefix_and_many_hits_do_not_break(engine: ArgosEngine, caplog: pytest.LogCaptureFixture) -> None:
    """A forced prefix beyond the model's stored positions (1024 here) is ignored instead of
    crashing CTranslate2; a run-together sentence with 600 term hits gets a bounded number
    of repairs, the rest flagged; the truncation warning is logged once."""
    from bitext.terms.enforce import MAX_REPAIRS_PER_SENTENCE, enforce_batch

    [t] = engine.translate_batch(["网信办发布了网络安全法。"], target_prefixes=["The CAC released " * 300])
    assert t.text  # decoded freely
    huge = "网信办发布了网络安全法，" * 300 + "。"
    g = Glossary([GlossaryEntry("网信办", "CAC"), GlossaryEntry("网络安全法", "Cybersecurity Law")])
    with caplog.at_level("WARNING", logger="bitext.engines.ct2"):
        [e] = enforce_batch(engine, [huge], g)
    assert len(e.hits) == 600
    assert len(e.repaired) <= MAX_REPAIRS_PER_SENTENCE
    assert len(e.violations) > 500
    assert sum("only the first" in r.getMessage() for r in caplog.records) == 1
