from django.urls import path

from cases.service_report import views as service_report
from cases.views import access, closure, contacts, copy, inbox, intake, safety, sharing
from cases.views import catalogue as catalogue_views
from cases.views import fields as field_views
from cases.views.quality import quality_list

app_name = "cases"
urlpatterns = [
    path("", intake.case_list, name="list"),
    path("new/", intake.case_create, name="create"),
    path("<int:pk>/", intake.case_detail, name="detail"),
    path("<int:pk>/edit/", intake.case_edit, name="edit"),
    path("<int:pk>/assign/", intake.case_assign, name="assign"),
    path("<int:pk>/history/", intake.case_history, name="history"),
    path("<int:pk>/access-log/", intake.case_access_log, name="access_log"),
    path("duplicates/", intake.duplicate_check, name="duplicates"),
    path("quality/", quality_list, name="quality"),
    # Requests for help passed on from outreach
    path("intake-requests/", inbox.intake_requests, name="intake_requests"),
    path("intake-requests/<int:pk>/", inbox.intake_request, name="intake_request"),
    path("intake-requests/<int:pk>/start/", inbox.intake_request_start, name="intake_request_start"),
    path("intake-requests/<int:pk>/close/", inbox.intake_request_close, name="intake_request_close"),
    path("<int:pk>/screening/", intake.screening_list, name="screenings"),
    path("<int:pk>/screening/new/", intake.screening_new, name="screening_new"),
    path("<int:pk>/eligibility/", intake.eligibility_override, name="eligibility_override"),
    path("<int:pk>/outcome/", intake.outcome, name="outcome"),
    path("<int:pk>/mandated-reports/new/", intake.mandated_report_new, name="mandated_report_new"),
    path("<int:pk>/family/new/", intake.family_member_new, name="family_member_new"),
    path("<int:pk>/family/<int:member_pk>/remove/", intake.family_member_remove, name="family_member_remove"),
    # Contacts and stages of change
    path("<int:pk>/contacts/", contacts.contact_list, name="contacts"),
    path("<int:pk>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("<int:pk>/contacts/<int:contact_pk>/correct/", contacts.contact_correct, name="contact_correct"),
    path("<int:pk>/contacts/cadence/", contacts.contact_cadence, name="contact_cadence"),
    path("<int:pk>/stages/new/", contacts.stage_new, name="stage_new"),
    # Documents, releases and referrals
    path("<int:pk>/documents/new/", sharing.document_new, name="document_new"),
    path("<int:pk>/documents/<int:document_pk>/download/", sharing.document_download, name="document_download"),
    path("<int:pk>/documents/<int:document_pk>/delete/", sharing.document_delete, name="document_delete"),
    path("<int:pk>/releases/new/", sharing.release_new, name="release_new"),
    path("<int:pk>/releases/<int:release_pk>/revoke/", sharing.release_revoke, name="release_revoke"),
    path("<int:pk>/referrals/new/", sharing.referral_new, name="referral_new"),
    path("<int:pk>/referrals/<int:referral_pk>/status/", sharing.referral_status, name="referral_status"),
    # Closure, re-enrollment and handoffs
    path("<int:pk>/close/", closure.closure_request, name="closure_request"),
    path("<int:pk>/closures/<int:closure_pk>/decide/", closure.closure_decide, name="closure_decide"),
    path("<int:pk>/closures/<int:closure_pk>/withdraw/", closure.closure_withdraw, name="closure_withdraw"),
    path("<int:pk>/reenroll/", closure.reenroll, name="reenroll"),
    path("closures/", closure.closure_queue, name="closure_queue"),
    # Restricted cases, emergency access and the timeline
    path("<int:pk>/timeline/", access.case_timeline, name="timeline"),
    path("<int:pk>/restriction/", access.restriction, name="restriction"),
    path("emergency/", access.emergency_access, name="emergency_access"),
    # Service reports: one case's, and a team's for its supervisors
    path("<int:pk>/service-report/", service_report.service_report, name="service_report"),
    path("teams/<int:team_pk>/service-report/", service_report.team_service_report, name="team_service_report"),
    # The survivor's copy of what Bloom holds about them
    path("<int:pk>/survivor-copy/", copy.survivor_copy, name="survivor_copy"),
    # Safety plans
    path("<int:pk>/safety/", safety.safety_plan, name="safety_plan"),
    path("<int:pk>/safety/new/", safety.safety_plan_new, name="safety_plan_new"),
    path("<int:pk>/safety/<int:version>/", safety.safety_plan_version, name="safety_plan_version"),
    # The service catalogue and the funders' codes (the program director's)
    path("catalogue/", catalogue_views.service_list, name="catalogue"),
    path("catalogue/services/new/", catalogue_views.service_new, name="service_new"),
    path("catalogue/services/<int:service_pk>/edit/", catalogue_views.service_edit, name="service_edit"),
    path("catalogue/codes/", catalogue_views.code_list, name="funder_codes"),
    path("catalogue/codes/new/", catalogue_views.code_new, name="funder_code_new"),
    path("catalogue/codes/<int:code_pk>/edit/", catalogue_views.code_edit, name="funder_code_edit"),
    # The intake fields: which are hidden or optional (the program director's)
    path("fields/", field_views.field_list, name="intake_fields"),
    path("fields/state/", field_views.field_state, name="intake_field_state"),
    path("fields/clear/", field_views.field_clear, name="intake_field_clear"),
]
