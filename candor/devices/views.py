"""登录设备 / Login devices: where the account was registered and logged in from, so the owner
can spot a device that is not theirs (C000-01, C001-03). The IP address is shown masked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from candor.devices import selectors
from candor.devices.personal_data import NETWORK_LOG_DAYS


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    context = {"rows": selectors.device_events(user=request.user), "days": NETWORK_LOG_DAYS}
    return render(request, "devices/list.html", context)
