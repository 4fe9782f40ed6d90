"""Text outside translation is never changed: paths, comments and other non-Chinese runs
survive segmentation, align and the writers byte for byte."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bitext import readers, writers
from bitext.cli.main import cli
from bitext.engines.gloss import GlossEngine
from bitext.pipeline import translate_document
from bitext.segment.en import split_sentences as split_en
from bitext.segment.zh import split_sentences as split_zh

PUNCT_RUNS = st.text(alphabet=string.punctuation + " ", min_size=1, max_size=12)
WORDS = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)


def _squeeze(s: str) -> str:
    return "".join(s.split())


@settings(max_examples=150, deadline=None)
@given(run=PUNCT_RUNS, word=WORDS)
def test_zh_segmentation_keeps_every_character(run: str, word: str) -> None:
    text = f"请参阅{run}{word}{run}了解详情。下一句{run}"
    parts = split_zh(text)
    assert _squeeze("".join(parts)) == _squeeze(text)
    assert all(p and p in text for p in parts)


@settings(max_examples=100, deadline=None)
@given(run=PUNCT_RUNS, word=WORDS)
def test_en_segmentation_keeps_every_character(run: str, word: str) -> None:
    text = f"Please refer to {run}{word}{run} for details. Next sentence{run}"
    parts = split_en(text)
    assert _squeeze("".join(parts)) == _squeeze(text)
    assert all(p in text for p in parts)


@pytest.mark.parametrize("path", ["../docs/guide.md", "./a/b.txt", "..\\win\\x.md", "~/.config/x"])
def test_paths_are_not_sentence_ends(path: str) -> None:
    assert split_zh(f"请参阅{path}了解详情。") == [f"请参阅{path}了解详情。"]
    assert split_en(f"Please refer to {path} for details.") == [f"Please refer to {path} for details."]


def test_align_keeps_relative_paths(tmp_path: Path) -> None:
    zh, en, tmx = tmp_path / "zh.txt", tmp_path / "en.txt", tmp_path / "a.tmx"
    zh.write_text("请参阅../docs/guide.md了解详情。\n安装完成后重启。\n", encoding="utf-8")
    en.write_text("Please refer to ../docs/guide.md for details.\nRestart after installing.\n",
                  encoding="utf-8")
    r = CliRunner().invoke(cli, ["align", str(zh), str(en), "--tmx", str(tmx), "--json"])
    assert r.exit_code == 0, r.output
    body = tmx.read_text(encoding="utf-8")
    assert "Please refer to ../docs/guide.md for details." in body
    assert ". ./" not in body
    assert json.loads(r.stdout)


@pytest.fixture(scope="module")
def gloss() -> GlossEngine:
    return GlossEngine()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(run=st.text(alphabet=string.punctuation + " ", min_size=1, max_size=20).filter(str.strip))
def test_txt_writer_keeps_non_chinese_lines(gloss: GlossEngine, tmp_path: Path, run: str) -> None:
    src = tmp_path / "in.txt"
    line = run.strip()
    src.write_text(f"你好。\n\n<!-- INFO END -->\n\n{line}\n\n再见。\n", encoding="utf-8")
    doc = readers.read(src, "txt")
    out = tmp_path / "out.txt"
    writers.write_document(out, translate_document(doc, gloss, None))
    lines = out.read_text(encoding="utf-8").split("\n")
    assert "<!-- INFO END -->" in lines
    assert line in lines
