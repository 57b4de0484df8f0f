"""Evaluation screens: a class's evaluation (open it, its links, its results), the results per
institution and program, and the anonymous answer form (no login: its token is the key)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from courses.models import TrainingClass
from evaluation import selectors, services
from evaluation.forms import AnswerForm
from evaluation.models import ClassEvaluation, Criterion
from training_plan.access import check_perm, require_perm
from training_plan.selectors import latest_plan
from training_plan.web import error_text, parse_id


def _class_or_404(pk):
    training_class = (
        TrainingClass.objects.select_related("course__program__section__plan", "institution")
        .filter(pk=pk)
        .first()
    )
    if training_class is None:
        raise Http404("Không tìm thấy lớp.")
    return training_class


@require_perm("evaluation.view_results")
def class_evaluation(request, pk):
    training_class = _class_or_404(pk)
    if request.method == "POST":
        check_perm(request.user, "evaluation.open_evaluation", training_class)
        try:
            evaluation = services.evaluation_open(actor=request.user, training_class=training_class)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                f"Đã mở đánh giá lớp {training_class.name} đến "
                f"{evaluation.closes_at:%d/%m/%Y}: in phiếu và gửi đường dẫn cho học viên.",
            )
        return redirect("class_evaluation", pk=training_class.pk)
    evaluation = ClassEvaluation.objects.filter(training_class=training_class).first()
    context = {
        "training_class": training_class,
        "evaluation": evaluation,
        "criteria": selectors.criteria(),
        "can_open": request.user.has_perm("evaluation.open_evaluation", training_class),
    }
    if evaluation is not None:
        results = selectors.class_results(evaluation)
        context.update(
            links=list(selectors.links_for_user(request.user, evaluation)),
            result=results[0] if results else None,
            result_rows=results,
            comments=selectors.comments(evaluation),
        )
    return render(request, "evaluation/class_evaluation.html", context)


@require_perm("evaluation.view_results")
def evaluation_results(request):
    plan = latest_plan()
    year = parse_id(request.GET.get("year")) or (plan.year if plan else None)
    evaluations = selectors.evaluations_of_year(year)
    return render(
        request,
        "evaluation/results.html",
        {
            "year": year,
            "criteria": selectors.criteria(),
            "by_class": selectors.results_by(
                "training_class", "training_class__name", evaluations=evaluations
            ),
            "by_institution": selectors.results_by(
                "training_class__institution",
                "training_class__institution__name",
                evaluations=evaluations,
            ),
            "by_program": selectors.results_by(
                "training_class__course__program",
                "training_class__course__program__name",
                evaluations=evaluations,
            ),
        },
    )


@login_not_required
@never_cache
def evaluation_answer(request, token):
    """The learner's form. Nothing here says who answers: the answer is stored without the
    link, and the link only learns that it was used."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(
            request, "evaluation/answer_gone.html", {"message": services.LINK_GONE}, status=410
        )
    criteria = list(Criterion.objects.filter(is_active=True).order_by("position"))
    form = AnswerForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_answer(
                token=token, scores=form.scores(), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return render(request, "evaluation/answer_thanks.html")
    return render(
        request,
        "evaluation/answer.html",
        {"form": form, "training_class": invitation.evaluation.training_class},
    )
