"""``{% location_button %}``: the address form's "use my location" control, in its current state
(granted, ask, or off after a refusal or a withdrawal), so that other apps' templates embed it
without their views knowing about consent."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from candor.centre import selectors
from candor.privacy import consent, taxonomy

register = template.Library()


@register.inclusion_tag("centre/_location_button.html", takes_context=True)
def location_button(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        state = "off"
    elif consent.has(user.pk, taxonomy.LOCATION_FEATURES):
        state = "granted"
    elif selectors.should_ask(user, taxonomy.LOCATION_FEATURES):
        state = "ask"
    else:
        state = "off"
    return {
        "state": state,
        "region_url": reverse("api:location_region"),
        "prompt_url": reverse("api:consent_prompt", args=[taxonomy.LOCATION_FEATURES.code]),
    }
