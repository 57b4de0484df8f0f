"""Django admin for plan versions: read only. A version is written once (`PlanVersion.save`
refuses a change, `delete` a removal), so the admin adds, changes and deletes none."""

from django.contrib import admin

from versions.models import PlanVersion


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = [
        "plan",
        "number",
        "step",
        "amendment_number",
        "note",
        "created_by",
        "created_at",
    ]
    list_filter = ["plan__year", "step"]
    list_select_related = ["plan", "created_by"]
    search_fields = ["note"]
    fields = [
        "plan",
        "number",
        "step",
        "amendment_number",
        "note",
        "created_by",
        "created_at",
        "pdf_sha256",
        "pdf_check",
        "content",
    ]
    readonly_fields = fields

    @admin.display(description="PDF còn nguyên vẹn", boolean=True)
    def pdf_check(self, version):
        return version.pdf_intact

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
