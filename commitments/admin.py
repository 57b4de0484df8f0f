from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from commitments.models import CommitmentRule


@admin.register(CommitmentRule)
class CommitmentRuleAdmin(SimpleHistoryAdmin):
    """The rules are data: a new decree is a new row with its dates in force."""

    list_display = ["name", "category", "multiple", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["category"]
    search_fields = ["name", "legal_basis"]
