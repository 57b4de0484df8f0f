"""Reads of evaluations: links scoped per user, results as aggregates (no personal data)."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q

from evaluation.models import ClassEvaluation, Criterion, Score
from training_plan.rules import scope_to_user


def links_for_user(user, evaluation):
    """The class's links the user may hand out: every one for the class's manager, a unit's
    own learners' for a unit."""
    invitations = evaluation.invitations.select_related("nomination__person", "nomination__unit")
    if user.has_perm("evaluation.open_evaluation", evaluation.training_class):
        return invitations.order_by("nomination__person__sort_key", "pk")
    return scope_to_user(invitations, user, "nomination__unit_id").order_by(
        "nomination__person__sort_key", "pk"
    )


@dataclass
class Result:
    label: str
    invited: int = 0
    answered: int = 0
    averages: dict = field(default_factory=dict)  # criterion code → average
    cells: list = field(default_factory=list)  # the averages in the criteria's order

    @property
    def rate(self):
        return 100 * self.answered / self.invited if self.invited else None


def criteria():
    return list(Criterion.objects.filter(is_active=True, kind=Criterion.Kind.SCORE))


def results_by(group_field, label_field, *, evaluations=None):
    """Results grouped by a path from ClassEvaluation (the class, its institution, its program):
    invitations, answers and the average of each criterion, in three queries."""
    evaluations = evaluations if evaluations is not None else ClassEvaluation.objects.all()
    ids = list(evaluations.values_list("pk", flat=True))
    rows = {}
    counts = (
        ClassEvaluation.objects.filter(pk__in=ids)
        .values(group_field, label_field)
        .annotate(
            invited=Count("invitations", distinct=True),
            answered=Count("invitations", filter=Q(invitations__used=True), distinct=True),
        )
        .order_by(label_field)
    )
    for row in counts:
        rows[row[group_field]] = Result(
            label=row[label_field], invited=row["invited"], answered=row["answered"]
        )
    averages = (
        Score.objects.filter(response__evaluation_id__in=ids)
        .values(f"response__evaluation__{group_field}", "criterion__code")
        .annotate(average=Avg("value"))
        .order_by()
    )
    for row in averages:
        result = rows.get(row[f"response__evaluation__{group_field}"])
        if result is not None:
            result.averages[row["criterion__code"]] = row["average"]
    codes = [criterion.code for criterion in criteria()]
    for result in rows.values():
        result.cells = [result.averages.get(code) for code in codes]
    return list(rows.values())


def class_results(evaluation):
    return results_by(
        "training_class",
        "training_class__name",
        evaluations=ClassEvaluation.objects.filter(pk=evaluation.pk),
    )


def evaluations_of_year(year):
    return ClassEvaluation.objects.filter(training_class__course__program__section__plan__year=year)


def comments(evaluation):
    return list(
        evaluation.responses.exclude(comment="").order_by("?").values_list("comment", flat=True)
    )
