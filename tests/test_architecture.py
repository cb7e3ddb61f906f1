"""The layout's rules, checked on the source (DESIGN.md, "a folder per stage"):

    cli, serve, scaffold  ->  pipeline  ->  stages  ->  shared (model, config, cache, gcpause, text)

A stage never imports the face or the pipeline, and reaches another stage only through that
stage's package (its __init__.py), never its helpers; model.py imports nothing of digest; the
text helpers import only each other; the product never imports digest.eval; rendering,
publishing, aggregation and the pipeline itself never import spaCy.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "digest"
STAGES = {"readers", "cleaning", "analysis", "aggregate", "ids", "overrides", "render", "publish", "fetch"}
SHARED = {"model", "config", "cache", "gcpause", "text"}
FACE = {"cli", "serve", "scaffold", "__main__"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every digest module `path` imports, anywhere in the file (function bodies included); a
    name imported from a package counts as that submodule when one exists."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "digest")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "digest":
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                as_path = PACKAGE.parent.joinpath(*sub.split("."))
                found.add(sub if as_path.with_suffix(".py").exists() or as_path.is_dir() else target)
    return found


def area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def violations(rule) -> list[str]:
    return [f"{source} imports {target}" for source, targets in GRAPH.items() for target in sorted(targets)
            if area(source) != "eval" and not rule(source, target)]


def test_the_graph_is_read():
    assert "digest.aggregate" in GRAPH["digest.pipeline"] and "digest.model" in GRAPH["digest.cache"]


def test_model_imports_nothing_of_digest():
    assert GRAPH["digest.model"] == set()


def test_text_helpers_import_only_each_other():
    assert violations(lambda s, t: area(s) != "text" or area(t) == "text") == []


def test_shared_modules_import_only_shared_modules():
    assert violations(lambda s, t: area(s) not in SHARED or area(t) in SHARED) == []


def test_stages_import_no_other_stage_internals_nor_the_face():
    def allowed(source: str, target: str) -> bool:
        if area(source) not in STAGES or area(target) == area(source) or area(target) in SHARED:
            return True
        return area(target) in STAGES and target == f"digest.{area(target)}"  # the stage's entry point

    assert violations(allowed) == []


def test_the_pipeline_calls_stages_only_through_their_entry_points():
    def allowed(source: str, target: str) -> bool:
        return source != "digest.pipeline" or area(target) in SHARED or target in {f"digest.{s}" for s in STAGES}

    assert violations(allowed) == []


def test_the_face_goes_through_the_pipeline_and_entry_points():
    def allowed(source: str, target: str) -> bool:
        if area(source) not in FACE:
            return True
        # `digest fetch` is a command of its own: its click command lives with its stage.
        return (area(target) in SHARED | FACE | {"pipeline"} or target in {f"digest.{s}" for s in STAGES}
                or target == "digest.fetch.cli")

    assert violations(allowed) == []


def test_the_product_never_imports_the_quality_scripts():
    assert violations(lambda s, t: area(t) != "eval") == []


def test_every_stage_has_its_entry_point_in_its_package():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), stage
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"{stage}/__init__.py says nothing"


@pytest.mark.parametrize("modules", [
    "digest.render, digest.publish",
    "digest.aggregate, digest.overrides, digest.cache",
    "digest.pipeline, digest.analysis, digest.cli, digest.serve",
])
def test_these_never_import_spacy(modules):
    """spaCy is imported only to analyse: rendering and publishing never need it, and a build
    with nothing new to analyse never pays for it."""
    code = f"import sys, {modules}; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
