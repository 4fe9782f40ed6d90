"""Shared test helpers: a deterministic engine for writer and pipeline tests.

Product code never uses it; tests of the real engines use the tiny model (conftest.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import regex

from bitext.engines.base import Engine, Translation

HAN = regex.compile(r"\p{Han}+")


class HanEngine(Engine):
    """Deterministic test engine: Han runs become ``zh``, ``drop`` strings are removed.

    A sentence containing 未译 ("untranslated") is returned as it is, to plant QA errors.
    Class attributes let a test module adjust it: ``spaced`` (``" zh "`` and collapsed
    spaces, or a bare ``zh``), ``score`` and ``sig`` (the signature).
    """

    name = "hantest"
    spaced = True
    score: float | None = None
    sig = "hantest:model-7"

    def __init__(self, drop: Sequence[str] = (), prefix_ok: bool = False):
        self.drop = tuple(drop)
        self.supports_prefix = prefix_ok

    def translate_batch(self, texts, *, target_prefixes=None, return_attention=False, context=None):
        out = []
        for i, t in enumerate(texts):
            s = t if "未译" in t else HAN.sub(" zh " if self.spaced else "zh", t)
            for d in self.drop:
                s = s.replace(d, "")
            prefix = target_prefixes[i] if target_prefixes else None
            if prefix:
                s = prefix + " " + s
            if self.spaced:
                s = regex.sub(" {2,}", " ", s)
            out.append(Translation(s.strip(" "), score=self.score))
        return out

    def signature(self) -> str:
        return self.sig


class DictMemory:
    """Minimal in-test translation memory with the pipeline's lookup interface."""

    def __init__(self, exact: dict[str, str], fuzzy: dict[str, list]):
        self.exact, self.fuzzy = exact, fuzzy

    def is_gist(self, text: str) -> bool:

        return False


    def lookup_exact(self, text: str) -> str | None:
        return self.exact.get(text)

    def lookup_fuzzy(self, text: str, threshold: float) -> list:
        return [f for f in self.fuzzy.get(text, []) if f[0] >= threshold]


def assert_kept_once(source: str, output: str, pieces: Sequence[str]) -> None:
    """Every piece the user did not ask to translate comes back as often as the source has
    it, and no Chinese is left outside those pieces (the random-document tests)."""
    for piece in pieces:
        assert output.count(piece) == source.count(piece), (piece, source, output)
    rest = output
    for piece in pieces:
        rest = rest.replace(piece, "")
    assert not HAN.search(rest), (source, output)
