"""candor.privacy is the core: it imports no business app, whatever apps exist later."""

from __future__ import annotations

import grimp

# What the core may lean on besides itself: the project root's neutral modules and the API error shape.
ALLOWED_OUTSIDE_PRIVACY = {"candor", "candor.errors", "candor.keys", "candor.api.errors"}


def test_privacy_imports_no_business_app():
    graph = grimp.build_graph("candor")
    offending = []
    for module in graph.find_descendants("candor.privacy") | {"candor.privacy"}:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith("candor.privacy") or not imported.startswith("candor"):
                continue
            if imported not in ALLOWED_OUTSIDE_PRIVACY:
                offending.append(f"{module} -> {imported}")
    assert not offending, offending
