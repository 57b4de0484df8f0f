"""Django admin for the structure of a plan: read-only once the plan is issued.

Structure: plan texts, sections, recipients, responsibilities, programs (with their
institutions), courses, quota lines, eligibility rules, budget blocks, cost norms. Each admin
names the path from its object to the plan (`plan_path`); an inline names the path from the
parent object. Adding a new object under an issued plan is refused by the form.
"""

from django.core.exceptions import ValidationError

from training_plan.services import STRUCTURE_LOCKED_MESSAGE


def resolve_plan(obj, path):
    """Follow “course__program__section__plan” from obj; '' means obj is the plan."""
    for name in filter(None, path.split("__")):
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def _is_locked(plan):
    return plan is not None and not plan.is_structure_editable


class IssuedPlanReadOnlyMixin:
    """For a ModelAdmin: no change or delete of an issued plan's structure, no add under it."""

    plan_path = "plan"

    def _locked(self, obj):
        return obj is not None and _is_locked(resolve_plan(obj, self.plan_path))

    def has_change_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        parent_field, _, rest = self.plan_path.partition("__")
        if not parent_field or parent_field not in form.base_fields:
            return form

        class LockedPlanForm(form):
            def clean(self):
                data = super().clean()
                plan = resolve_plan(data.get(parent_field), rest)
                if _is_locked(plan):
                    raise ValidationError(STRUCTURE_LOCKED_MESSAGE.format(year=plan.year))
                return data

        LockedPlanForm.__name__ = form.__name__
        return LockedPlanForm


class IssuedPlanReadOnlyInlineMixin:
    """For an inline: the parent's plan (`parent_plan_path` from the parent object) locks it."""

    parent_plan_path = "plan"

    def _locked(self, obj):
        return obj is not None and _is_locked(resolve_plan(obj, self.parent_plan_path))

    def has_add_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._locked(obj):
            return False
        return super().has_delete_permission(request, obj)
