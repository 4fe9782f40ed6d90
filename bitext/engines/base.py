"""The engine interface: a batch of source sentences in, one ``Translation`` each out.

Engines load their model once (in ``__init__`` or lazily on first use), batch by
tokens, and return per-sentence results. ``signature()`` identifies engine, model and
options for output headers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Translation:
    """One engine result.

    Attributes:
        text: the English output.
        score: log-probability or similar, when the engine has one.
        attention: per target token, the attention over source tokens (only when asked);
            rows may be compact float arrays (``array('f')``), indexable like tuples.
        source_tokens: the source tokens the attention refers to.
        target_tokens: the target tokens the attention refers to.
    """

    text: str
    score: float | None = None
    attention: tuple[Sequence[float], ...] | None = None
    source_tokens: tuple[str, ...] | None = None
    target_tokens: tuple[str, ...] | None = None


class Engine(ABC):
    """Base class of every translation engine.

    Attributes:
        name: registry name (``gloss``, ``argos``, ``ct2``).
        is_gist: True for word-by-word gists (outputs label them as such).
        supports_prefix: True when ``translate_batch`` honours ``target_prefixes``
            (used by term repair).
        native_glossary: True when the engine places glossary targets itself
            (``set_glossary`` is called before translating).
        progress: when set (by the pipeline), engines that batch internally call it with
            the number of sentences each sub-batch finished, so a progress bar moves
            while one large call runs.
    """

    name: str = "engine"
    is_gist: bool = False
    supports_prefix: bool = False
    native_glossary: bool = False
    progress: Callable[[int], None] | None = None

    @abstractmethod
    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_prefixes: Sequence[str | None] | None = None,
        return_attention: bool = False,
    ) -> list[Translation]:
        """Translate ``texts``; exactly one ``Translation`` per input, in order."""

    @abstractmethod
    def signature(self) -> str:
        """Engine, model id and decoding options, e.g. ``argos:zh-en-1.9;beam=2;int8``."""

    def set_glossary(self, glossary: object) -> None:  # pragma: no cover - default no-op
        """Give the engine the glossary (only engines with ``native_glossary`` use it)."""
