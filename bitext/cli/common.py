"""Helpers shared by CLI commands: logging set-up, output-path checks, JSON printing,
progress bars, the -q/-v options."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click


def print_json(obj: Any) -> None:
    """Print ``obj`` as pretty UTF-8 JSON on stdout."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def show_progress(quiet: bool) -> bool:
    """Progress bars only on an interactive stderr and without ``-q``."""
    return not quiet and sys.stderr.isatty()


class _State:
    """Process-wide CLI flags set by option callbacks."""

    tracebacks = False


state = _State()


def _set_verbose(ctx: click.Context, param: click.Parameter, value: int) -> int:
    state.tracebacks = value > 0
    return value


def verbosity_options(f: Any) -> Any:
    """Add ``-q/--quiet`` and ``-v/--verbose`` to a command."""
    f = click.option("-v", "--verbose", count=True, callback=_set_verbose,
                     help="More log output; -v also shows tracebacks.")(f)
    f = click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bar.")(f)
    return f


def setup_logging(verbose: int, quiet: bool) -> None:
    """Configure logging for the CLI process (the library never does)."""
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2:
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def check_output_paths(
    outputs: dict[str, Path | None],
    inputs: Sequence[Path],
    *,
    what: dict[str, str] | None = None,
) -> None:
    """Refuse an empty output name, two outputs on one file, or an output over an input.

    Args:
        outputs: option flag → path (None: not written; ``-``: stdout).
        inputs: the run's input files.
        what: option flag → what it writes, for the message (e.g. ``--tmx`` → ``TMX``).

    Raises:
        click.UsageError: one of those (exit code 2), before anything is read or written.
    """
    seen: dict[Path, str] = {}
    ins = {p.resolve() for p in inputs}
    for flag, p in outputs.items():
        if p is None:
            continue
        if str(p) == "-":
            r = Path("-")  # stdout
        elif not p.name.strip():
            raise click.UsageError(f"{flag} needs a file name")
        else:
            r = p.resolve()
        if r in ins:
            if what and flag in what:
                raise click.UsageError(
                    f"the {what[flag]} {p} would overwrite the input file; "
                    f"write it elsewhere with -o DIR or {flag} PATH"
                )
            raise click.UsageError(f"{flag} {p} would overwrite an input file")
        if r in seen:
            raise click.UsageError(f"{seen[r]} and {flag} name the same file {p}")
        seen[r] = flag


@contextlib.contextmanager
def progress_bar(
    total: int, label: str, quiet: bool, *, minimum: int = 0
) -> Iterator[Callable[[int], None] | None]:
    """A stderr progress bar's ``update`` (None when not shown: ``-q``, no terminal, or
    fewer than ``minimum`` items)."""
    if not show_progress(quiet) or total < minimum:
        yield None
        return
    with click.progressbar(length=total, label=label, file=click.get_text_stream("stderr")) as bar:
        yield bar.update
