"""docs/privacy/ is generated from the declarations: a stale file fails here (and in
`candor privacy docs --check`), so a declaration cannot change without its documentation."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from candor.privacy import datamap, docfiles


def test_committed_docs_match_a_fresh_generation():
    stale = docfiles.stale()
    assert not stale, f"docs/privacy/ is stale ({', '.join(stale)}): run `candor privacy docs` and commit"


def test_generation_ignores_apps_outside_candor():
    # tests.settings installs a test-only app; its declarations must never reach the docs.
    outside = [d for d in datamap.declarations() if not d.model.__module__.startswith("candor.")]
    names = {d.model._meta.label for d in outside}
    text = "".join(docfiles.generate().values())
    assert all(name not in text for name in names)
    assert all(text.startswith(docfiles.HEADER) for text in docfiles.generate().values())


def test_check_names_the_stale_files(tmp_path, monkeypatch):
    monkeypatch.setattr(docfiles, "directory", lambda: tmp_path)
    call_command("privacy", "docs")
    call_command("privacy", "docs", "--check")
    (tmp_path / "policy.en.md").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"policy\.en\.md"):
        call_command("privacy", "docs", "--check")
