"""The baseline: Django's admin changelist over the same cases, as a small program might use it.

A separate ``AdminSite``, mounted only by ``bench.urls``: Bloom's own admin deliberately
shows no survivor, and this site must never be served outside the benchmark.
"""

from django.contrib import admin

from cases.models import Case
from cases.views.intake import PAGE_SIZE


class CaseAdmin(admin.ModelAdmin):
    list_display = ["client_code", "survivor_name", "status", "team", "opened_on"]
    list_filter = ["status", "team"]
    search_fields = ["survivor__client_code", "survivor__legal_name", "survivor__preferred_name"]
    # Bloom's case list shows 25 rows a page; the admin's default is 100. Same rows, same work.
    list_per_page = PAGE_SIZE
    # As a careful developer would set it: without it, each row's survivor is one more query,
    # and the baseline would lose to an N+1 rather than to a better page.
    list_select_related = ["survivor", "team"]

    @admin.display(description="client code", ordering="survivor__client_code")
    def client_code(self, case):
        return case.survivor.client_code

    @admin.display(description="survivor", ordering="survivor__legal_name")
    def survivor_name(self, case):
        return case.survivor.display_name


site = admin.AdminSite(name="bench_admin")
site.register(Case, CaseAdmin)
