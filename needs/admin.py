"""Django admin for the needs round: rounds, units' registers (with their counts, named people
and moves), the draft builds and the people proposed on a draft plan."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from needs.models import (
    DraftBuild,
    DraftProposal,
    NeedsCount,
    NeedsPerson,
    NeedsRound,
    UnitNeeds,
    UnitNeedsTransition,
)
from training_plan.text import normalise_search


@admin.register(NeedsRound)
class NeedsRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "block", "deadline", "source_plan", "opened_by", "opened_at"]
    list_filter = ["year", "block"]
    list_select_related = ["source_plan", "opened_by"]
    filter_horizontal = ["courses"]
    readonly_fields = ["opened_by", "opened_at"]


class NeedsCountInline(admin.TabularInline):
    model = NeedsCount
    extra = 0
    fields = ["course", "count", "reason"]
    raw_id_fields = ["course"]


class NeedsPersonInline(admin.TabularInline):
    model = NeedsPerson
    extra = 0
    fields = ["course", "person", "major", "institution", "reason", "eligibility_flag"]
    raw_id_fields = ["course", "person"]
    # Written by the eligibility check when the unit saves, never by hand.
    readonly_fields = ["eligibility_flag"]


class UnitNeedsTransitionInline(admin.TabularInline):
    model = UnitNeedsTransition
    extra = 0
    fields = ["from_status", "to_status", "actor", "at", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitNeeds)
class UnitNeedsAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "round", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "round__year", "round__block"]
    list_select_related = ["unit", "round"]
    search_fields = ["unit__name", "unit__code"]
    raw_id_fields = ["unit"]
    readonly_fields = ["submitted_at"]
    inlines = [NeedsCountInline, NeedsPersonInline, UnitNeedsTransitionInline]


@admin.register(UnitNeedsTransition)
class UnitNeedsTransitionAdmin(admin.ModelAdmin):
    list_display = ["register", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status", "register__round__year"]
    list_select_related = ["register__unit", "register__round", "actor"]


@admin.register(DraftBuild)
class DraftBuildAdmin(admin.ModelAdmin):
    """A record of what a build proposed: read, never written by hand."""

    list_display = ["__str__", "plan", "built_by", "built_at"]
    list_filter = ["plan__year"]
    list_select_related = ["plan", "built_by"]
    readonly_fields = ["plan", "built_by", "built_at", "figures"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DraftProposal)
class DraftProposalAdmin(SimpleHistoryAdmin):
    list_display = ["person", "course", "unit", "plan", "nomination", "refusal"]
    list_filter = ["plan__year", "course__program__block"]
    list_select_related = ["person", "course", "unit", "plan", "nomination"]
    search_fields = ["person__search_name"]
    raw_id_fields = ["person", "course", "unit", "source", "nomination"]

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalise_search(search_term))
