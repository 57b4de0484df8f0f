from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from training_plan.models import (
    DownloadLog,
    EventSuccessor,
    LegalDocument,
    Organisation,
    Person,
    Plan,
    Recipient,
    ReorganisationEvent,
    Responsibility,
    Section,
    User,
)
from training_plan.structure_admin import (
    IssuedPlanReadOnlyInlineMixin,
    IssuedPlanReadOnlyMixin,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "level", "block", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "level", "block", "valid_to"]
    search_fields = ["name", "short_name", "code"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]


class EventSuccessorInline(admin.TabularInline):
    model = EventSuccessor
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(ReorganisationEvent)
class ReorganisationEventAdmin(SimpleHistoryAdmin):
    """Events are recorded here (administrators); BTC applies them on their page
    (/reorganisations/<id>/), once."""

    list_display = ["title", "kind", "effective_date", "basis", "applied_at"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["title"]
    list_select_related = ["basis"]
    autocomplete_fields = ["predecessors", "basis"]
    readonly_fields = ["applied_at", "applied_by", "applied_summary"]
    inlines = [EventSuccessorInline]


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "date", "issuer"]
    list_filter = ["kind"]
    search_fields = ["number", "subject"]
    list_select_related = ["issuer"]
    date_hierarchy = "date"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "email", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    list_select_related = ["organisation"]
    fieldsets = BaseUserAdmin.fieldsets + (("Vai trò", {"fields": ["role", "organisation"]}),)
    # The address the inbox's e-mails go to (README “E-mail”), asked when the account is made.
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Vai trò", {"fields": ["email", "role", "organisation"]}),
    )
    autocomplete_fields = ["organisation"]


class RecipientInline(IssuedPlanReadOnlyInlineMixin, admin.TabularInline):
    parent_plan_path = ""
    model = Recipient
    extra = 0


class ResponsibilityInline(IssuedPlanReadOnlyInlineMixin, admin.StackedInline):
    parent_plan_path = ""
    model = Responsibility
    extra = 0


class SectionInline(IssuedPlanReadOnlyInlineMixin, admin.TabularInline):
    parent_plan_path = ""
    model = Section
    extra = 0


@admin.register(Plan)
class PlanAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    plan_path = ""
    list_display = ["year", "title", "province", "number", "status", "issue_date"]
    list_filter = ["status", "province"]
    search_fields = ["title", "number"]
    inlines = [SectionInline, ResponsibilityInline, RecipientInline]


@admin.register(Section)
class SectionAdmin(IssuedPlanReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "kind"]
    list_filter = ["plan__year", "kind"]


@admin.register(Recipient)
class RecipientAdmin(IssuedPlanReadOnlyMixin, admin.ModelAdmin):
    list_display = ["text", "plan", "position"]
    list_filter = ["plan__year"]


@admin.register(Responsibility)
class ResponsibilityAdmin(IssuedPlanReadOnlyMixin, admin.ModelAdmin):
    list_display = ["heading", "plan", "position", "body"]
    list_filter = ["plan__year"]


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "date_of_birth", "organisation", "position", "category", "rank"]
    list_filter = ["category", "rank", "theory_level", "manager_level", "organisation__block"]
    search_fields = ["search_name", "full_name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["search_name", "sort_key"]

    def get_search_results(self, request, queryset, search_term):
        from training_plan.text import normalise_search

        return super().get_search_results(request, queryset, normalise_search(search_term))


@admin.register(DownloadLog)
class DownloadLogAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence and is never edited or deleted by hand."""

    list_display = ["at", "username", "filename", "filters"]
    search_fields = ["username", "filename"]
    date_hierarchy = "at"
    readonly_fields = ["user", "username", "at", "filename", "filters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
