"""English sentence splitting (bitext.segment.en, pysbd) as a case table."""

from __future__ import annotations

import pytest

from bitext.segment.en import split_sentences

CASES = [
    ("The CAC issued rules. They take effect in 2024.", ["The CAC issued rules.", "They take effect in 2024."]),
    ("Growth was 3.5% in 2024. Users reached 564 million.", ["Growth was 3.5% in 2024.", "Users reached 564 million."]),
    ("The U.S. and the E.U. disagree. China did not comment.",
     ["The U.S. and the E.U. disagree.", "China did not comment."]),
    ("See e.g. Article 5 of the law. It applies.", ["See e.g. Article 5 of the law.", "It applies."]),
    ("Is it safe? Yes! It is.", ["Is it safe?", "Yes!", "It is."]),
    ("Visit https://www.cac.gov.cn/index.html for details.", ["Visit https://www.cac.gov.cn/index.html for details."]),
    ("Mr. Wang spoke at 9 a.m. on Monday.", ["Mr. Wang spoke at 9 a.m. on Monday."]),
    ("  One sentence without a stop  ", ["One sentence without a stop"]),
    ("", []),
    ("   ", []),
    # pysbd drops punctuation after a sentence's stop: it stays with that sentence
    ("Please refer to it. Next sentence.?!", ["Please refer to it.", "Next sentence.?!"]),
    ("Really.?! And then.", ["Really.?! And then."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_segmenter_is_cached_not_built_at_import() -> None:
    import importlib
    import sys

    sys.modules.pop("bitext.segment.en", None)
    mod = importlib.import_module("bitext.segment.en")
    assert mod._segmenter.cache_info().currsize == 0
    mod.split_sentences("One. Two.")
    mod.split_sentences("Three. Four.")
    info = mod._segmenter.cache_info()
    assert (info.currsize, info.misses) == (1, 1)


def test_fallback_splitter_keeps_every_character() -> None:
    """Where pysbd's pieces are not found in the text, the simple splitter takes over."""
    from bitext.segment.en import _fallback

    text = 'He said "Go." Then he left!  Why? (Nobody knew.) The end'
    parts = _fallback(text)
    assert parts == ['He said "Go."', "Then he left!", "Why?", "(Nobody knew.)", "The end"]
    assert " ".join(parts) == " ".join(text.split())
