"""System checks that make ``manage.py check`` fail on undeclared or badly declared personal data.

How a field is recognised as personal: by type (email, IP address, encrypted) and by name
(phone, address, id_number, birthday, … — ``PERSONAL_NAME``); a model is recognised as
holding someone's data when it points at the user model. Every such field must be declared
in its app's ``personal_data.py``, or listed in the declaration's ``not_personal`` (or, for a
model about no one, in ``datamap.not_personal``) with the reason — the explicit list of
fields that only look personal, such as a product's ``name``.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

from candor.privacy import datamap, taxonomy
from candor.privacy.retention import Rule

PERSONAL_NAME = re.compile(
    r"(^|_)("
    r"phone|mobile|tel|telephone|landline|e?mail|name|nickname|realname|surname|address|addr|street|"
    r"zip|zipcode|postcode|id_?number|id_?card|idcard|identity|passport|birth|birthday|birthdate|dob|"
    r"gender|sex|avatar|photo|face|voice|ip|ip_address|imei|mac|meid|idfa|oaid|android_id|device_id|"
    r"location|latitude|longitude|lat|lng|geo|gps|recipient|contact|bank|card_no|card_number|account_no|"
    r"openid|unionid|wechat|qq|keyword|keywords|query|password|salary|income|health|medical|guardian"
    r")($|_)"
)
PERSONAL_TYPES: tuple[type[models.Field[Any, Any]], ...] = (models.EmailField, models.GenericIPAddressField)
CHECKED_APP_PREFIXES = ("candor.", "tests.")


def register() -> None:
    checks.register(check_declarations, checks.Tags.models)


def looks_personal(field: models.Field[Any, Any]) -> bool:
    from candor.privacy.crypto import EncryptedField

    if isinstance(field, (EncryptedField, *PERSONAL_TYPES)):
        return True
    return bool(PERSONAL_NAME.search(field.name.lower()))


def points_at_user(field: models.Field[Any, Any]) -> bool:
    # A foreign key or a one-to-one (a profile) both make the row someone's data.
    return bool(
        field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.concrete
        and field.related_model is _user_model()
    )


def _user_model() -> type[models.Model]:
    return apps.get_model(settings.AUTH_USER_MODEL)


def _checked(model: type[models.Model]) -> bool:
    module = model._meta.app_config.name if model._meta.app_config else ""
    if model is _user_model():
        return True
    if module.startswith(CHECKED_APP_PREFIXES):
        return True
    # Third-party models are checked only when they point at a person.
    return any(points_at_user(f) for f in model._meta.concrete_fields)


def check_declarations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in apps.get_models():
        if model._meta.abstract or model._meta.proxy or not model._meta.managed:
            continue
        declaration = datamap.declaration_for(model)
        if declaration is not None:
            errors += _check_declared(declaration)
        elif _checked(model) and datamap.exemption_for(model) is None:
            errors += _check_undeclared(model)
    return errors


def _label(model: type[models.Model], name: str) -> str:
    return f"{model._meta.label}.{name}"


def _check_undeclared(model: type[models.Model]) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    reviewed = datamap.reviewed_fields(model)
    for field in model._meta.concrete_fields:
        if field.name in reviewed or field.primary_key:
            continue
        if points_at_user(field):
            errors.append(
                checks.Error(
                    f"{model._meta.label} points at the user ({field.name}) but is not declared",
                    hint="register it in its app's personal_data.py, or exempt it with a reason",
                    obj=model,
                    id="privacy.E008",
                )
            )
        elif looks_personal(field):
            errors.append(_undeclared(model, field.name))
    return errors


def _undeclared(model: type[models.Model], name: str) -> checks.CheckMessage:
    return checks.Error(
        f"{_label(model, name)} holds personal data but is not declared",
        hint="declare it with Pi(...) in personal_data.py, or list it as not personal with a reason",
        obj=model,
        id="privacy.E001",
    )


def _check_declared(declaration: datamap.Declaration) -> list[checks.CheckMessage]:
    from candor.privacy.crypto import EncryptedField

    model = declaration.model
    errors: list[checks.CheckMessage] = []
    names = {f.name: f for f in model._meta.concrete_fields}

    def error(message: str, code: str, hint: str | None = None) -> None:
        errors.append(checks.Error(message, hint=hint, obj=model, id=code))

    if not isinstance(declaration.retention, Rule):
        error(
            f"{model._meta.label} has no retention rule",
            "privacy.E004",
            "retention=while_account() or after(…)",
        )
    elif declaration.retention.field and declaration.retention.field not in names:
        error(
            f"{model._meta.label}: retention counts from unknown field {declaration.retention.field!r}",
            "privacy.E002",
        )
    if declaration.reference and (
        declaration.reference not in names or declaration.reference in declaration.fields
    ):
        # The reference is shown beside the record as a plain, non-personal name for it.
        error(
            f"{model._meta.label}: reference {declaration.reference!r} must be a field not declared personal",
            "privacy.E002",
        )
    if declaration.subject == "pk" and model is not _user_model():
        error(
            f"{model._meta.label}: subject='pk' means the row is the user; point at the user instead",
            "privacy.E011",
        )
    attnames = {f.attname: f for f in names.values()}
    subject_field = attnames.get(declaration.subject_field)
    if declaration.subject != "pk" and subject_field is None:
        error(f"{model._meta.label}: subject field {declaration.subject!r} does not exist", "privacy.E002")
    elif subject_field is not None and not (
        points_at_user(subject_field)
        or isinstance(subject_field, models.BigIntegerField | models.IntegerField)
    ):
        # Export and erasure select rows by this field: it must hold the user's id.
        error(
            f"{model._meta.label}: subject {declaration.subject!r} must be the user's foreign key or id",
            "privacy.E012",
        )

    for name, pi in declaration.fields.items():
        field = names.get(name)
        if field is None:
            error(f"{_label(model, name)} is declared but does not exist", "privacy.E002")
            continue
        if pi.category.code not in taxonomy.CATEGORIES:
            error(f"{_label(model, name)}: unknown category {pi.category.code!r}", "privacy.E005")
        for purpose in pi.purposes:
            if taxonomy.PURPOSES.get(purpose.code) != purpose:
                error(f"{_label(model, name)}: unknown purpose {purpose.code!r}", "privacy.E005")
        if not pi.purposes:
            error(f"{_label(model, name)} is declared without a purpose", "privacy.E005")
        encrypted = isinstance(field, EncryptedField)
        if pi.encrypt and not encrypted:
            error(
                f"{_label(model, name)} is declared encrypted but is a {type(field).__name__}", "privacy.E006"
            )
        if encrypted and not pi.encrypt:
            error(f"{_label(model, name)} is encrypted but not declared encrypt=True", "privacy.E006")
        if pi.is_sensitive and not (encrypted or pi.hashed):
            error(
                f"{_label(model, name)} is sensitive ({pi.category.code}) but stored in clear",
                "privacy.E003",
                "make it an EncryptedField and declare encrypt=True",
            )
        if pi.mask is not None:
            from candor.privacy.masking import MASKS

            if pi.mask not in MASKS:
                error(f"{_label(model, name)}: unknown mask {pi.mask!r}", "privacy.E005")

    errors += _check_anonymizable(declaration)
    siblings = {
        getattr(names[n], "blind_index", None)
        for n in declaration.fields
        if isinstance(names.get(n), EncryptedField)
    }
    for name, field in names.items():
        if name in declaration.fields or name in declaration.not_personal or field.primary_key:
            continue
        if name in siblings:  # an HMAC blind index of a declared encrypted field
            continue
        if name == declaration.subject or field.attname == declaration.subject_field:
            continue
        if looks_personal(field) or points_at_user(field):
            errors.append(_undeclared(model, name))

    for share in declaration.recipients:
        if taxonomy.RECIPIENTS.get(share.recipient.code) != share.recipient:
            error(f"{model._meta.label}: unknown recipient {share.recipient.code!r}", "privacy.E005")
        if taxonomy.PURPOSES.get(share.purpose.code) != share.purpose:
            error(
                f"{model._meta.label}: unknown purpose {share.purpose.code!r} for a recipient", "privacy.E005"
            )
        for attr in share.fields:
            if attr not in names and not hasattr(model, attr):
                error(
                    f"{model._meta.label}: {share.recipient.code} may receive unknown {attr!r}",
                    "privacy.E009",
                )
    return errors


def _check_anonymizable(declaration: datamap.Declaration) -> list[checks.CheckMessage]:
    """Every field that erasure or a sweep will blank must have a blank value (E010)."""
    from candor.privacy.retention import Then, anonymized_values

    if declaration.on_erasure is datamap.OnErasure.ANONYMIZE or (
        isinstance(declaration.retention, Rule) and declaration.retention.then is Then.ANONYMIZE
    ):
        names = [
            n for n in declaration.fields if n in {f.name for f in declaration.model._meta.concrete_fields}
        ]
    elif declaration.on_erasure is datamap.OnErasure.RESTRICT:
        names = [n for n, pi in declaration.fields.items() if not pi.encrypt]
    else:
        return []
    errors: list[checks.CheckMessage] = []
    for name in names:
        try:
            anonymized_values(declaration, [name])
        except (ValueError, LookupError) as exc:
            errors.append(checks.Error(str(exc), obj=declaration.model, id="privacy.E010"))
    return errors
