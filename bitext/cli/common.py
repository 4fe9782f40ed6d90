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

from bitext.errors import OutputConflictError
from bitext.files import refuse_overwriting_inputs, set_max_input_mb


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


def _set_max_input(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    set_max_input_mb(value)  # None (option absent) restores the default for this run
    return value


def input_limit_option(f: Any) -> Any:
    """Add ``--max-input-mb`` (inputs over it are refused before reading; 0 = no limit)."""
    return click.option(
        "--max-input-mb", type=click.FloatRange(min=0), default=None, expose_value=False,
        callback=_set_max_input, is_eager=True,
        help="Refuse input files larger than this many MB before reading them "
             "(default 200, or $BITEXT_MAX_INPUT_MB; 0 = no limit).",
    )(f)


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
        click.UsageError: an empty output name; OutputConflictError: an output over an input
            or two outputs on one file (both exit code 2), before anything is read or written.
    """
    for flag, p in outputs.items():
        if p is not None and str(p) != "-" and not p.name.strip():
            raise click.UsageError(f"{flag} needs a file name")
    try:
        # same-file detection by inode: another spelling, a hard link or a symlink of an
        # input is refused too; one line (bitext: error: …), exit code 2
        refuse_overwriting_inputs([("input", p) for p in inputs], list(outputs.items()))
    except OutputConflictError as e:
        msg = str(e)
        for flag, p in outputs.items():
            if what and flag in what and p is not None and msg.startswith(f"{flag} {p} would overwrite"):
                raise OutputConflictError(
                    f"the {what[flag]} {p} would overwrite the input file; "
                    f"write it elsewhere with -o DIR or {flag} PATH (the input was not touched)"
                ) from None
        raise


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
