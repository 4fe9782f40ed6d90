"""Typed errors of the library. The CLI turns them into one-line messages and exit codes.

The library never prints or exits; it raises one of these.
"""

from __future__ import annotations


class BitextError(Exception):
    """Base of every error bitext raises on purpose (exit code 1 in the CLI)."""

    exit_code = 1


class FormatError(BitextError):
    """An input file cannot be read or parsed.

    Args:
        message: what is wrong and, where possible, what to do.
        file: the offending file.
        line: 1-based line number, when known.
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        where = ""
        if file is not None:
            where = f"{file}:{line}: " if line is not None else f"{file}: "
        super().__init__(where + message)


class GlossaryError(FormatError):
    """A glossary file is invalid (names file and line)."""


class EngineError(BitextError):
    """A translation engine failed to load or to translate."""


class EngineUnavailableError(EngineError):
    """The requested engine or model is not installed or cannot run here."""


class ModelPackageError(EngineError):
    """A model package (``.argosmodel``) is invalid or unsafe and was refused."""


class AlignmentError(BitextError):
    """Sentence alignment cannot be done on the given inputs."""


class ConfigError(BitextError):
    """Options or settings contradict each other or name something that does not exist."""


class OutputConflictError(BitextError):
    """An output would replace one of the run's inputs (or another output): a usage error,
    exit code 2, raised before any work."""

    exit_code = 2
