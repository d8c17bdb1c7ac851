"""The privacy policy's text: fixed bilingual prose around facts read from the declarations.

The sections follow the seed policies (what we collect and why, cookies, sharing / transfer /
public disclosure, security, retention, rights, minors, storage, updates, contact). Sentences
are translated template text; lists of data items, purposes, recipients, encrypted and masked
fields and retention terms are built from the collection and sharing lists, so adding a field
to a declaration changes the policy without anyone editing prose. Called inside
``translation.override`` by ``documents.render``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from candor.privacy import datamap, documents, taxonomy
from candor.privacy.datamap import KeyClass
from candor.privacy.documents import CollectionList, Declarations, SharingList, join
from candor.privacy.taxonomy import Need


@dataclass(frozen=True)
class Block:
    """A paragraph, optionally followed by a bullet list and a link to a fuller document."""

    text: str
    items: tuple[str, ...] = ()
    link: str = ""
    link_text: str = ""


@dataclass(frozen=True)
class Section:
    anchor: str
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Policy:
    sections: tuple[Section, ...]


def _collect(collection: CollectionList) -> Section:
    functions = []
    for function in collection.functions:
        items = [
            _("%(item)s (sensitive)") % {"item": item.label} if item.sensitive else item.label
            for item in function.items
        ]
        functions.append(
            _("%(function)s — %(description)s. %(need)s. Information used: %(items)s.")
            % {
                "function": function.label,
                "description": function.description,
                "need": function.need_label,
                "items": join(list(dict.fromkeys(items))),
            }
        )
    exemptions = [documents.basis_label(basis) for basis in taxonomy.LEGAL_BASES.values()]
    exemptions.remove(documents.basis_label(taxonomy.CONSENT))
    # Said only when such a function exists: its consent is then asked for and recorded.
    optional = any(function.need != Need.BASIC.value for function in collection.functions)
    return Section(
        "collect",
        _("What we collect and why"),
        (
            Block(
                documents.sentences(
                    _(
                        "Functions beyond the basic ones work only with your consent, which is recorded "
                        "and which you can withdraw at any time; refusing it does not stop you from using "
                        "the basic functions."
                    )
                    if optional
                    else "",
                    _("Each function uses only the information listed for it:"),
                )
                if functions
                else _("No function collects personal information at present."),
                items=tuple(functions),
                link=reverse("privacy:collection"),
                link_text=_("The collection list gives every item with its category and retention."),
            ),
            Block(
                _("We process personal information without your consent only where the law allows it:"),
                items=tuple(exemptions),
            ),
            Block(_("Using your information for any purpose not listed here needs your prior consent.")),
        ),
    )


def _cookies() -> Section:
    cookies = (
        _("%(name)s — keeps you logged in") % {"name": settings.SESSION_COOKIE_NAME},
        _("%(name)s — protects your forms against cross-site forgery") % {"name": settings.CSRF_COOKIE_NAME},
        _("%(name)s — remembers the language you chose") % {"name": settings.LANGUAGE_COOKIE_NAME},
    )
    return Section(
        "cookies",
        _("Cookies and similar technologies"),
        (
            Block(
                _(
                    "Candor's pages set only these cookies, all of them its own; "
                    "none is used for advertising:"
                ),
                items=cookies,
            ),
            Block(
                _(
                    "You can refuse or delete cookies in your browser; without the login cookie you can "
                    "still browse, but not log in. Embedded third-party SDKs are listed with the company, "
                    "purpose and the data they collect."
                ),
                link=reverse("privacy:sharing") + "#third-parties",
                link_text=_("Third-party and SDK list"),
            ),
        ),
    )


def _sharing(sharing: SharingList) -> Section:
    recipients = tuple(
        _("%(recipient)s: %(fields)s, for %(purposes)s")
        % {
            "recipient": entry.label,
            "fields": join(list(dict.fromkeys(f for share in entry.shares for f in share.fields))),
            "purposes": join(list(dict.fromkeys(share.purpose for share in entry.shares))),
        }
        for entry in sharing.recipients
    )
    return Section(
        "sharing",
        _("Sharing, transfer and public disclosure"),
        (
            Block(
                _(
                    "We share personal information with others only with your consent, where a law or "
                    "a competent authority requires it, where a function you use cannot work otherwise "
                    "(payment, delivery, after-sales) and then only what that function needs, to protect "
                    "you, other users or the public as the law allows, or to resolve a dispute you are "
                    "part of. Recipients are bound to confidentiality and to the stated purpose. Every "
                    "hand-over is recorded, and the record is part of the copy of your information you "
                    "can ask for."
                )
            ),
            Block(
                _("Each recipient receives only these items:")
                if recipients
                else _("No recipient receives personal information at present."),
                items=recipients,
                link=reverse("privacy:sharing"),
                link_text=_("The sharing list gives each recipient's items, purpose and legal basis."),
            ),
            Block(
                _(
                    "We transfer personal information to another company only with your consent, where "
                    "the law requires it, or in a merger, division or similar change; we then tell you "
                    "the recipient's name and contact, and the recipient stays bound by this policy or "
                    "asks for your consent again."
                )
            ),
            Block(
                _(
                    "We disclose personal information publicly only with your explicit consent, or when a "
                    "law or a legal demand backed by documents requires it; disclosed files are encrypted."
                )
            ),
        ),
    )


def _encrypted(declarations: Declarations, key_class: KeyClass) -> list[str]:
    labels = [
        d.field_label(name)
        for d in declarations
        if d.key_class is key_class
        for name, pi in d.fields.items()
        if pi.encrypt
    ]
    return list(dict.fromkeys(labels))


def _security(collection: CollectionList, declarations: Declarations) -> Section:
    # Each key class is described as ``rights.erase`` treats it: the profile key is destroyed at
    # erasure; the transaction key is restricted to legal purposes until the legal term ends.
    profile = _encrypted(declarations, KeyClass.PROFILE)
    transaction = _encrypted(declarations, KeyClass.TRANSACTION)
    hashed = [item.label for f in collection.functions for item in f.items if item.hashed]
    masked = [d.field_label(name) for d in declarations for name, pi in d.fields.items() if pi.mask]
    measures = [_("Every connection is encrypted with HTTPS (TLS).")]
    if profile:
        measures.append(
            _(
                "These items are stored encrypted with a key of your own, which is destroyed when your "
                "account is erased; every copy then becomes unreadable, backups included: %(items)s."
            )
            % {"items": join(profile)}
        )
    if transaction:
        measures.append(
            _(
                "These items of transaction records are stored encrypted with a second key of your own: "
                "when your account is erased, it can be used only for legal purposes until the legal "
                "term of the records ends, and is then destroyed: %(items)s."
            )
            % {"items": join(transaction)}
        )
    if hashed:
        measures.append(
            _("These items are stored only as a one-way hash that nobody can read back: %(items)s.")
            % {"items": join(list(dict.fromkeys(hashed)))}
        )
    if masked:
        measures.append(
            _("These items are shown desensitized on screens (for example 138****5678): %(items)s.")
            % {"items": join(list(dict.fromkeys(masked)))}
        )
    measures += [
        _("Staff see personal information masked; revealing an item needs a permission and a reason."),
        _(
            "Revealing an item, handing information to a recipient, exporting or erasing it, and every "
            "consent decision are written to a tamper-evident audit log."
        ),
        _(
            "If a security incident happens, we act on our response plan, tell the users affected by "
            "notice, SMS or phone, and report it to the regulators."
        ),
    ]
    return Section(
        "security",
        _("How we protect your personal information"),
        (
            Block(_("We protect personal information with these measures:"), items=tuple(measures)),
            Block(_("If you think your information or password has leaked, tell us and we will act.")),
        ),
    )


def _retention(declarations: Declarations) -> Section:
    terms = tuple(
        _("%(record)s: %(retention)s")
        % {"record": capfirst(d.display_label), "retention": documents.describe_keeping(d)}
        for d in declarations
    )
    return Section(
        "retention",
        _("How long we keep it"),
        (
            Block(
                _(
                    "We keep personal information only as long as its purpose needs, "
                    "then delete or anonymize it:"
                )
                if terms
                else _("No personal information is kept at present."),
                items=terms,
            ),
            Block(
                _(
                    "If Candor stops operating, we announce it at least 30 days in advance, and then "
                    "delete or anonymize personal information."
                )
            ),
        ),
    )


def _rights() -> Section:
    # Only what Candor carries out today: each right is exercised on request, through the
    # contact address or customer service (``rights.export``, ``rights.erase``, ``consent``).
    rights = (
        _(
            "Access and copy: we send you a copy of your personal information — every record kept "
            "about you, your consent history and the record of who received your data — as JSON and "
            "CSV files."
        ),
        _("Correct: tell us what is wrong or incomplete and we correct it."),
        _(
            "Withdraw consent: every consent is recorded with its time, channel and policy version. "
            "When you withdraw one, processing for that purpose stops at once; what was done before "
            "is not affected."
        ),
        _(
            "Erasure and cancelling your account: we erase your account; “%(section)s” says what "
            "erasure does to each kind of record."
        )
        % {"section": _("How long we keep it")},
    )
    return Section(
        "rights",
        _("Your rights"),
        (
            Block(
                _("Ask us for these through the channels under “%(section)s” or through customer service:")
                % {"section": _("How to contact us")},
                items=rights,
            ),
            Block(
                _(
                    "We carry out a request within 15 days after we verify your identity. We refuse a "
                    "request only in the cases the law provides, and tell you why."
                )
            ),
        ),
    )


def _fixed_sections() -> tuple[Section, ...]:
    contact = settings.CANDOR_CONTACT
    channels = [_("Email: %(email)s") % contact, _("Hotline: %(phone)s") % contact]
    if contact.get("address"):
        channels.append(_("Address: %(address)s") % contact)
    return (
        Section(
            "minors",
            _("Children and minors"),
            (
                Block(
                    _(
                        "Children under 14 should use Candor only with a guardian's consent, and minors "
                        "under 18 with a guardian's knowledge. If we learn that we hold a child's "
                        "information without a guardian's consent, we erase it. Guardians can contact us "
                        "to obtain a copy of a child's information, correct it or have it erased."
                    )
                ),
            ),
        ),
        Section(
            "storage",
            _("Where your information is stored"),
            (
                Block(
                    _(
                        "Personal information collected in mainland China is stored in mainland China. It "
                        "is sent abroad only when a law requires it or with your separate consent."
                    )
                ),
            ),
        ),
        Section(
            "updates",
            _("Updates to this policy"),
            (
                Block(
                    _(
                        "Each update is published here with a summary of what changed, and a version "
                        "announced ahead of its effective date is shown with that date. A significant "
                        "change — to purposes, the types of information, recipients, your rights or how "
                        "to reach us — must be accepted before you continue using Candor. We never reduce "
                        "your rights under this policy without your explicit consent."
                    )
                ),
                Block(
                    _("Every published version stays readable, with a summary of what changed."),
                    link=reverse("privacy:versions"),
                    link_text=_("Earlier versions"),
                ),
            ),
        ),
        Section(
            "contact",
            _("How to contact us"),
            (
                Block(
                    _("Questions, complaints and requests about your personal information:"),
                    items=tuple(channels),
                ),
                Block(
                    _(
                        "We reply within 15 days. If you are not satisfied with the reply, you can complain "
                        "to the authorities responsible for personal information protection or go to court."
                    )
                ),
            ),
        ),
    )


def policy(*, declarations: Declarations | None = None) -> Policy:
    chosen = list(datamap.declarations() if declarations is None else declarations)
    collection = documents.collection_list(declarations=chosen)
    sharing = documents.sharing_list(declarations=chosen)
    intro = Section(
        "about",
        _("About this policy"),
        (
            Block(
                _(
                    "This policy explains what personal information Candor collects, why, how long it is "
                    "kept, who receives it and what you can do about it. Every fact in it — data items, "
                    "purposes, recipients and retention — is generated from the declarations in Candor's "
                    "code, which are also what the software enforces."
                )
            ),
        ),
    )
    return Policy(
        sections=(
            intro,
            _collect(collection),
            _cookies(),
            _sharing(sharing),
            _security(collection, chosen),
            _retention(chosen),
            _rights(),
            *_fixed_sections(),
        )
    )
