"""我的—消息: the member's notices; opening one marks it read; each can be deleted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from candor.inbox import selectors, services


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.messages_of(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "inbox/list.html", {"page": page})


@login_required
@require_POST
def message_read(request: HttpRequest, message_id: int) -> HttpResponse:
    services.message_read(user=request.user, message_id=message_id)
    return redirect("inbox:list")


@login_required
@require_POST
def message_delete(request: HttpRequest, message_id: int) -> HttpResponse:
    services.message_delete(user=request.user, message_id=message_id)
    return redirect("inbox:list")
