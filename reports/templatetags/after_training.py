"""The learners' evaluation in the year-end results report: `{% evaluation_summary plan %}`
(a tag, so the report's view stays as it is)."""

from django import template

from evaluation import selectors

register = template.Library()


@register.inclusion_tag("reports/_evaluation_summary.html")
def evaluation_summary(plan):
    evaluations = selectors.evaluations_of_year(plan.year)
    return {
        "year": plan.year,
        "criteria": selectors.criteria(),
        "by_program": selectors.results_by(
            "training_class__course__program",
            "training_class__course__program__name",
            evaluations=evaluations,
        ),
        "by_institution": selectors.results_by(
            "training_class__institution",
            "training_class__institution__name",
            evaluations=evaluations,
        ),
    }
