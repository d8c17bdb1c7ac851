"""Orders in the back office: what merchant staff work from, and what platform staff oversee.

Who sees which orders. Merchant staff (accounts in ``Merchant.staff``) see their own merchants'
orders and no one else's: the query itself is scoped, so the list, the change page, the reveal
page and every action reach only those; another merchant's order by its URL is "not found"
(404), as in the API. Platform staff — superusers and whoever may view purchases (a purchase
spans merchants, so only the platform sees it) — see every order. Someone with the order
permission who belongs to no merchant and is not platform staff sees nothing: the scope is the
default, never the exception.

What they see of the buyer. Every declared field is masked (``PrivacyAdminMixin``); revealing
one needs ``privacy.reveal_personal_data`` and a reason and is audited — merchant staff never
have it. What the shipping label needs (recipient, mobile, address, items) reaches the merchant
only through "print shipping label", which calls ``disclosure.disclose(MERCHANT, order,
DELIVERY)``: the payload is the merchant's allowlist on the order's declaration, and the
hand-over is in the disclosure ledger the buyer reads. The label is a POST answer, never cached,
so reloading a list does not disclose anything.

What they may do. Orders are never added, edited or deleted here (the transaction record is the
services'); each action calls its service: ship (``fulfillment.services.shipment_create``, the
carrier gets the recipient through its own disclosure), release a hold (platform staff who may
change orders), cancel and refund (``payments.services.order_cancel_and_refund``). Each action
has its own permission (``has_<action>_permission``) — see ``candor.staff.roles``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote, unquote
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from candor.errors import CandorError
from candor.fulfillment import services as fulfillment
from candor.money import yuan_filter as money  # "" for no amount
from candor.orders import services
from candor.orders.models import Order, OrderLine, Purchase
from candor.orders.risk import HELD_REASONS
from candor.orders.selectors import merchant_ids_of
from candor.payments import services as payments
from candor.privacy import disclosure, taxonomy
from candor.privacy.admin_mixins import PrivacyAdminMixin, ReadOnlyMixin

SHIP_PERMISSION = "fulfillment.add_shipment"  # who ships also prints the label
REFUND_PERMISSION = "payments.add_refund"
RELEASE_PERMISSION = "orders.change_order"
LABEL_STATES = (Order.Status.TO_SHIP, Order.Status.SHIPPED)  # before shipping, or a reprint
CANCEL_STATES = (Order.Status.PENDING_PAYMENT, Order.Status.TO_SHIP)
STAFF_CANCEL_REASON = "staff"


def sees_all_orders(user: Any) -> bool:
    """Platform staff; everyone else is scoped to the merchants they work for."""
    return bool(user.is_superuser or user.has_perm("orders.view_purchase"))


def scope_to_merchants(rows: QuerySet[Any], user: Any, *, path: str = "merchant") -> QuerySet[Any]:
    """``rows`` as ``user`` may see them; ``path`` leads from a row to its merchant."""
    if sees_all_orders(user):
        return rows
    return rows.filter(**{f"{path}_id__in": merchant_ids_of(user)})


class HeldFilter(admin.SimpleListFilter):
    title = _("held for review")
    parameter_name = "held"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("any", _("Held, any reason")), *HELD_REASONS.items(), ("no", _("Not held"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "any":
            return queryset.exclude(held_reason="")
        if value == "no":
            return queryset.filter(held_reason="")
        if value in HELD_REASONS:
            return queryset.filter(held_reason=value)
        return queryset


class OrderLineInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderLine
    fields = ("product_name", "sku", "options", "unit_price", "quantity", "line_total", "released_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=_("unit price"))
    def unit_price(self, line: OrderLine) -> str:
        return money(line.unit_price_fen)

    @admin.display(description=_("line total"))
    def line_total(self, line: OrderLine) -> str:
        return money(line.total_fen)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The lines are part of the order: whoever may open the order (scoped) sees them.
        return True


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    list_display = (
        "number", "merchant", "status", "payment_method", "total", "held", "recipient_name", "city",
        "created_at",
    )  # fmt: skip
    list_filter = ("status", HeldFilter, "payment_method", ("merchant", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("merchant",)
    date_hierarchy = "created_at"
    # Found by number: a searchable personal field could be probed letter by letter.
    search_fields = ("=number", "=purchase__number")
    search_help_text = _("Search by order or purchase number. Personal fields are not searchable.")
    inlines = (OrderLineInline,)
    actions = ("ship", "print_label", "release_hold", "cancel_and_refund")
    change_form_template = "admin/orders/order/change_form.html"
    fieldsets = (
        (None, {"fields": ("number", "purchase", "merchant", "status", "payment_method", "held", "waybill")}),
        (_("Recipient"), {"fields": (
            "recipient_name", "recipient_phone", "landline", "email", "province", "city", "district",
            "address_detail", "warehouse_name", "note",
        )}),
        (_("Invoice"), {"fields": ("invoice_title", "tax_number")}),
        (_("Amounts"), {"fields": ("goods", "shipping", "total")}),
        (_("Dates"), {"fields": (
            "created_at", "paid_at", "shipped_at", "delivered_at", "completed_at", "cancelled_at",
            "cancel_reason", "closed_at",
        )}),
    )  # fmt: skip
    readonly_fields = (
        "number", "purchase", "merchant", "status", "payment_method", "held", "waybill", "goods", "shipping",
        "total", "created_at", "paid_at", "shipped_at", "delivered_at", "completed_at", "cancelled_at",
        "cancel_reason", "closed_at",
    )  # fmt: skip

    # --- what is shown ---------------------------------------------------------------------

    @admin.display(description=_("total"), ordering="total_fen")
    def total(self, order: Order) -> str:
        return money(order.total_fen)

    @admin.display(description=_("goods"))
    def goods(self, order: Order) -> str:
        return money(order.goods_fen)

    @admin.display(description=_("shipping"))
    def shipping(self, order: Order) -> str:
        return money(order.shipping_fen)

    @admin.display(description=_("held for review because"))
    def held(self, order: Order) -> str:
        return str(HELD_REASONS.get(order.held_reason, order.held_reason))

    @admin.display(description=_("waybill"))
    def waybill(self, order: Order) -> str:
        shipment = getattr(order, "shipment", None)
        return str(shipment) if shipment is not None else ""

    def privacy_label(self, obj: Any) -> str:
        return f"{self.opts.verbose_name} {obj.number}"  # the number names no one

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and sees_all_orders(request.user):
            # The buyer's account number, for platform staff only; never the account's name.
            title, options = fieldsets[0]
            fieldsets[0] = (title, {**options, "fields": (*options["fields"], "buyer_id")})
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [*super().get_readonly_fields(request, obj), "buyer_id"]

    # --- who sees what ---------------------------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return scope_to_merchants(super().get_queryset(request), request.user)

    def has_ship_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(SHIP_PERMISSION)

    def has_label_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(SHIP_PERMISSION)

    def has_release_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Not merchant staff: a hold guards against order brushing, which the merchant gains from.
        return sees_all_orders(request.user) and request.user.has_perm(RELEASE_PERMISSION)

    def has_refund_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(REFUND_PERMISSION)

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        order = self.get_object(request, unquote(object_id))
        if order is None:
            raise Http404  # another merchant's order is not theirs to know of
        context = {**(extra_context or {}), "order_actions": self._actions_for(request, order)}
        return super().change_view(request, object_id, form_url, context)

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def _actions_for(self, request: HttpRequest, order: Order) -> list[dict[str, Any]]:
        """The change page's buttons: the actions that apply to this order and this user."""
        applies = {
            "ship": order.status == Order.Status.TO_SHIP and not order.held_reason,
            "print_label": order.status in LABEL_STATES and not order.held_reason,
            "release_hold": bool(order.held_reason),
            "cancel_and_refund": order.status in CANCEL_STATES,
        }
        actions = self.get_actions(request)
        return [
            {"name": name, "label": actions[name][2]}
            for name, ok in applies.items()
            if ok and name in actions
        ]

    def _back(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        """From the change page's button, back to that order; from the list, the list."""
        if request.POST.get("_from") == "change" and len(request.POST.getlist(ACTION_CHECKBOX_NAME)) == 1:
            order = queryset.first()
            if order is not None:
                info = (self.admin_site.name, self.opts.app_label, self.opts.model_name)
                return HttpResponseRedirect(reverse("{}:{}_{}_change".format(*info), args=[quote(order.pk)]))
        return None

    def _none_found(self, request: HttpRequest, queryset: QuerySet[Order]) -> bool:
        if queryset.exists():
            return False
        self.message_user(request, _("None of the selected orders was found."), messages.WARNING)
        return True

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Order], step: Callable[[Order], str]
    ) -> HttpResponse | None:
        """Run ``step`` (a service call) on each selected order in scope; say what it did, or
        why the service refused, order by order."""
        if self._none_found(request, queryset):
            return None
        for order in queryset:
            try:
                done = step(order)
            except CandorError as exc:
                refusal = _("Order %(number)s: %(reason)s") % {"number": order.number, "reason": exc.message}
                self.message_user(request, refusal, messages.ERROR)
            else:
                self.message_user(request, done, messages.SUCCESS)
        return self._back(request, queryset)

    # --- actions ---------------------------------------------------------------------------

    @admin.action(description=_("Ship (create the waybill)"), permissions=["ship"])
    def ship(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        def step(order: Order) -> str:
            shipment = fulfillment.shipment_create(order=order, actor_id=request.user.pk)
            return _("Order %(number)s shipped: %(carrier)s waybill %(waybill)s.") % {
                "number": order.number, "carrier": shipment.carrier_code, "waybill": shipment.waybill_no,
            }  # fmt: skip

        return self._each(request, queryset, step)

    @admin.action(description=_("Print shipping label"), permissions=["label"])
    def print_label(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        if self._none_found(request, queryset):
            return None
        labels = []
        for order in queryset.select_related("shipment"):
            if order.status not in LABEL_STATES or order.held_reason:
                self.message_user(
                    request,
                    _("Order %(number)s has no label to print: it is not awaiting shipment or shipped, "
                      "or it is held for review.") % {"number": order.number},
                    messages.WARNING,
                )  # fmt: skip
                continue
            payload = disclosure.disclose(
                taxonomy.MERCHANT, order, taxonomy.DELIVERY, actor_id=request.user.pk
            )
            labels.append({"order": payload, "shipment": getattr(order, "shipment", None)})
        if not labels:
            return self._back(request, queryset)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts, "title": _("Shipping labels"), "labels": labels,
            "sender": settings.CANDOR_CARRIER["sender"],
        }  # fmt: skip
        response = TemplateResponse(request, "admin/orders/order/labels.html", context)
        add_never_cache_headers(response)
        return response

    @admin.action(description=_("Release the hold (reviewed, genuine)"), permissions=["release"])
    def release_hold(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        def step(order: Order) -> str:
            services.order_release_hold(order_id=order.pk, actor_id=request.user.pk)
            return _("Order %(number)s released: the merchant may ship it.") % {"number": order.number}

        return self._each(request, queryset, step)

    @admin.action(description=_("Cancel and refund"), permissions=["refund"])
    def cancel_and_refund(self, request: HttpRequest, queryset: QuerySet[Order]) -> HttpResponse | None:
        if request.POST.get("confirm") != "yes" and queryset.exists():
            # Money goes back and the order closes for good: say which orders, and ask once more.
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts, "title": _("Cancel and refund these orders?"),
                "orders": list(queryset), "action": "cancel_and_refund",
                "came_from": request.POST.get("_from", ""), "action_checkbox_name": ACTION_CHECKBOX_NAME,
            }  # fmt: skip
            return TemplateResponse(request, "admin/orders/order/cancel_confirm.html", context)

        def step(order: Order) -> str:
            payments.order_cancel_and_refund(
                order=order, actor_id=request.user.pk, reason=STAFF_CANCEL_REASON
            )
            return _("Order %(number)s cancelled; a paid amount goes back the way it came.") % {
                "number": order.number
            }

        return self._each(request, queryset, step)


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyMixin, PrivacyAdminMixin, admin.ModelAdmin):
    """One checkout across merchants: platform staff (finance) only, read-only."""

    list_display = ("number", "status", "payment_method", "amount", "created_at", "pay_by", "paid_at")
    list_filter = ("status",)
    search_fields = ("=number",)
    search_help_text = _("Search by purchase number.")
    date_hierarchy = "created_at"
    fields = ("number", "buyer_id", "status", "payment_method", "amount", "orders_of", "created_at", "pay_by",
              "paid_at")  # fmt: skip
    readonly_fields = ("number", "buyer_id", "status", "amount", "orders_of", "created_at", "pay_by")

    @admin.display(description=_("amount"), ordering="total_fen")
    def amount(self, purchase: Purchase) -> str:
        return money(purchase.total_fen)

    @admin.display(description=_("orders"))
    def orders_of(self, purchase: Purchase) -> str:
        return ", ".join(purchase.orders.order_by("id").values_list("number", flat=True))

    def privacy_label(self, obj: Any) -> str:
        return f"{self.opts.verbose_name} {obj.number}"
