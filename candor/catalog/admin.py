"""The catalog in the back office.

Merchant staff (accounts in ``Merchant.staff``, with the "Merchant staff" role's product
permissions) see and edit only their own merchants' products and SKUs: the lists are filtered,
another merchant's product answers like a missing one, and the merchant field offers only their
own merchants. Platform catalog managers (superusers, or whoever may change merchants) see
everything. Product and SKU writes go through ``candor.catalog.services`` so the price stays
the lowest active SKU price and the search index hears of the change.

Browsing history is personal data: shown masked (PrivacyAdminMixin), read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from candor.catalog import services
from candor.catalog.models import BrowsingHistory, Category, Merchant, Product, ProductImage, Sku, Stock
from candor.privacy.admin_mixins import PrivacyAdminMixin


def sees_all(user: Any) -> bool:
    """Platform catalog managers; everyone else is scoped to their own merchants."""
    return bool(user.is_superuser or user.has_perm("catalog.change_merchant"))


def own_merchants(user: Any) -> QuerySet[Merchant]:
    return Merchant.objects.filter(staff=user)


class _Scoped:
    """Scoping by merchant for a model admin; ``merchant_path`` leads from a row to its merchant."""

    merchant_path = "merchant"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if sees_all(request.user):
            return qs
        return qs.filter(**{f"{self.merchant_path}__staff": request.user}).distinct()

    def _owns(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or sees_all(request.user):
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._owns(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._owns(request, obj)  # type: ignore[misc]


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin):
    list_display = ("id", "name_zh", "name_en", "kind", "slug", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name_zh", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    raw_id_fields = ("staff",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("id", "name_zh", "name_en", "slug", "parent", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name_zh", "name_en", "slug")
    prepopulated_fields = {"slug": ("name_en",)}
    list_select_related = ("parent",)

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "parent" in form.changed_data:
            services.category_moved(category_id=obj.pk)  # the products' top-level category


class SkuFormSet(BaseInlineFormSet):
    """SKUs are written through the service (price and search index kept in step)."""

    def save(self, commit: bool = True) -> list[Any]:
        product = self.instance
        saved = []
        # what the admin's change message reads
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    self.deleted_objects.append(form.instance)
                    services.sku_delete(sku_id=form.instance.pk)
                continue
            data = form.cleaned_data
            if not data:
                continue
            if form.instance.pk and data["code"] != Sku.objects.get(pk=form.instance.pk).code:
                services.sku_delete(sku_id=form.instance.pk)  # a renamed code is a new SKU
            is_new = form.instance.pk is None
            sku = services.sku_save(
                product_id=product.pk,
                code=data["code"],
                price_fen=data["price_fen"],
                options=data.get("options") or {},
                is_active=data.get("is_active", True),
            )
            saved.append(sku)
            if is_new:
                self.new_objects.append(sku)
            elif form.has_changed():
                self.changed_objects.append((sku, form.changed_data))
        return saved


class SkuInline(admin.TabularInline):
    model = Sku
    formset = SkuFormSet
    fields = ("code", "options", "price_fen", "is_active")
    extra = 1
    min_num = 1


class ImageInline(admin.TabularInline):
    model = ProductImage
    fields = ("image_url", "position", "alt_zh", "alt_en")
    extra = 0


@admin.register(Product)
class ProductAdmin(_Scoped, admin.ModelAdmin):
    list_display = (
        "id",
        "name_zh",
        "merchant",
        "category",
        "price_fen",
        "sales_count",
        "is_active",
        "is_service",
    )
    list_filter = ("is_active", "is_service", ("merchant", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=id", "name_zh", "name_en", "brand")
    list_select_related = ("merchant", "category")
    readonly_fields = ("price_fen", "sales_count", "created_at", "updated_at")
    fields = (
        "merchant", "category", "name_zh", "name_en", "subtitle_zh", "subtitle_en", "brand",
        "description_zh", "description_en", "is_active", "is_service", "price_fen", "sales_count",
        "created_at", "updated_at",
    )  # fmt: skip
    inlines = (SkuInline, ImageInline)
    actions = ("deactivate",)
    show_full_result_count = False  # no COUNT(*) over 100k rows on every page

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "merchant" and not sees_all(request.user):
            kwargs["queryset"] = own_merchants(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Product, form: Any, change: bool) -> None:
        values = {
            name: form.cleaned_data[name] for name in services.PRODUCT_FIELDS if name in form.cleaned_data
        }
        if change:
            services.product_update(product_id=obj.pk, **values)
        else:
            created = services.product_create(**values, skus=())
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db

    def delete_model(self, request: HttpRequest, obj: Product) -> None:
        services.product_delete(product_id=obj.pk)

    @admin.action(description=_("Take the selected products off sale"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        for pk in queryset.values_list("pk", flat=True):
            services.product_deactivate(product_id=pk)


class StockInline(admin.TabularInline):
    model = Stock
    fields = ("warehouse", "region", "quantity")
    extra = 1


@admin.register(Sku)
class SkuAdmin(_Scoped, admin.ModelAdmin):
    merchant_path = "product__merchant"
    list_display = ("id", "code", "product", "price_fen", "is_active")
    search_fields = ("=id", "code")
    raw_id_fields = ("product",)
    list_select_related = ("product",)
    readonly_fields = ("product", "code", "price_fen", "is_active", "options")
    inlines = (StockInline,)
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # SKUs are added on their product's page


@admin.register(BrowsingHistory)
class BrowsingHistoryAdmin(PrivacyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "user_id", "product", "viewed_at")
    search_fields = ("=user__id",)
    search_help_text = _("Search by account number.")
    readonly_fields = ("user_id", "product", "viewed_at")
    fields = ("user_id", "product", "viewed_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
