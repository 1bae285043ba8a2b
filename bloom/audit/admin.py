from django.contrib import admin

from bloom.audit.models import AccessLogEntry


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: administrators may audit who opened what, never edit or remove it."""

    list_display = ["at", "user", "action", "target_label", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target_label", "user__email", "user__full_name"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
