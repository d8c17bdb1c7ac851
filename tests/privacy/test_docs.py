"""docs/privacy/ is generated from the declarations: a stale file fails here (and in
`candor privacy docs --check`), so a declaration cannot change without its documentation.

Each generated file is checked for what it must show of each of Candor's declarations, and for
what it must not show of the test-only app's, in the form the file prints them: display labels
and field labels (translated), never model labels, which only the data map prints. Every check
is first shown to fire on a rendering that does include the test-only declarations, so none of
them can pass vacuously.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from candor.privacy import datamap, docfiles, documents
from candor.privacy.datamap import Declaration
from candor.privacy.templatetags.privacy_docs import md

FILES = {
    "datamap.md": ("datamap", "en"),
    "collection-list.zh.md": ("collection_list", "zh-hans"),
    "collection-list.en.md": ("collection_list", "en"),
    "sharing-list.zh.md": ("sharing_list", "zh-hans"),
    "sharing-list.en.md": ("sharing_list", "en"),
    "policy.zh.md": ("policy", "zh-hans"),
    "policy.en.md": ("policy", "en"),
}


def outside() -> list[Declaration]:
    """The test-only app's declarations: tests.settings installs it, the docs must ignore it."""
    found = [d for d in datamap.declarations() if not d.model.__module__.startswith("candor.")]
    assert found, "tests.settings installs the test-only app"
    return found


def _policy_items(text: str, function_label: str) -> list[str]:
    """The items of one function's line in the policy's "What we collect" list."""
    template = _("%(function)s — %(description)s. %(need)s. Information used: %(items)s.")
    marker = template.split("%(need)s")[1].split("%(items)s")[0]  # ". Information used: "
    end = template.split("%(items)s")[1]
    lines = [
        line for line in text.splitlines() if line.startswith(f"- {md(function_label)}") and marker in line
    ]
    if not lines:
        return []
    return [item.strip() for item in lines[0].rsplit(marker, 1)[1].removesuffix(end).split(_(", "))]


def _item(declaration: Declaration, name: str) -> str:
    label = declaration.field_label(name)
    if declaration.fields[name].is_sensitive:
        label = _("%(item)s (sensitive)") % {"item": label}
    return md(label)


def shown(kind: str, declaration: Declaration, text: str) -> list[tuple[str, bool]]:
    """(fact, whether ``text`` shows it) for each thing the file prints of one declaration."""
    record = md(declaration.display_label)
    if kind == "datamap":
        facts = [f"## `{declaration.model._meta.label}` — {record}"]
        facts += [f"| `{name}` | {md(declaration.field_label(name))} |" for name in declaration.fields]
        return [(fact, fact in text) for fact in facts]
    if kind == "collection_list":
        facts = [f"| {md(declaration.field_label(name))} | {record} |" for name in declaration.fields]
        return [(fact, fact in text) for fact in facts]
    if kind == "sharing_list":
        entries = documents.sharing_list(declarations=[declaration]).recipients
        facts = [f"| {md(_(', ').join(share.fields))} | {record} |" for e in entries for share in e.shares]
        return [(fact, fact in text) for fact in facts]
    # The policy: the record's retention line, and each item in its function's line.
    entry = _("%(record)s: %(retention)s") % {
        "record": capfirst(declaration.display_label),
        "retention": documents.describe_keeping(declaration),
    }
    line = f"- {md(entry)}"
    result = [(line, line in text.splitlines())]
    for name, pi in declaration.fields.items():
        for purpose in pi.purposes:
            item = _item(declaration, name)
            result.append((f"{purpose.label}: {item}", item in _policy_items(text, str(purpose.label))))
    return result


def render_with_every_declaration(kind: str, lang: str) -> str:
    if kind == "datamap":
        return docfiles.datamap_markdown(datamap.declarations())
    return documents.render(kind, fmt="markdown", lang=lang)


def test_committed_docs_match_a_fresh_generation():
    stale = docfiles.stale()
    assert not stale, f"docs/privacy/ is stale ({', '.join(stale)}): run `candor privacy docs` and commit"


@pytest.mark.parametrize("name", sorted(FILES))
def test_each_file_shows_candor_declarations_and_only_them(name):
    kind, lang = FILES[name]
    assert name in docfiles.generate()
    text = (docfiles.directory() / name).read_text(encoding="utf-8")
    assert text.startswith(docfiles.HEADER)
    candor = docfiles.candor_declarations()
    with translation.override(lang):
        # The checks fire: a rendering that includes the test-only app shows every fact of it …
        everything = render_with_every_declaration(kind, lang)
        planted = [(fact, ok) for d in outside() for fact, ok in shown(kind, d, everything)]
        assert planted, f"{name}: the test-only declarations give nothing to look for"
        assert all(ok for _fact, ok in planted), [fact for fact, ok in planted if not ok]

        # … the generated file shows every fact of Candor's own declarations …
        missing = [fact for d in candor for fact, ok in shown(kind, d, text) if not ok]
        assert not missing, f"{name} lacks {missing}"

        # … and none of the test-only app's, except where a fact is also one of Candor's (the
        # same label for the same purpose, say): only the others can tell the two apart.
        ours = {fact for d in candor for fact, _ok in shown(kind, d, text)}
        telling = [fact for fact, _ok in planted if fact not in ours]
        assert telling, f"{name}: nothing tells the test-only declarations from Candor's"
        leaked = [fact for d in outside() for fact, ok in shown(kind, d, text) if ok and fact not in ours]
        assert not leaked, f"{name} shows test-only declarations: {leaked}"
        if kind == "sharing_list" and not any(d.recipients for d in candor):
            assert _("No recipient receives personal information at present.") in text


def test_the_file_facts_use_translated_labels():
    """The zh files print Chinese labels: a check that looked for the English ones would pass
    on a zh file for nothing."""
    user = next(d for d in docfiles.candor_declarations() if d.subject == "pk")
    with translation.override("zh-hans"):
        zh = user.display_label
    with translation.override("en"):
        en = user.display_label
    assert zh != en
    text = (docfiles.directory() / "collection-list.zh.md").read_text(encoding="utf-8")
    assert f"| {md(zh)} |" in text and f"| {md(en)} |" not in text


def test_check_names_the_stale_files(tmp_path, monkeypatch):
    monkeypatch.setattr(docfiles, "directory", lambda: tmp_path)
    call_command("privacy", "docs")
    call_command("privacy", "docs", "--check")
    (tmp_path / "policy.en.md").write_text("edited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"policy\.en\.md"):
        call_command("privacy", "docs", "--check")
