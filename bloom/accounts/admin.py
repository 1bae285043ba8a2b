from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from bloom.accounts import services
from bloom.accounts.models import Team, User


class BloomUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


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
    list_filter = ["is_active", "groups"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        (_("Roles and access"), {"fields": ["is_active", "is_staff", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "usable_password", "password1", "password2"]}),
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
            # Team groups are managed through the team, never by hand.
            kwargs["queryset"] = Group.objects.exclude(name__startswith="team:")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "supervisors", "members"]


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
