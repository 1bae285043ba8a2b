from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bloom.accounts import services
from bloom.accounts.models import PRIVILEGED_ROLES, Role, Team, User


class BloomUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "language")


class BloomUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    add_form = BloomUserCreationForm
    form = BloomUserChangeForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "roles", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "language"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "language", "password"]}),
        (_("Roles and access"), {"fields": ["is_active", "is_staff", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "language", "usable_password", "password1", "password2"],
            },
        ),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ["groups"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user):
        return ", ".join(g.name for g in user.groups.all() if not g.name.startswith("team:"))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Team groups are managed through the team, never by hand; the roles that see
            # every case or control accounts are granted only by a superuser.
            groups = Group.objects.exclude(name__startswith="team:")
            if not request.user.is_superuser:
                groups = groups.exclude(name__in=PRIVILEGED_ROLES)
            kwargs["queryset"] = groups
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk and not request.user.is_superuser:
            readonly += ["groups", "is_staff", "is_active"]  # nobody raises their own access
        return readonly

    def has_change_permission(self, request, obj=None):
        # An administrator may not take over an account that sees every case or controls
        # accounts (by resetting its password, say); only a superuser changes those.
        if obj is not None and not request.user.is_superuser and obj.pk != request.user.pk:
            privileged = obj.is_superuser or obj.groups.filter(name__in=PRIVILEGED_ROLES).exists()
            if privileged:
                return False
        return super().has_change_permission(request, obj)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "supervisors", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Team supervisors see every case of the team: only people with the supervisor role.
        self.fields["supervisors"].queryset = User.objects.filter(groups__name=Role.SUPERVISOR, is_active=True)
        self.fields["members"].queryset = User.objects.filter(groups__name=Role.SPECIALIST, is_active=True)


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    form = TeamForm
    list_display = ["name"]
    filter_horizontal = ["supervisors", "members"]

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            obj.save()
        else:
            created = services.create_team(name=form.cleaned_data["name"], by=request.user)
            obj.pk, obj.group = created.pk, created.group
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Supervisors must go through the service: it keeps the team group's members (who
        # hold the object permissions on the team's cases) in step.
        team = form.instance
        services.set_team_supervisors(team, supervisors=list(form.cleaned_data["supervisors"]), by=request.user)
        services.set_team_members(team, members=list(form.cleaned_data["members"]), by=request.user)
