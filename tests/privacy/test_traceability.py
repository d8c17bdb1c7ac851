"""docs/privacy/traceability.md stays true: every clause of the seeds is listed, and every test
it names as proof still exists (a renamed or deleted test fails here, not silently)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACE = ROOT / "docs" / "privacy" / "traceability.md"
CLAUSES = ROOT.parent / "shared" / "seeds" / "CLAUSES.md"
NODE = re.compile(r"`([\w/.-]+\.py)::(\w+)(?:\[[^\]]*\])?`")
ROW = re.compile(r"^\| (C\d{3}-\d{2}) \| (✔|◐|·) \|")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_named_test_exists():
    missing = []
    cache: dict[str, set[str]] = {}
    for path, name in NODE.findall(TRACE.read_text(encoding="utf-8")):
        file = ROOT / path
        if not file.exists():
            missing.append(f"{path} (no such file)")
            continue
        names = cache.setdefault(path, _tests_in(file))
        if name not in names:
            missing.append(f"{path}::{name}")
    assert not missing, missing


def test_a_proven_clause_names_its_tests():
    for line in TRACE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match and match.group(2) == "✔":
            assert NODE.search(line), f"{match.group(1)} is marked proven but names no test"


def test_every_clause_of_the_seeds_is_listed():
    if not CLAUSES.exists():  # the seeds live beside the checkout, not in it
        return
    wanted = set(re.findall(r"^\| (C\d{3}-\d{2}) \|", CLAUSES.read_text(encoding="utf-8"), re.M))
    listed = {m.group(1) for line in TRACE.read_text(encoding="utf-8").splitlines() if (m := ROW.match(line))}
    assert wanted <= listed, sorted(wanted - listed)
