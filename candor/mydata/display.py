"""How one value of the person's own data reads on the "my data" page and in its API.

The values are the export's (``rights.data_set``); here they only become readable: a choice
shows its label, a time the local time, a file or a one-way hash says what it is instead of
showing bytes. A field whose declaration names a mask is shown masked — even to its owner, on
a screen others may see (C001-22); the download holds it in full.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from candor.privacy import masking
from candor.privacy.datamap import Declaration

MAX_CHARS = 120


def _model_field(model: type[models.Model], name: str) -> models.Field[Any, Any] | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _when(field: models.Field[Any, Any], value: Any) -> str:
    try:
        if isinstance(field, models.DateTimeField):
            moment = datetime.fromisoformat(str(value))
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value)


def shown(declaration: Declaration, name: str, value: Any) -> str:
    """The screen form of ``value``, the export's cell of field ``name``."""
    if value is None or value == "":
        return ""
    pi = declaration.fields[name]
    if pi.hashed:
        return _("(kept only as a one-way hash)")
    field = _model_field(declaration.model, name)
    if isinstance(field, models.BinaryField | models.FileField):
        return _("(a file: it is in your download)")
    if field is not None and field.choices:
        text = str(dict(field.flatchoices).get(value, value))
    elif isinstance(field, models.DateField):  # DateTimeField is a DateField too
        text = _when(field, value)
    elif isinstance(value, bool):
        text = _("Yes") if value else _("No")
    elif isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    if pi.mask:
        text = masking.mask(pi.mask, text)
    return Truncator(text).chars(MAX_CHARS)
