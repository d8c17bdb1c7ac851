"""The published documents, generated from the declarations and nothing else.

Three documents come out of ``datamap.declarations()``, the taxonomy and the third-party
registry: the personal-information collection list (个人信息收集清单), the third-party sharing
list (第三方信息共享清单) and the privacy policy (``policy_text.py``). Each is first built as
plain structured data in the active language — so the API can serve it typed — and then
rendered by templates as an HTML fragment (pages, archive) and as Markdown (``docs/privacy/``,
diffs). The prose is fixed bilingual template text; every fact in it (data items, purposes,
recipients, retention) is read from the declarations, so the documents cannot drift from what
the code enforces.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from candor.privacy import datamap, taxonomy, third_parties
from candor.privacy.datamap import Declaration, OnErasure
from candor.privacy.retention import Rule, Then
from candor.privacy.taxonomy import LegalBasis, Need, Purpose

LANGUAGES = ("zh-hans", "en")
KINDS = ("policy", "collection_list", "sharing_list")
FORMATS = ("html", "markdown")


@dataclass(frozen=True)
class Item:
    label: str
    source: str  # the record it is kept in: the declaration's label
    category: str
    category_code: str
    sensitive: bool
    required: bool
    encrypted: bool
    hashed: bool
    retention: str


@dataclass(frozen=True)
class Function:
    code: str
    label: str
    description: str
    need: str
    need_label: str
    basis: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class CollectionList:
    functions: tuple[Function, ...]


@dataclass(frozen=True)
class SharedData:
    source: str
    fields: tuple[str, ...]
    purpose: str
    purpose_code: str
    basis: str
    basis_code: str


@dataclass(frozen=True)
class RecipientEntry:
    code: str
    label: str
    description: str
    shares: tuple[SharedData, ...]


@dataclass(frozen=True)
class Party:
    name: str
    operator: str
    function: str
    data_items: tuple[str, ...]
    method: str
    policy_url: str
    recipient: str
    recipient_code: str


@dataclass(frozen=True)
class SharingList:
    recipients: tuple[RecipientEntry, ...]
    third_parties: tuple[Party, ...]


# --- Facts in words ------------------------------------------------------------------------
def join(words: Sequence[str]) -> str:
    # Chinese enumerates with 、, English with commas: the separator is itself translated.
    return _(", ").join(words)


def sentences(*parts: str) -> str:
    # Chinese sentences end in 。 and run on without a space; English ones need one.
    gap = "" if (translation.get_language() or "").startswith("zh") else " "
    return gap.join(part for part in parts if part)


def need_label(need: Need) -> str:
    if need is Need.BASIC:
        return _("Basic function: covered by your acceptance of this policy")
    if need is Need.ADDITIONAL:
        return _("Additional function: only with your consent, which you can withdraw at any time")
    return _("Sensitive: only with your separate consent, which you can withdraw at any time")


def basis_of(purpose: Purpose) -> LegalBasis:
    """Basic functions rest on the contract with the user, except the records a law makes us
    keep; every other purpose rests on consent (PIPL art. 13)."""
    if purpose.code == taxonomy.LEGAL_RETENTION.code:
        return taxonomy.LEGAL_OBLIGATION
    return taxonomy.CONTRACT if purpose.need is Need.BASIC else taxonomy.CONSENT


def basis_label(basis: LegalBasis) -> str:
    match = re.fullmatch(r"PIPL (\d+)\((\d+)\)", basis.article)
    if match is None:
        return f"{basis.label} ({basis.article})"
    article = _("PIPL art. %(article)s(1)(%(item)s)") % {"article": match[1], "item": match[2]}
    return _("%(basis)s (%(article)s)") % {"basis": basis.label, "article": article}


def _term(days: int) -> str:
    # retention.after() counts a year as 366 days, so whole multiples read back as years.
    if days and days % 366 == 0:
        years = days // 366
        return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def _verbose(model: type[models.Model], path: str) -> str:
    """The verbose name at the end of a lookup path such as ``order__completed_at``."""
    *hops, last = path.split("__")
    try:
        for hop in hops:
            related = model._meta.get_field(hop).related_model
            if not isinstance(related, type):
                raise FieldDoesNotExist(hop)
            model = related
        return field_name(model, last)
    except FieldDoesNotExist:
        return last.replace("_", " ")


def field_name(model: type[models.Model], name: str) -> str:
    # Reverse relations and generic keys have no verbose_name: fall back to the attribute.
    field = model._meta.get_field(name)
    return str(getattr(field, "verbose_name", name.replace("_", " ")))


def describe_retention(rule: Rule, *, model: type[models.Model] | None = None) -> str:
    """A retention rule in words, in the active language: the one wording of a term, shared by
    the published documents, the data map and ``candor retention run``.

    ``model`` (the declaration's) names the event by its field's verbose name; without it the
    lookup path is spelled out (``order__completed_at`` → "order completed at").
    """
    if rule.field is None:
        return _("Kept while your account exists.")
    event = _verbose(model, rule.field) if model else rule.field.replace("__", " ").replace("_", " ")
    facts = {
        "term": _term(rule.term.days),
        "event": event,
        "end": _("deleted") if rule.then is Then.DELETE else _("anonymized"),
    }
    if rule.while_account:
        return (
            _("Kept while your account exists and at least %(term)s after “%(event)s”, then %(end)s.") % facts
        )
    return _("Kept for %(term)s after “%(event)s”, then %(end)s.") % facts


def describe_erasure(declaration: Declaration) -> str:
    """What erasing the account (``rights.erase``) does to these records, in the active language.

    Each sentence follows from the declaration: DELETE and ANONYMIZE act at once; RESTRICT
    blanks the items stored in clear at once and keeps the encrypted ones under the subject's
    transaction key, readable only for legal purposes until the legal term ends and the key is
    destroyed; a ledger that declares no personal field is simply kept for its term.
    """
    if declaration.on_erasure is OnErasure.DELETE:
        return _("If you cancel your account, it is deleted then.")
    if declaration.on_erasure is OnErasure.ANONYMIZE:
        return _("If you cancel your account, it is anonymized then.")
    encrypted = any(pi.encrypt for pi in declaration.fields.values())
    clear = any(not pi.encrypt for pi in declaration.fields.values())
    if not declaration.fields:
        if declaration.retention.field is None:
            return _(
                "It holds no personal details beyond the link to your account and stays after you cancel it."
            )
        return _(
            "It holds no personal details beyond the link to your account and is kept until its term "
            "ends, even if you cancel your account."
        )
    if encrypted and clear:
        return _(
            "If you cancel your account, its items stored in clear are blanked at once; the encrypted "
            "ones stay readable only for legal purposes until the legal term ends, and then their key "
            "is destroyed."
        )
    if encrypted:
        return _(
            "If you cancel your account, its items stay readable only for legal purposes until the "
            "legal term ends, and then their key is destroyed."
        )
    return _("If you cancel your account, its personal items are blanked at once.")


def describe_keeping(declaration: Declaration) -> str:
    """How long one declaration's records are kept and what cancelling the account does to them."""
    rule = declaration.retention
    if rule.field is None and declaration.on_erasure is OnErasure.DELETE:
        return _("Kept while your account exists and deleted when you cancel it.")
    if rule.field is None and declaration.on_erasure is OnErasure.ANONYMIZE:
        return _("Kept while your account exists and anonymized when you cancel it.")
    return sentences(describe_retention(rule, model=declaration.model), describe_erasure(declaration))


def _attribute_label(declaration: Declaration, name: str) -> str:
    """A shared attribute's label: a declared field, any model field, or a property that
    carries a ``short_description`` (non-personal derived values such as a payment subject)."""
    if name in declaration.fields:
        return declaration.field_label(name)
    try:
        return field_name(declaration.model, name)
    except FieldDoesNotExist:
        prop = getattr(declaration.model, name, None)
        described = getattr(getattr(prop, "fget", None), "short_description", None)
        return str(described or name.replace("_", " "))


# --- Structured documents ------------------------------------------------------------------
Declarations = Sequence[Declaration]


def _declarations(declarations: Declarations | None) -> list[Declaration]:
    return list(datamap.declarations() if declarations is None else declarations)


def collection_list(*, declarations: Declarations | None = None) -> CollectionList:
    rows: dict[str, list[Item]] = {}
    for declaration in _declarations(declarations):
        retention_text = describe_keeping(declaration)
        for name, pi in declaration.fields.items():
            item = Item(
                label=declaration.field_label(name),
                source=declaration.display_label,
                category=str(pi.category.label),
                category_code=pi.category.code,
                sensitive=pi.is_sensitive,
                required=pi.required,
                encrypted=pi.encrypt,
                hashed=pi.hashed,
                retention=retention_text,
            )
            for purpose in pi.purposes:
                rows.setdefault(purpose.code, []).append(item)
    functions = []
    for code, purpose in taxonomy.PURPOSES.items():  # the taxonomy's order, stable across runs
        if code in rows:
            functions.append(
                Function(
                    code=code,
                    label=str(purpose.label),
                    description=str(purpose.description),
                    need=purpose.need.value,
                    need_label=need_label(purpose.need),
                    basis=basis_label(basis_of(purpose)),
                    items=tuple(rows[code]),
                )
            )
    return CollectionList(functions=tuple(functions))


def sharing_list(*, declarations: Declarations | None = None) -> SharingList:
    shares: dict[str, list[SharedData]] = {}
    for declaration in _declarations(declarations):
        for share in declaration.recipients:
            shares.setdefault(share.recipient.code, []).append(
                SharedData(
                    source=declaration.display_label,
                    fields=tuple(_attribute_label(declaration, name) for name in share.fields),
                    purpose=str(share.purpose.label),
                    purpose_code=share.purpose.code,
                    basis=basis_label(share.basis),
                    basis_code=share.basis.code,
                )
            )
    recipients = tuple(
        RecipientEntry(
            code=code,
            label=str(recipient.label),
            description=str(recipient.description),
            shares=tuple(shares[code]),
        )
        for code, recipient in taxonomy.RECIPIENTS.items()
        if code in shares
    )
    parties = tuple(
        Party(
            name=str(party.name),
            operator=str(party.operator),
            function=str(party.function),
            data_items=tuple(str(item) for item in party.data_items),
            method=str(party.method),
            policy_url=party.policy_url,
            recipient=str(party.recipient.label),
            recipient_code=party.recipient.code,
        )
        for party in third_parties.third_parties()
    )
    return SharingList(recipients=recipients, third_parties=parties)


# --- Rendering -----------------------------------------------------------------------------
def _context(kind: str, declarations: Declarations | None) -> dict[str, Any]:
    from candor.privacy import policy_text  # the policy reads the two lists built above

    builders: dict[str, Callable[[], object]] = {
        "policy": lambda: policy_text.policy(declarations=declarations),
        "collection_list": lambda: collection_list(declarations=declarations),
        "sharing_list": lambda: sharing_list(declarations=declarations),
    }
    return {"document": builders[kind]()}


def title(kind: str) -> str:
    return {
        "policy": _("Privacy policy"),
        "collection_list": _("Personal information collection list"),
        "sharing_list": _("Third-party sharing list"),
    }[kind]


def render(kind: str, *, fmt: str, lang: str, declarations: Declarations | None = None) -> str:
    """One document in one format and language: the same data feeds both formats."""
    if kind not in KINDS or fmt not in FORMATS:
        raise ValueError(f"unknown document {kind!r} or format {fmt!r}")
    extension = "html" if fmt == "html" else "md"
    with translation.override(lang):
        context = _context(kind, declarations) | {"title": title(kind), "lang": lang}
        text = render_to_string(f"privacy/documents/{kind}.{extension}", context)
    return tidy_markdown(text) if fmt == "markdown" else text


def tidy_markdown(text: str) -> str:
    # Template tags leave blank lines and trailing spaces; Markdown files should be tidy so
    # that the committed docs and the diffs between versions show only real changes.
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.splitlines()))
    return text.strip() + "\n"


def render_all(*, declarations: Declarations | None = None) -> dict[str, dict[str, dict[str, str]]]:
    """Every document in every language and format: ``{lang: {kind: {format: text}}}``."""
    return {
        lang: {
            kind: {fmt: render(kind, fmt=fmt, lang=lang, declarations=declarations) for fmt in FORMATS}
            for kind in KINDS
        }
        for lang in LANGUAGES
    }
