from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budget.models import BudgetBlock, BudgetLine, CostNorm
from training_plan.structure_admin import IssuedPlanReadOnlyMixin


@admin.register(BudgetBlock)
class BudgetBlockAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["block", "plan", "planned_total"]
    list_filter = ["plan__year", "block"]


@admin.register(CostNorm)
class CostNormAdmin(IssuedPlanReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["item", "unit", "rate", "plan", "legal_document"]
    list_filter = ["plan__year"]
    search_fields = ["item", "code"]
    list_select_related = ["plan", "legal_document"]


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = [
        "description",
        "training_class",
        "quantity_kind",
        "quantity",
        "multiplier",
        "rate",
    ]
    list_filter = ["training_class__course__program__section__plan__year", "quantity_kind"]
    search_fields = ["description", "training_class__name"]
    list_select_related = ["training_class"]
