from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bloom.directory import queries
from bloom.directory.forms import OrganizationAdminForm
from bloom.directory.models import Organization, ServiceType, Town


@admin.register(Town)
class TownAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "in_service_area"]
    list_filter = ["in_service_area"]
    search_fields = ["name"]


class ServiceFilter(admin.SimpleListFilter):
    title = _("service")
    parameter_name = "service"

    def lookups(self, request, model_admin):
        return ServiceType.choices

    def queryset(self, request, queryset):
        if self.value() in ServiceType.values:
            return queries.offering(queryset, self.value())
        return queryset


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "kind", "hotline", "phone", "open_24_7", "is_active"]
    list_filter = ["kind", ServiceFilter, "open_24_7", "is_active"]
    search_fields = ["name"]
