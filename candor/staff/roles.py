"""Staff roles, defined here in code, each with the least set of permissions it needs (C002-16).

A role is a Django ``Group`` whose permissions this module owns: ``sync_roles`` gives each
group exactly the permissions listed below, removing any that were added by hand, so the
back office cannot drift from what is reviewed here. Permissions are named
``"app_label.codename"`` because several apps are written in parallel: a permission whose app
or model does not exist yet is skipped (and reported by ``sync_roles``), and is applied by the
next ``migrate`` once it exists.

Who may see personal data in clear (``privacy.reveal_personal_data``, with a reason code and an
audit entry, see ``candor.privacy.reveal``): the privacy officer, customer service, and finance
(for the remittance slips it confirms).
Merchant staff never go through the generic reveal: what a merchant needs for delivery and after-sales is
handed over by the orders flow through ``disclosure``, limited to their own orders. The
administrator manages staff accounts and their second factors but reads no one's data in clear.

Group names are stable English identifiers (the sync finds a group by its name); the label a
person reads is ``Role.label``, translated (zh-Hans / en).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from candor.privacy.reveal import PERMISSION as REVEAL


@dataclass(frozen=True)
class Role:
    code: str
    name: str  # the Group's name: stable, never translated
    label: Promise
    description: Promise
    permissions: tuple[str, ...] = field(default=())


def _view(*models: str) -> tuple[str, ...]:
    """``"app.model"`` -> ``"app.view_model"``."""
    return tuple(f"{m.split('.')[0]}.view_{m.split('.')[1]}" for m in models)


CUSTOMER_SERVICE = Role(
    "customer_service",
    "Customer service",
    _("Customer service"),
    _("Answers customers: finds the account and its addresses, reveals a value with a reason."),
    permissions=(
        REVEAL,
        *_view("accounts.user", "accounts.profile", "addresses.address"),
        # requests and complaints (candor.service): verify the requester, answer or refuse
        *_view("service.rightsrequest", "service.requestevent"),
        "service.change_rightsrequest",
        "service.verify_identity",
    ),
)

MERCHANT_STAFF = Role(
    "merchant_staff",
    "Merchant staff",
    _("Merchant staff"),
    _("Works on a merchant's catalog and ships its orders; never reveals personal data."),
    permissions=(
        # Their own merchants' products only: the catalog admin scopes every query to the
        # merchants a staff member belongs to. Never catalog.change_merchant (it means "every
        # merchant").
        "catalog.view_product",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.delete_product",
        "catalog.view_sku",
        "catalog.add_sku",
        "catalog.change_sku",
        "catalog.delete_sku",
        "catalog.view_stock",
        "catalog.add_stock",
        "catalog.change_stock",
        "catalog.view_productimage",
        "catalog.add_productimage",
        "catalog.change_productimage",
        "catalog.delete_productimage",
        # Their own merchants' orders and shipments, scoped by the orders admin, buyer data
        # masked; what the label needs comes through disclosure ("print shipping label"), so
        # never the reveal permission. add_shipment is "may ship" (and print the label). Never
        # orders.view_purchase (it means "every merchant's orders") nor orders.change_order
        # (releasing a hold put on an order the merchant might have brushed).
        "orders.view_order",
        "fulfillment.view_shipment",
        "fulfillment.add_shipment",
    ),
)

FINANCE = Role(
    "finance",
    "Finance",
    _("Finance"),
    _("Confirms or rejects bank remittances, cancels and refunds orders, reads the payment logs."),
    permissions=(
        # The reveal permission is for the remittance slip, which finance must read to confirm a
        # payment; each reveal needs a reason and is audited.
        REVEAL,
        # Every merchant's orders (view_purchase is the platform's view), to refund them:
        # add_refund is "may cancel and refund".
        "orders.view_purchase",
        "orders.view_order",
        "payments.add_refund",
        # change_refund is "may mark a refund paid back" (a remittance finance pays back, or a
        # refund an institution keeps refusing).
        "payments.change_refund",
        # change_remittanceslip is "may review a slip" (the record itself is never edited).
        "payments.change_remittanceslip",
        *_view("payments.payment", "payments.paymentnotice", "payments.refund", "payments.remittanceslip"),
    ),
)

PRIVACY_OFFICER = Role(
    "privacy_officer",
    "Privacy officer",
    _("Privacy officer"),
    _("Reads the privacy ledgers and the data map, reveals a value with a reason."),
    permissions=(
        REVEAL,
        *_view(
            "privacy.auditevent",
            "privacy.consentrecord",
            "privacy.disclosurerecord",
            "privacy.datakey",
            "privacy.erasurerecord",
            "privacy.policyversion",
            "accounts.user",
            "accounts.profile",
            "addresses.address",
            "identity.realnameverification",
            "identity.faceverification",
            "identity.guardianship",
            "devices.deviceevent",
            "account.emailaddress",
            "socialaccount.socialaccount",
            "otp_totp.totpdevice",
            # failed and successful staff and customer logins: the data-access log analysis
            "axes.accessattempt",
            "axes.accessfailurelog",
            "axes.accesslog",
        ),
        # requests and complaints (candor.service): the whole queue, export and erasure too
        *_view("service.rightsrequest", "service.requestevent"),
        "service.change_rightsrequest",
        "service.verify_identity",
        "service.act_on_request",
        # announcements (candor.announcements): policy drafts and publishing, incidents (find and
        # notify the affected, the regulator's report), the shutdown notice; the cancellation review
        *_view("announcements.noticerun", "announcements.incidentaffected"),
        "announcements.view_policydraft",
        "announcements.add_policydraft",
        "announcements.change_policydraft",
        "announcements.delete_policydraft",
        "announcements.view_incident",
        "announcements.add_incident",
        "announcements.change_incident",
        "announcements.view_shutdownnotice",
        "announcements.add_shutdownnotice",
        "accounts.view_cancellation",
        "accounts.change_cancellation",
    ),
)

ADMINISTRATOR = Role(
    "administrator",
    "Administrator",
    _("Administrator"),
    _("Opens staff accounts, gives them roles and resets a lost second factor; reveals nothing."),
    permissions=(
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "auth.view_group",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        # unlock an account locked out after failed logins
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ),
)

ROLES: tuple[Role, ...] = (CUSTOMER_SERVICE, MERCHANT_STAFF, FINANCE, PRIVACY_OFFICER, ADMINISTRATOR)


def role(code: str) -> Role:
    return next(r for r in ROLES if r.code == code)


def _permissions(names: Iterable[str], using: str) -> tuple[list[Permission], list[str]]:
    """The existing ``Permission`` rows for ``"app_label.codename"`` names, and the missing names."""
    pairs = [tuple(n.split(".", 1)) for n in names]
    if not pairs:
        return [], []
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).filter(query).select_related("content_type")
    }
    wanted = [f"{a}.{c}" for a, c in pairs]
    return [found[n] for n in wanted if n in found], [n for n in wanted if n not in found]


def sync_roles(*, using: str = "default") -> dict[str, list[str]]:
    """Create the role groups and give each exactly its listed permissions that exist.

    Idempotent: running it again changes nothing. Returns ``{role code: missing permissions}``
    for the permissions whose app or model does not exist (yet)."""
    missing: dict[str, list[str]] = {}
    with transaction.atomic(using=using):
        for r in ROLES:
            group, _created = Group.objects.using(using).get_or_create(name=r.name)
            perms, absent = _permissions(r.permissions, using)
            group.permissions.set(perms)
            missing[r.code] = absent
    return missing
