"""Term enforcement logic (protect → translate → verify → repair → flag) with a
deterministic scripted engine defined here (unit tests only; the real engine path is in
test_argos_engine.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
import regex

from bitext.engines.base import Engine, Translation
from bitext.terms.enforce import (
    _cut_point,
    enforce_batch,
    missing_hits,
    protect,
    protected_spans,
    repair_missing,
)
from bitext.terms.glossary import Glossary, GlossaryEntry

GLOSSARY = Glossary([
    GlossaryEntry("国家网信办", "Cyberspace Administration of China"),
    GlossaryEntry("网信办", "CAC"),
    GlossaryEntry("网络安全法", "Cybersecurity Law"),
    GlossaryEntry("数据安全", "data security"),
])


def source_tokens(text: str) -> list[str]:
    """Latin words as ``▁word`` pieces, everything else one character per token."""
    return ["\u2581" + t if t[0].isascii() and t[0].isalnum() else t
            for t in regex.findall(r"[A-Za-z0-9][A-Za-z0-9-]*|\S", text)]


class ScriptedEngine(Engine):
    """Returns scripted outputs; target word i attends only to source token ``align[i]``.

    With a target prefix it returns ``prefix + " " + tail`` (the tail is scripted too).
    """

    name = "scripted"

    def __init__(self, script: dict[str, tuple[str, list[int]]], *, prefix: bool = True,
                 attention: bool = True, tail: str = "."):
        self.script = script
        self.supports_prefix = prefix
        self.attention = attention
        self.tail = tail
        self.calls: list[tuple[list[str], list[str | None] | None]] = []

    def signature(self) -> str:
        return "scripted"

    def translate_batch(self, texts: Sequence[str], *, target_prefixes: Sequence[str | None] | None = None,
                        return_attention: bool = False, context: object = None) -> list[Translation]:
        self.calls.append((list(texts), list(target_prefixes) if target_prefixes is not None else None))
        out = []
        for i, t in enumerate(texts):
            prefix = target_prefixes[i] if target_prefixes is not None else None
            if prefix:
                out.append(Translation(f"{prefix} {self.tail}".strip(), -2.0))
                continue
            text, align = self.script[t]
            if not (return_attention and self.attention):
                out.append(Translation(text, -1.0))
                continue
            stoks = source_tokens(t)
            words = text.split()
            rows = tuple(tuple(1.0 if j == align[w] else 0.0 for j in range(len(stoks))) for w in range(len(words)))
            out.append(Translation(text, -1.0, rows, tuple(stoks), tuple("\u2581" + w for w in words)))
        return out


SRC = "国家网信办发布了网络安全法。"
PROT = "Cyberspace Administration of China发布了Cybersecurity Law。"
# source tokens of PROT: 0 Cyberspace 1 Administration 2 of 3 China 4 发 5 布 6 了 7 Cybersecurity 8 Law 9 。
FREE = ("Cyberspace Administration of China released the cyber law .", [0, 1, 2, 3, 4, 6, 7, 8, 9])


def test_protect_and_spans_refer_to_the_protected_text() -> None:
    hits = GLOSSARY.match(SRC)
    assert [(h.start, h.end) for h in hits] == [(0, 5), (8, 13)]
    assert protect(SRC, hits) == PROT
    spans = protected_spans(PROT, hits)
    assert [PROT[a:b] for a, b in spans] == ["Cyberspace Administration of China", "Cybersecurity Law"]  # type: ignore[misc]
    assert spans[1] != (8, 13)  # source offsets would point into "Administration"


def test_repair_cuts_where_attention_points_and_forces_the_term() -> None:
    eng = ScriptedEngine({PROT: FREE})
    [res] = enforce_batch(eng, [SRC], GLOSSARY)
    assert len(eng.calls) == 2  # one translation, one repair round
    texts, prefixes = eng.calls[1]
    assert texts == [PROT]  # the repair re-decodes the protected text
    assert prefixes == ["Cyberspace Administration of China released the Cybersecurity Law"]
    assert res.text == "Cyberspace Administration of China released the Cybersecurity Law ."
    assert [h.entry.target for h in res.repaired] == ["Cybersecurity Law"]
    assert res.violations == ()
    assert len(res.hits) == 2


def test_engine_without_prefix_support_flags_the_term() -> None:
    eng = ScriptedEngine({PROT: FREE}, prefix=False)
    [res] = enforce_batch(eng, [SRC], GLOSSARY)
    assert len(eng.calls) == 1
    assert res.text == FREE[0]
    assert res.repaired == ()
    assert [h.entry.target for h in res.violations] == ["Cybersecurity Law"]


def test_without_attention_the_cut_is_proportional_and_on_a_word_start() -> None:
    eng = ScriptedEngine({PROT: FREE}, attention=False)
    [res] = enforce_batch(eng, [SRC], GLOSSARY)
    prefix = eng.calls[1][1][0]  # type: ignore[index]
    assert prefix.endswith(" Cybersecurity Law")
    head = prefix[: -len(" Cybersecurity Law")]
    assert FREE[0].startswith(head + " ")  # cut at a word boundary of the output
    assert res.violations == ()


def test_two_missing_terms_are_repaired_in_order() -> None:
    src = "网信办要求加强数据安全。"
    prot = protect(src, GLOSSARY.match(src))
    assert prot == "CAC要求加强data security。"
    # tokens: 0 CAC 1 要 2 求 3 加 4 强 5 data 6 security 7 。
    eng = ScriptedEngine({prot: ("The office demands stronger protection .", [0, 0, 1, 3, 5, 7])})
    [res] = enforce_batch(eng, [src], GLOSSARY)
    assert res.violations == ()
    assert {h.entry.target for h in res.repaired} == {"CAC", "data security"}
    first, second = eng.calls[1][1][0], eng.calls[2][1][0]  # type: ignore[index]
    assert first == "CAC"  # "The" attends to CAC: the term goes first
    assert second.startswith("CAC") and second.endswith("data security")


def test_repairs_of_many_sentences_share_one_engine_call() -> None:
    srcs = [SRC, "网信办发布了网络安全法。", "我们重视数据安全。"]
    prots = [protect(s, GLOSSARY.match(s)) for s in srcs]
    script = {
        prots[0]: FREE,
        prots[1]: ("The CAC released the law .", [0, 0, 1, 3, 4, 7]),
        prots[2]: ("We value security .", [0, 1, 3, 5]),
    }
    eng = ScriptedEngine(script)
    results = enforce_batch(eng, srcs, GLOSSARY)
    assert len(eng.calls) == 2
    assert len(eng.calls[1][0]) == 3
    assert all(r.violations == () for r in results)
    assert [len(r.repaired) for r in results] == [1, 1, 1]


def test_repeated_term_needs_each_occurrence() -> None:
    src = "网信办说，网信办将发布规定。"
    prot = protect(src, GLOSSARY.match(src))
    eng = ScriptedEngine({prot: ("The CAC said the office will issue rules .", [0, 0, 1, 3, 5, 6, 6, 8, 9])},
                         tail="will issue rules .")
    [res] = enforce_batch(eng, [src], GLOSSARY)
    assert len(res.hits) == 2
    assert res.text.count("CAC") == 2
    assert len(res.repaired) == 1 and res.violations == ()


def test_nothing_missing_means_no_repair_call() -> None:
    src = "网信办发布了网络安全法。"
    prot = protect(src, GLOSSARY.match(src))
    eng = ScriptedEngine({prot: ("The CAC released the Cybersecurity Law .", [0, 0, 1, 3, 4, 4, 6])})
    [res] = enforce_batch(eng, [src], GLOSSARY)
    assert len(eng.calls) == 1
    assert res.repaired == () and res.violations == ()


def test_repair_missing_public_helper() -> None:
    eng = ScriptedEngine({PROT: FREE})
    hits = GLOSSARY.match(SRC)
    out = eng.translate_batch([PROT], return_attention=True)[0]
    text, score = repair_missing(eng, SRC, PROT, out, [hits[1]], hits=hits)
    assert text.startswith("Cyberspace Administration of China released the Cybersecurity Law")
    assert score == -2.0


def test_a_term_traded_away_by_a_repair_is_forced_again() -> None:
    # With a prefix the scripted engine writes nothing after it: forcing "data security"
    # at the start loses "CAC", which is then queued and forced after the first prefix.
    src = "网信办要求加强数据安全。"
    prot = protect(src, GLOSSARY.match(src))
    free = "The CAC demands stronger protection ."
    eng = ScriptedEngine({prot: (free, [5, 0, 1, 3, 4, 7])}, tail="")  # "The" attends to "data"
    hits = GLOSSARY.match(src)
    out = eng.translate_batch([prot], return_attention=True)[0]
    text, _ = repair_missing(eng, src, prot, out, [hits[1]], hits=hits)
    assert [c[1] for c in eng.calls[1:]] == [["data security"], ["data security CAC"]]
    assert missing_hits(text, hits) == []


@pytest.mark.parametrize(
    "text,span,align,expected",
    [
        # target word 2 ("law") attends to the span → cut before word 2
        ("the cyber law .", (6, 9), [0, 1, 2, 3], "the cyber "),
        # subword continuation: cut moves back to the word's start
        ("the cyberlaw .", (6, 9), [0, 1, 2, 3], "the "),
    ],
)
def test_cut_point_cases(text: str, span: tuple[int, int], align: list[int], expected: str) -> None:
    prot = "甲乙丙丁戊己庚辛壬癸"
    stoks = tuple(prot)
    if text == "the cyberlaw .":
        ttoks = ("\u2581the", "\u2581cyber", "law", "\u2581.")
    else:
        ttoks = tuple("\u2581" + w for w in text.split())
    # target token 2 attends to the first source token of the span, every other one elsewhere
    rows = tuple(tuple(1.0 if (i == 2 and j == span[0]) or (i != 2 and j == 0) else 0.0
                       for j in range(len(stoks))) for i in range(len(ttoks)))
    out = Translation(text, 0.0, rows, stoks, ttoks)
    assert text[: _cut_point(prot, span, out, text)] == expected


def test_both_occurrences_of_a_repeated_term_are_forced() -> None:
    src = "网信办说，网信办将发布规定。"
    prot = protect(src, GLOSSARY.match(src))
    # tokens: 0 CAC 1 说 2 ， 3 CAC 4 将 5 发 6 布 7 规 8 定 9 。
    # the engine continues a forced prefix with "said ." (an engine that stops right after the
    # prefix could only give "CAC CAC", which repair never writes: see test_term_repair.py)
    eng = ScriptedEngine({prot: ("The office said the office will issue rules .", [0, 0, 1, 3, 3, 4, 5, 7, 9])},
                         tail="said .")
    [res] = enforce_batch(eng, [src], GLOSSARY)
    assert res.violations == ()
    assert res.text.count("CAC") == 2
    assert "CAC CAC" not in res.text
    # the second occurrence is forced after the first one, never before it
    assert eng.calls[-1][1][0].startswith("CAC") and eng.calls[-1][1][0].count("CAC") == 2  # type: ignore[index]
