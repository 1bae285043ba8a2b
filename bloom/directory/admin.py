from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from bloom.directory.models import Organization, Town


@admin.register(Town)
class TownAdmin(SimpleHistoryAdmin):
    list_display = ["name", "state", "in_service_area"]
    list_filter = ["in_service_area"]
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "phone", "open_24_7"]
    list_filter = ["kind", "open_24_7"]
    search_fields = ["name"]
