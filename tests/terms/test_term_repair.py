"""Term repair never writes the glossary target next to a fragment of itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from bitext.engines.base import Translation
from bitext.terms.enforce import _drop_partial_term, _drop_repeated_term, enforce_batch
from bitext.terms.loading import load_glossaries


def _doubled(text: str, target: str) -> bool:
    """``target`` next to (only spaces or hyphens between) a piece that starts or ends it."""
    t = regex.sub(r"[^\p{L}\p{N}]+", "", target).casefold()
    for m in regex.finditer(regex.escape(target), text, flags=regex.IGNORECASE):
        after = regex.match(r"[\s\-]+([\p{L}\p{N}]+)", text[m.end():])
        before = regex.search(r"([\p{L}\p{N}]+)[\s\-]+$", text[: m.start()])
        if after and len(after.group(1)) >= 3 and t.endswith(after.group(1).casefold()):
            return True
        if before and len(before.group(1)) >= 3 and t.startswith(before.group(1).casefold()):
            return True
    return False


@pytest.mark.parametrize(
    "head, target, expected",
    [("released the Cybersecurity", "cybersecurity", "released the Cybersecurity"),  # whole: kept
     ("released the Cyber", "Cybersecurity Law", "released the"),
     ("the Data Security Law", "Cybersecurity Law", "the Data Security Law"),
     ("the Personal", "Personal Information Protection Law", "the"),
     ("cybersecurity,", "cybersecurity", "cybersecurity,")],
)  # fmt: skip
def test_drop_partial_term(head: str, target: str, expected: str) -> None:
    assert _drop_partial_term(head, target) == expected


@pytest.mark.parametrize(
    "text, prefix, target, expected",
    [("We cybersecurity cybersecurity and more.", "We cybersecurity", "cybersecurity", "We cybersecurity and more."),
     ("The Cybersecurity security work.", "The Cybersecurity", "Cybersecurity", "The Cybersecurity work."),
     ("The Cybersecurity Law Law applies.", "The Cybersecurity Law", "Cybersecurity Law", "The Cybersecurity Law applies."),
     ("The cybersecurity. Cybersecurity matters.", "The cybersecurity", "cybersecurity", "The cybersecurity. Cybersecurity matters."),
     ("The data security risks.", "The data security", "data security", "The data security risks.")],
)  # fmt: skip
def test_drop_repeated_term(text: str, prefix: str, target: str, expected: str) -> None:
    assert _drop_repeated_term(Translation(text, -1.0), prefix, target).text == expected


SOURCES = [  # the tiny model wrote "Cybersecurity cybersecurity" / "cybersecurity cybersecurity" here
    "国家网信部门负责网络安全工作，网络安全是国家安全的重要组成部分。",
    "加强网络安全和网络安全保障。",
    "网络运营者应当保障网络安全，维护网络安全。",
    "网络安全，网络安全，网络安全。",
]


def test_repair_on_the_tiny_model_writes_no_doubled_term(tiny_argos: Path) -> None:
    from bitext.engines.argos import ArgosEngine

    out = enforce_batch(ArgosEngine(), SOURCES, load_glossaries(user=False))
    assert any(e.repaired for e in out)  # the model does miss terms here
    for e in out:
        for h in e.hits:
            assert not _doubled(e.text, h.entry.target), e.text
