from django.shortcuts import render

from training_plan import document_views, selectors


def home(request):
    """The dashboard of the latest plan for the user's role (see document_views.dashboard)."""
    plan = selectors.plan_list().first()
    if plan is None:
        return render(request, "training_plan/no_plan.html")
    return document_views.dashboard(request, plan)


def plan_list(request):
    return render(request, "training_plan/plan_list.html", {"plans": selectors.plan_list()})


def plan_detail(request, year):
    plan = selectors.plan_for_year(year)
    blocks = list(plan.budget_blocks.all())
    return render(
        request,
        "training_plan/plan_detail.html",
        {"plan": plan, "blocks": blocks, "budget_total": sum(b.planned_total for b in blocks)},
    )
