from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from courses.models import Course, EligibilityRule, Program, ProgramInstitution, TrainingClass
from training_plan.structure_admin import (
    IssuedPlanReadOnlyInlineMixin,
    IssuedPlanReadOnlyMixin,
)


class ProgramInstitutionInline(IssuedPlanReadOnlyInlineMixin, admin.TabularInline):
    parent_plan_path = "section__plan"
    model = ProgramInstitution
    extra = 0
    autocomplete_fields = ["institution"]


class CourseInline(IssuedPlanReadOnlyInlineMixin, admin.StackedInline):
    parent_plan_path = "section__plan"
    model = Course
    extra = 0
    fields = ["position", "name", "quantity_prefix", "quantity", "quantity_unit"]


@admin.register(Program)
class ProgramAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    plan_path = "section__plan"
    list_display = [
        "number",
        "name",
        "kind",
        "quantity",
        "block",
        "directing_body",
        "implementing_body",
    ]
    list_filter = ["section__plan__year", "kind", "block"]
    search_fields = ["name", "target_group"]
    list_select_related = ["section__plan", "directing_body", "implementing_body"]
    filter_horizontal = ["legal_documents"]
    inlines = [ProgramInstitutionInline, CourseInline]


@admin.register(Course)
class CourseAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    plan_path = "program__section__plan"
    list_display = ["name", "program", "quantity"]
    list_filter = ["program__section__plan__year", "program__kind"]
    search_fields = ["name", "target_group"]
    list_select_related = ["program__section"]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    plan_path = "course__program__section__plan"
    list_display = ["description", "course", "kind", "severity", "valid_from", "valid_to"]
    list_filter = ["kind", "severity", "course__program__section__plan__year"]
    search_fields = ["description", "code"]
    list_select_related = ["course"]


@admin.register(TrainingClass)
class TrainingClassAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "course",
        "institution",
        "start_date",
        "end_date",
        "capacity",
        "status",
        "is_illustrative",
    ]
    list_filter = [
        "status",
        "study_mode",
        "funding_source",
        "is_illustrative",
        "course__program__block",
    ]
    search_fields = ["name", "code", "venue"]
    list_select_related = ["course", "institution"]
    date_hierarchy = "start_date"
