"""``bitext srx``: SRX 2.0 segmentation rules (export bitext's, try a file's on text)."""

from __future__ import annotations

from pathlib import Path

import click

from bitext.cli.common import setup_logging, verbosity_options
from bitext.segment.srx import export as write_srx
from bitext.segment.srx import load


@click.group(epilog="""
\b
Examples:
  bitext srx export bitext-zh.srx
  bitext srx split defaultRules.srx "第一句。第二句！"
  bitext translate page.html --srx defaultRules.srx   # segments as OmegaT's rules say
""")
def srx() -> None:
    """SRX 2.0 sentence segmentation rules, as CAT tools exchange them.

    `bitext translate|align --srx FILE` splits sentences with a CAT tool's rules
    (e.g. OmegaT's defaultRules.srx), so that its segments match the TMX exactly.
    """


@srx.command("export", epilog="""
\b
Examples:
  bitext srx export bitext-zh.srx        # load it in OmegaT / Okapi / Trados instead of theirs
""")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@verbosity_options
def export(output: Path, quiet: bool, verbose: int) -> None:
    """Write bitext's own Chinese sentence rules as an SRX 2.0 file."""
    setup_logging(verbose, quiet)
    n = write_srx(output)
    if not quiet:
        click.echo(f"{output}: {n} rules (language pattern zh.*)", err=True)


@srx.command("split", epilog="""
\b
Examples:
  bitext srx split defaultRules.srx "第一句。第二句！"
  bitext srx split rules.srx --lang en "Dr. Smith arrived. He left."
""")
@click.argument("rules", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("text")
@click.option("--lang", default="zh-CN", show_default=True, help="Language code the rules are chosen for.")
@verbosity_options
def split(rules: Path, text: str, lang: str, quiet: bool, verbose: int) -> None:
    """Split TEXT with the rules of an SRX file: one segment per line on stdout."""
    setup_logging(verbose, quiet)
    for seg in load(rules).split(text, lang):
        click.echo(seg)
