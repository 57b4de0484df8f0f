from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quotas.models import Allocation, Nomination, NominationTransition, QuotaLine
from training_plan.structure_admin import IssuedPlanReadOnlyMixin
from training_plan.text import normalise_search


@admin.register(QuotaLine)
class QuotaLineAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    plan_path = "course__program__section__plan"
    list_display = ["__str__", "study_mode", "planned_count"]
    list_filter = ["course__program__section__plan__year", "study_mode"]
    list_select_related = ["course", "institution"]
    search_fields = ["course__name", "institution__name"]


@admin.register(Allocation)
class AllocationAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "quota_line", "count", "updated_at"]
    list_filter = ["quota_line__course__program__section__plan__year", "unit"]
    list_select_related = ["unit", "quota_line__course", "quota_line__institution"]
    search_fields = ["unit__name"]


class TransitionInline(admin.TabularInline):
    model = NominationTransition
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "at", "reason"]


@admin.register(Nomination)
class NominationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "course", "unit", "status", "created_at"]
    list_filter = [
        "status",
        "eligibility_flag",
        "course__program__section__plan__year",
        "course__program__block",
    ]
    list_select_related = ["person", "course", "unit"]
    search_fields = ["person__search_name"]
    raw_id_fields = ["person", "training_class"]
    # Written by the eligibility check of the workflow, never by hand; read as sentences.
    exclude = ["eligibility_details"]
    readonly_fields = ["eligibility_flag", "eligibility_sentences"]
    inlines = [TransitionInline]

    @admin.display(description="kết quả kiểm tra điều kiện (chi tiết)")
    def eligibility_sentences(self, nomination):
        return nomination.eligibility_report.text

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalise_search(search_term))


@admin.register(NominationTransition)
class NominationTransitionAdmin(admin.ModelAdmin):
    list_display = ["nomination", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    list_select_related = ["nomination__person", "nomination__course", "actor"]
    raw_id_fields = ["nomination"]
