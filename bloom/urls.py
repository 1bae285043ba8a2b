from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from bloom.reports import views as report_views
from bloom.views import SURVEY_LINK_PATH

admin.site.site_header = _("Bloom administration")
admin.site.site_title = "Bloom"

handler404 = "bloom.views.page_not_found"

urlpatterns = [
    path("", report_views.home, name="home"),
    path("accounts/", include("bloom.accounts.urls")),
    path("notifications/", include("bloom.notifications.urls")),
    path("reports/", include("bloom.reports.urls")),
    path("cases/", include("cases.urls")),
    path("", include("phases.urls")),
    path("", include("assistance.urls")),
    path("outreach/", include("outreach.urls")),
    path("training/", include("training.urls")),
    path("retention/", include("retention.urls")),
    # The training survey's public link: no sign-in, nothing but one event's survey.
    path(SURVEY_LINK_PATH.removeprefix("/"), include("training.public_urls")),
    path("directory/", include("bloom.directory.urls")),
    path("admin/", admin.site.urls),
]
