"""The vocabulary every declaration speaks: data categories, purposes, legal bases, recipients.

Categories follow GB/T 35273-2020 Annex A; the ones Annex B and PIPL art. 28 call sensitive
(and the seeds, C001-01) carry ``sensitive=True`` — a declared field inherits that unless it
says otherwise. Purposes are the functions the five seed policies describe; each is *basic*
(covered by accepting the policy), *additional* (its own opt-in) or *sensitive* (separate
consent, PIPL art. 29). Legal bases are those of PIPL art. 13; the seeds' "no consent needed"
cases (C000-21, C001-17, C004-13) map onto them. Labels are bilingual so that the published
lists and the user's export are generated from here, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Need(StrEnum):
    BASIC = "basic"  # covered by accepting the policy; refusing it means not using the mall
    ADDITIONAL = "additional"  # its own opt-in, never pre-ticked, refusal blocks nothing basic
    SENSITIVE = "sensitive"  # separate, explicit consent for sensitive personal information


@dataclass(frozen=True)
class Category:
    code: str
    label: Promise
    sensitive: bool
    examples: Promise


@dataclass(frozen=True)
class Purpose:
    code: str
    label: Promise
    need: Need
    description: Promise

    @property
    def needs_consent(self) -> bool:
        return self.need is not Need.BASIC


@dataclass(frozen=True)
class LegalBasis:
    code: str
    label: Promise
    article: str


@dataclass(frozen=True)
class Recipient:
    code: str
    label: Promise
    description: Promise


_T = TypeVar("_T", Category, Purpose, LegalBasis, Recipient)


def _index(*items: _T) -> dict[str, _T]:
    index = {item.code: item for item in items}
    assert len(index) == len(items), "duplicate code"
    return index


# --- Categories (GB/T 35273-2020 Annex A; sensitivity per Annex B, PIPL art. 28, C001-01) -----
BASIC = Category(
    "basic", _("Basic personal details"), False, _("name, birthday, gender, phone number, address, email")
)
IDENTITY = Category(
    "identity", _("Identity information"), True, _("ID card, passport and other identity documents")
)
BIOMETRIC = Category("biometric", _("Biometric information"), True, _("face, voiceprint, fingerprint"))
NETWORK_IDENTITY = Category(
    "network_identity", _("Network identity"), True, _("account name, password, third-party account ID")
)
HEALTH = Category(
    "health", _("Health and physiological information"), True, _("medical records, health status")
)
EDUCATION_WORK = Category(
    "education_work", _("Education and work"), False, _("occupation, employer, education")
)
PROPERTY = Category(
    "property", _("Property information"), True, _("bank account, payment and transaction records")
)
COMMUNICATION = Category(
    "communication", _("Communication records and content"), True, _("messages, call logs")
)
CONTACTS = Category("contacts", _("Contacts"), True, _("address book, friend list"))
ONLINE_ACTIVITY = Category(
    "online_activity",
    _("Online activity records"),
    False,
    _("search history, browsing history, favorites, logs"),
)
DEVICE = Category(
    "device", _("Device information"), False, _("device model, identifiers, OS and app version, IP address")
)
LOCATION = Category("location", _("Location"), True, _("precise location, whereabouts"))
MINOR = Category(
    "minor", _("Information of children under 14"), True, _("any personal information of a child")
)
OTHER = Category("other", _("Other information"), False, _("preferences, interests, notes"))

CATEGORIES = _index(
    BASIC, IDENTITY, BIOMETRIC, NETWORK_IDENTITY, HEALTH, EDUCATION_WORK, PROPERTY,
    COMMUNICATION, CONTACTS, ONLINE_ACTIVITY, DEVICE, LOCATION, MINOR, OTHER,
)  # fmt: skip


# --- Purposes (the seeds' functions) ----------------------------------------------------------
def _p(code: str, label: Promise, need: Need, description: Promise) -> Purpose:
    return Purpose(code, label, need, description)


REGISTRATION = _p(
    "registration", _("Registration and login"), Need.BASIC, _("create and secure your account")
)
DISPLAY = _p(
    "display",
    _("Product display and search"),
    Need.BASIC,
    _("show products suited to your device, keep your searches"),
)
ORDERING = _p("ordering", _("Ordering"), Need.BASIC, _("create and show your orders"))
PAYMENT = _p("payment", _("Payment"), Need.BASIC, _("let a payment institution collect the amount"))
DELIVERY = _p("delivery", _("Delivery"), Need.BASIC, _("deliver the goods to the recipient"))
CUSTOMER_SERVICE = _p(
    "customer_service",
    _("Customer service and after-sales"),
    Need.BASIC,
    _("answer questions, handle returns and repairs"),
)
TRANSACTION_SECURITY = _p(
    "transaction_security",
    _("Transaction and account security"),
    Need.BASIC,
    _("prevent fraud, order brushing and account theft"),
)
LEGAL_RETENTION = _p(
    "legal_retention", _("Keeping records the law requires"), Need.BASIC,
    _("keep transaction records for 3 years (E-Commerce Law art. 31) and network logs for 6 months"),
)  # fmt: skip
RIGHTS_REQUESTS = _p(
    "rights_requests",
    _("Answering your requests"),
    Need.BASIC,
    _("handle access, correction, deletion and complaints"),
)
PERSONALIZATION = _p(
    "personalization", _("Personalized recommendation"), Need.ADDITIONAL,
    _("recommend products from your browsing history and favorites"),
)  # fmt: skip
LOCATION_FEATURES = _p(
    "location_features", _("Location features"), Need.SENSITIVE,
    _("regional stock, nearby stores and service outlets, filling in an address"),
)  # fmt: skip
CAMERA = _p(
    "camera", _("Camera"), Need.ADDITIONAL, _("scan codes, take photos and videos for reviews and service")
)
ALBUM = _p(
    "album", _("Photo album"), Need.ADDITIONAL, _("upload photos for reviews, service and photo shopping")
)
MICROPHONE = _p(
    "microphone", _("Microphone"), Need.ADDITIONAL, _("voice shopping, voice messages and videos")
)
CONTACTS_ACCESS = _p(
    "contacts",
    _("Contacts"),
    Need.SENSITIVE,
    _("fill in a contact's number, find friends who also shop here"),
)
MARKETING_ACTIVITIES = _p(
    "marketing_activities",
    _("Marketing activities"),
    Need.ADDITIONAL,
    _("lotteries and surveys you take part in"),
)
MARKETING_PUSH = _p(
    "marketing_push", _("Marketing messages"), Need.ADDITIONAL, _("send offers by push, SMS or email")
)
FACE_LOGIN = _p("face_login", _("Face recognition login"), Need.SENSITIVE, _("log in by face"))
REAL_NAME = _p(
    "real_name", _("Real-name verification"), Need.SENSITIVE,
    _("verify identity where the law or a publisher role requires it"),
)  # fmt: skip
ANALYTICS = _p(
    "analytics",
    _("De-identified analytics"),
    Need.ADDITIONAL,
    _("statistics that identify no one, to improve the mall"),
)
CROSS_BORDER = _p(
    "cross_border",
    _("Cross-border transfer"),
    Need.SENSITIVE,
    _("send data outside mainland China when you ask for it"),
)
GUARDIAN_CONSENT = _p(
    "guardian_consent",
    _("Guardian consent for a child"),
    Need.SENSITIVE,
    _("process a child's data with a guardian's consent"),
)

PURPOSES = _index(
    REGISTRATION, DISPLAY, ORDERING, PAYMENT, DELIVERY, CUSTOMER_SERVICE, TRANSACTION_SECURITY,
    LEGAL_RETENTION, RIGHTS_REQUESTS, PERSONALIZATION, LOCATION_FEATURES, CAMERA, ALBUM,
    MICROPHONE, CONTACTS_ACCESS, MARKETING_ACTIVITIES, MARKETING_PUSH, FACE_LOGIN, REAL_NAME,
    ANALYTICS, CROSS_BORDER, GUARDIAN_CONSENT,
)  # fmt: skip

# Data kept only because a law requires it may be read for these purposes and no other.
# Storage and legal duties only (PIPL art. 47): customer service is not among them.
LEGAL_PURPOSES = frozenset({LEGAL_RETENTION.code, RIGHTS_REQUESTS.code})


# --- Legal bases (PIPL art. 13; the seeds' no-consent cases, C000-21) ----------------------------
CONSENT = LegalBasis("consent", _("Your consent"), "PIPL 13(1)")
CONTRACT = LegalBasis("contract", _("Necessary to perform a contract with you"), "PIPL 13(2)")
EMPLOYMENT = LegalBasis("employment", _("Necessary for human-resources management"), "PIPL 13(2)")
LEGAL_OBLIGATION = LegalBasis("legal_obligation", _("A legal duty or obligation"), "PIPL 13(3)")
VITAL_INTERESTS = LegalBasis(
    "vital_interests", _("Public health emergency, or protecting life, health or property"), "PIPL 13(4)"
)
PUBLIC_INTEREST = LegalBasis(
    "public_interest", _("News reporting and public-opinion supervision"), "PIPL 13(5)"
)
PUBLIC_DATA = LegalBasis(
    "public_data", _("Information you published yourself or that is lawfully public"), "PIPL 13(6)"
)
OTHER_LAW = LegalBasis("other_law", _("Other cases provided by laws and regulations"), "PIPL 13(7)")

LEGAL_BASES = _index(
    CONSENT, CONTRACT, EMPLOYMENT, LEGAL_OBLIGATION, VITAL_INTERESTS, PUBLIC_INTEREST, PUBLIC_DATA, OTHER_LAW
)


# --- Recipients -----------------------------------------------------------------------------
PAYMENT_INSTITUTION = Recipient(
    "payment_institution",
    _("Payment institutions"),
    _("WeChat Pay, Alipay, UnionPay: collect the amount you pay"),
)
LOGISTICS = Recipient("logistics", _("Logistics companies"), _("carriers that deliver your order"))
MERCHANT = Recipient("merchant", _("Third-party merchants"), _("the shop that sells you the goods"))
AFTER_SALES = Recipient(
    "after_sales", _("After-sales service providers"), _("repair and service partners of the merchant")
)
RISK_CONTROL = Recipient("risk_control", _("Risk-control providers"), _("detect fraud and order brushing"))
LOCATION_PROVIDER = Recipient(
    "location_provider", _("Location service providers"), _("turn a position into an address")
)
IDENTITY_AUTHORITY = Recipient(
    "identity_authority", _("Identity verification authority"), _("check a name against an ID number")
)
SMS_GATEWAY = Recipient("sms_gateway", _("SMS gateways"), _("deliver verification codes and notices"))
PUSH_SERVICE = Recipient("push_service", _("Push services"), _("deliver notifications to your device"))
# Not a recipient of anything Candor holds: the person authorizes on the platform's own page and
# the platform returns the granted profile (C002-09). Listed so the third-party list can say so.
LOGIN_PLATFORM = Recipient(
    "login_platform",
    _("Third-party login platforms"),
    _("confirm who you are when you choose to log in with WeChat or QQ"),
)
PROMOTION_PARTNER = Recipient(
    "promotion_partner",
    _("Promotion partners"),
    _("receive only aggregate reach and effect, never identities"),
)

RECIPIENTS = _index(
    PAYMENT_INSTITUTION, LOGISTICS, MERCHANT, AFTER_SALES, RISK_CONTROL, LOCATION_PROVIDER,
    IDENTITY_AUTHORITY, SMS_GATEWAY, PUSH_SERVICE, LOGIN_PLATFORM, PROMOTION_PARTNER,
)  # fmt: skip
