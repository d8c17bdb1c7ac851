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
from candor.privacy.documents import CollectionList, Declarations, SharingList, join


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
    return Section(
        "collect",
        _("What we collect and why"),
        (
            Block(
                _(
                    "Basic functions need only the information listed for them. Additional functions "
                    "ask for your consent separately, are never switched on in advance, and refusing "
                    "them never stops you from shopping. For each function, the information it uses:"
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
                    "part of. Recipients are bound to confidentiality and to the stated purpose, and "
                    "every hand-over is recorded so that you can see it."
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


def _security(collection: CollectionList, declarations: Declarations) -> Section:
    encrypted = [item.label for f in collection.functions for item in f.items if item.encrypted]
    hashed = [item.label for f in collection.functions for item in f.items if item.hashed]
    masked = [d.field_label(name) for d in declarations for name, pi in d.fields.items() if pi.mask]
    measures = [_("Every connection is encrypted with HTTPS (TLS).")]
    if encrypted:
        measures.append(
            _(
                "These items are stored encrypted, with a key per person that is destroyed when you "
                "cancel your account, which makes every copy unreadable, backups included: %(items)s."
            )
            % {"items": join(list(dict.fromkeys(encrypted)))}
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
        _("Every access to and change of personal information is written to a tamper-evident audit log."),
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
        % {"record": capfirst(d.display_label), "retention": documents.describe_retention(d)}
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
    rights = (
        _("Access and copy: see your information and download it (JSON and CSV) in the privacy centre."),
        _("Correct: change information that is wrong or incomplete."),
        _("Delete: remove information, for example orders and addresses, or ask us to delete it."),
        _(
            "Withdraw consent: switch off any additional function at any time; this stops later "
            "processing at once and does not affect what was done before."
        ),
        _(
            "Cancel your account: we check unfinished orders, refunds and balances within 48 hours, then "
            "delete or anonymize your personal information."
        ),
        _(
            "Automated decisions: ask for an explanation, refuse a decision made solely by automated means "
            "that significantly affects you, and switch off personalized recommendation."
        ),
    )
    return Section(
        "rights",
        _("Your rights"),
        (
            Block(_("You can exercise these rights yourself in Candor or through us:"), items=rights),
            Block(
                _(
                    "Requests through customer service are answered within 15 days after we verify your "
                    "identity. We refuse a request only in the cases the law provides, and tell you why."
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
                        "Children under 14 may use Candor only with a guardian's consent, recorded before "
                        "any of the child's information is processed, and a child's information is treated "
                        "as sensitive. Minors under 18 should use Candor with a guardian's knowledge. If we "
                        "learn that we hold a child's information without a guardian's consent, we delete "
                        "it. Guardians can contact us to access, correct or delete a child's information."
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
                        "We announce updates before they take effect. A significant change — to purposes, "
                        "the types of information, recipients, your rights or how to reach us — is shown "
                        "prominently, and you are asked to accept it before you continue using Candor. We "
                        "never reduce your rights under this policy without your explicit consent."
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
