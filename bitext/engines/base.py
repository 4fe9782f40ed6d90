"""The engine interface: a batch of source sentences in, one ``Translation`` each out.

Engines load their model once (in ``__init__`` or lazily on first use), batch by
tokens, and return per-sentence results. ``signature()`` identifies engine, model and
options for output headers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


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


class Progress(Protocol):
    """Called with the number of items (sentences, segments, units) just finished."""

    def __call__(self, n: int, /) -> None: ...


class TermEntry(Protocol):
    """What an engine may read of a glossary row (``bitext.terms.glossary.GlossaryEntry``)."""

    @property
    def source(self) -> str: ...

    @property
    def target(self) -> str: ...


@dataclass(frozen=True)
class EngineContext:
    """What a caller hands an engine along with one batch (no attributes are set on engines).

    Attributes:
        glossary: terms an engine with ``native_glossary`` places itself (others ignore it).
        progress: engines that batch internally call it with the number of sentences each
            sub-batch finished, so a progress bar moves while one large call runs.
    """

    glossary: Iterable[TermEntry] | None = None
    progress: Progress | None = None


class Engine(ABC):
    """Base class of every translation engine.

    Attributes:
        name: registry name (``gloss``, ``argos``, ``ct2``).
        is_gist: True for word-by-word gists (outputs label them as such).
        supports_prefix: True when ``translate_batch`` honours ``target_prefixes``
            (used by term repair).
        native_glossary: True when the engine places glossary targets itself (it reads
            them from the ``EngineContext`` given with each batch).
    """

    name: str = "engine"
    is_gist: bool = False
    supports_prefix: bool = False
    native_glossary: bool = False

    @abstractmethod
    def translate_batch(
        self,
        texts: Sequence[str],
        *,
        target_prefixes: Sequence[str | None] | None = None,
        return_attention: bool = False,
        context: EngineContext | None = None,
    ) -> list[Translation]:
        """Translate ``texts``; exactly one ``Translation`` per input, in order."""

    @abstractmethod
    def signature(self) -> str:
        """Engine, model id and decoding options, e.g. ``argos:zh-en-1.9;beam=2;int8``."""
