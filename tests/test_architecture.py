"""The package's shape, checked over ``ast`` (issue 9's contract):

* no import cycle between bitext's modules (imports at module level and inside functions
  both count, so a cycle cannot hide in a function body);
* no family (a subpackage or top-level module) importing a family that imports it back;
* imports flow one way through the layers named in README "How it works";
* at most 8 loose modules at the top of ``bitext/``;
* ``import bitext`` and the lazy public names load no jieba, CTranslate2, lxml or click;
* one Chinese-numeral parser and one width/variant folding function.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "bitext"

LAYERS: list[set[str]] = [
    {"cli", "__main__"},
    {"api", "batch"},
    {"pipeline"},
    {"alignment", "qa", "tm"},
    {"writers"},
    {"terms"},
    {"engines", "readers"},
    {"segment"},
    {"zh"},
    {"document", "errors", "files", "__init__"},
]
"""Families from top to bottom: a family may import its own layer's peers only when the
family graph stays acyclic, and any layer below it; never one above."""


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for mod, path in modules.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    pkg = mod.split(".") if is_pkg else mod.split(".")[:-1]
                    pkg = pkg[: len(pkg) - node.level + 1]
                    base = ".".join(pkg + ([base] if base else []))
                targets = [base] + [f"{base}.{a.name}" for a in node.names]
            for t in targets:
                if t.startswith("bitext"):
                    while t and t not in modules:
                        t = t.rpartition(".")[0]
                    if t and t != mod and t != "bitext":
                        graph[mod].add(t)
    return graph


def _family(mod: str) -> str:
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def _is_type_only(path: Path) -> set[str]:
    """Modules imported only under ``if TYPE_CHECKING:`` (not real dependencies)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in ast.walk(node):
                if isinstance(sub, ast.ImportFrom) and sub.module:
                    out.add(sub.module)
    return out


def _runtime_graph() -> dict[str, set[str]]:
    graph = _imports()
    init = PKG / "__init__.py"
    graph["bitext"] = graph.get("bitext", set()) - _is_type_only(init)
    return graph


def test_no_module_import_cycle() -> None:
    cycle = _find_cycle(_runtime_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_no_family_imports_a_family_that_imports_it_back() -> None:
    fam: dict[str, set[str]] = {}
    for mod, deps in _runtime_graph().items():
        f = _family(mod)
        fam.setdefault(f, set()).update(_family(d) for d in deps if _family(d) != f)
    cycle = _find_cycle(fam)
    assert cycle is None, "family cycle: " + " → ".join(cycle or [])


def test_imports_flow_down_the_layers() -> None:
    rank = {f: i for i, layer in enumerate(LAYERS) for f in layer}
    upward = []
    for mod, deps in _runtime_graph().items():
        f = _family(mod)
        for d in deps:
            g = _family(d)
            if g != f and rank.get(g, 99) < rank.get(f, -1):
                upward.append(f"{mod} → {d}")
    assert not upward, "imports running up the layers:\n" + "\n".join(sorted(upward))


def test_every_family_is_placed_in_a_layer() -> None:
    families = {_family(m) for m in _imports()}
    placed = set().union(*LAYERS)
    assert families <= placed, f"families missing from LAYERS: {sorted(families - placed)}"


def test_at_most_eight_loose_modules() -> None:
    loose = sorted(p.name for p in PKG.glob("*.py"))
    assert len(loose) <= 8, loose


def test_import_bitext_is_light() -> None:
    code = (
        "import sys, bitext\n"
        "bitext.translate, bitext.align, bitext.read, bitext.Glossary, bitext.TranslationMemory\n"
        "bitext.load_engine, bitext.BitextError\n"
        "heavy = [m for m in ('jieba', 'ctranslate2', 'lxml', 'click', 'sentencepiece', 'torch')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_names_resolve() -> None:
    import bitext

    for name in bitext.__all__:
        assert getattr(bitext, name) is not None, name
    with pytest.raises(AttributeError):
        bitext.no_such_name  # noqa: B018


def _defs(name_pattern: str) -> list[str]:
    hits = []
    for p in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in name_pattern.split("|"):
                hits.append(f"{p.relative_to(PKG)}:{node.name}")
    return hits


def test_one_numeral_parser_and_one_fold() -> None:
    """Chinese numerals are parsed in bitext/zh/numerals.py only, width/variant folding is
    bitext/zh/text.py's ``fold`` only, and the Han pattern is compiled there only."""
    parsers = _defs("cn_to_int|parse_han|zh_number|parse_decimal|parse_int|_han_value")
    assert parsers and all(h.startswith("zh/numerals.py") for h in parsers), parsers
    folds = _defs("fold|fold_digits|_digits|_fullwidth_to_ascii|_width_table|fold_width")
    assert folds == ["zh/text.py:fold"], folds
    han = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
           if "compile(r\"\\p{Han}" in p.read_text(encoding="utf-8")
           or "compile(r'\\p{Han}" in p.read_text(encoding="utf-8")]
    assert han in ([], ["zh/text.py"]), han


def test_all_lists_exactly_the_lazy_exports() -> None:
    import bitext

    assert set(bitext.__all__) == {"__version__", *bitext._EXPORTS}
