from django.urls import path

from assistance.views import case as case_views
from assistance.views import funds as fund_views
from assistance.views import requests as request_views

app_name = "assistance"
urlpatterns = [
    # A case's assistance tab and what is recorded from it
    path("cases/<int:pk>/assistance/", case_views.case_assistance, name="case"),
    path("cases/<int:pk>/assistance/requests/new/", case_views.request_new, name="request_new"),
    path("cases/<int:pk>/assistance/requests/<int:request_pk>/edit/", case_views.request_edit, name="request_edit"),
    path("cases/<int:pk>/assistance/in-kind/new/", case_views.item_new, name="item_new"),
    path("cases/<int:pk>/assistance/in-kind/<int:item_pk>/remove/", case_views.item_remove, name="item_remove"),
    path("cases/<int:pk>/assistance/housing/new/", case_views.stay_new, name="stay_new"),
    path("cases/<int:pk>/assistance/housing/<int:stay_pk>/edit/", case_views.stay_edit, name="stay_edit"),
    path("cases/<int:pk>/assistance/awards/add/", case_views.award_add, name="award_add"),
    path("cases/<int:pk>/assistance/awards/remove/", case_views.award_remove, name="award_remove"),
    # Requests, for those who work the case and those who approve and pay
    path("assistance/", request_views.home, name="home"),
    path("assistance/queue/<slug:which>/", request_views.queue, name="queue"),
    path("assistance/requests/<int:pk>/", request_views.request_detail, name="request"),
    path("assistance/requests/<int:pk>/approve/", request_views.request_approve, name="request_approve"),
    path("assistance/requests/<int:pk>/deny/", request_views.request_deny, name="request_deny"),
    path("assistance/requests/<int:pk>/cancel/", request_views.request_cancel, name="request_cancel"),
    path("assistance/requests/<int:pk>/pay/", request_views.request_pay, name="request_pay"),
    path("assistance/requests/<int:pk>/receipt/", request_views.receipt_download, name="receipt"),
    path("assistance/requests/<int:pk>/receipt/add/", request_views.receipt_add, name="receipt_add"),
    # Funds
    path("assistance/funds/", fund_views.fund_list, name="funds"),
    path("assistance/funds/new/", fund_views.fund_new, name="fund_new"),
    path("assistance/funds/<int:fund_pk>/", fund_views.fund_detail, name="fund"),
    path("assistance/funds/<int:fund_pk>/edit/", fund_views.fund_edit, name="fund_edit"),
    path("assistance/funds/<int:fund_pk>/payments.csv", fund_views.fund_payments_csv, name="fund_payments"),
    path("assistance/in-kind/", fund_views.necessities, name="necessities"),
]
