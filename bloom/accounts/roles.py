"""Roles are Django groups; this module grants them their model permissions.

A role's model permission means one of two things, and the codename says which:

* a *capability* (``add_case``, ``view_case_history``): what the person may do at all;
  which records they may do it to is still decided per case by ``cases.permissions``;
* a *program-wide* grant of an object permission (``view_case``, ``change_case``,
  ``assign_case``): held by the program director, it applies to every case. Never give
  one of these to a role that should see only its own caseload.

Each app that adds permissions grants them to roles in its own data migration with
``grant_role_permissions``, so that a fresh database and an upgraded one agree.
"""

from django.contrib.auth.management import create_permissions


def grant_role_permissions(apps, schema_editor, role_permissions: dict[str, list[str]]) -> None:
    """Create the role groups if missing and give them ``app_label.codename`` permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    for role, perms in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
