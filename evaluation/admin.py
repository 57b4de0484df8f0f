from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluation.models import Criterion


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    """The evaluation criteria are data (Thông tư 07/2023/TT-BNV): edit, add or retire them."""

    list_display = ["position", "group", "text", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    ordering = ["position"]
