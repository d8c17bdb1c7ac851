"""The binding page ("我的—帐号绑定") and the few pages allauth's social flow needs.

Binding starts with a POST to the provider's allauth login URL with ``process=connect``; the
adapter finishes it through ``services.binding_add`` and comes back here with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candor.errors import CandorError
from candor.sociallogin import selectors, services


@login_required
@require_GET
def bindings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "sociallogin/bindings.html",
        {
            "bindings": selectors.bindings_of(request.user.pk),
            "unbound": selectors.unbound_platforms(request.user.pk),
        },
    )


@login_required
@require_POST
def unbind(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        services.binding_remove(user_id=request.user.pk, provider=provider)
    except CandorError as error:
        messages.error(request, str(error.message))
    else:
        platform = selectors.PLATFORMS.get(provider, provider)
        messages.success(request, _("%(platform)s is unbound.") % {"platform": platform})
    return HttpResponseRedirect(reverse("sociallogin:bindings"))


def login_cancelled(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Third-party login was cancelled."))
    target = "sociallogin:bindings" if request.user.is_authenticated else "login"
    return HttpResponseRedirect(reverse(target))
