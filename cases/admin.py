from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases.models import ProgramSettings

# Survivor records are deliberately absent from the admin: they are read only through
# cases.permissions. The program's own rules are not survivor data.


@admin.register(ProgramSettings)
class ProgramSettingsAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "minimum_age", "phone"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ProgramSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
