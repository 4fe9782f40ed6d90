"""``bitext models``: list, install and remove Argos Translate zh→en model packages."""

from __future__ import annotations

from pathlib import Path

import click

from bitext.cli.common import print_json
from bitext.engines.packages import (
    best_package,
    download_package,
    install_package,
    list_packages,
    packages_dir,
    remove_package,
)

EXAMPLES = """
\b
Examples:
  bitext models list                        # installed packages and where they live
  bitext models list --json
  bitext models install translate-zh_en-1_9.argosmodel
  bitext models install zh-en               # download from the Argos index (needs internet)
  bitext models remove translate-zh_en-1_9

\b
Packages live in $ARGOS_PACKAGES_DIR when it is set, else in argostranslate's default
folder (~/.local/share/argos-translate/packages), so argostranslate sees them too.
"""


@click.group(epilog=EXAMPLES)
def models() -> None:
    """Manage the offline neural translation models (Argos Translate packages)."""


@models.command("list", epilog=EXAMPLES)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object on stdout.")
def list_cmd(as_json: bool) -> None:
    """List installed model packages (broken ones are shown with their problem)."""
    root = packages_dir()
    pkgs = list_packages(root)
    default = best_package(pkgs, "zh", "en")
    if as_json:
        print_json(
            {
                "packages_dir": str(root),
                "default_zh_en": default.name if default else None,
                "packages": [p.to_json() for p in pkgs],
            }
        )
        return
    click.echo(f"packages dir: {root}")
    if not pkgs:
        click.echo("no packages installed; run `bitext models install FILE.argosmodel`")
        return
    for p in pkgs:
        mark = "*" if default is not None and p.name == default.name else " "
        state = "ok" if p.ok else f"BROKEN: {p.problem}"
        pair = f"{p.from_code}→{p.to_code}" if p.from_code else "?"
        click.echo(f"{mark} {p.name}  {pair}  v{p.package_version or '?'}  {state}")
    if default is not None:
        click.echo("(* = used by --engine argos)")


@models.command("install", epilog=EXAMPLES)
@click.argument("source", metavar="FILE.argosmodel|zh-en")
@click.option("--json", "as_json", is_flag=True, help="Print the installed package as JSON.")
def install_cmd(source: str, as_json: bool) -> None:
    """Install a package file, or download the zh→en package (`zh-en`) when online.

    The file is validated before anything is extracted (a zip with metadata.json for
    zh→en, no absolute paths, '..' or links, bounded size, model/ and
    sentencepiece.model present); a refused package leaves nothing behind.
    """
    path = Path(source)
    if source in ("zh-en", "zh_en") and not path.exists():
        click.echo("fetching the zh→en package from the Argos package index …", err=True)
        path = download_package("zh", "en")
    pkg = install_package(path)
    if as_json:
        print_json(pkg.to_json())
    else:
        click.echo(f"installed {pkg.name} ({pkg.from_code}→{pkg.to_code} v{pkg.package_version}) in {pkg.path.parent}")


@models.command("remove", epilog=EXAMPLES)
@click.argument("name")
def remove_cmd(name: str) -> None:
    """Remove an installed package by its folder name (see `bitext models list`)."""
    pkg = remove_package(name)
    click.echo(f"removed {pkg.name} from {pkg.path.parent}")
