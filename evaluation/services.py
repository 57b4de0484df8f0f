"""Writes of learners' evaluations: opening a class's evaluation, answering through a link."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from courses.models import TrainingClass
from evaluation.models import SCALE, ClassEvaluation, Criterion, Invitation, Response, Score
from quotas.models import Nomination
from training_plan.rules import check_perm

LEARNER_STATUSES = (
    Nomination.Status.ENROLLED,
    Nomination.Status.COMPLETED,
    Nomination.Status.NOT_COMPLETED,
)
OPEN_DAYS = 30
MAX_COMMENT = 2000


def new_token():
    """An unguessable link key: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


@transaction.atomic
def evaluation_open(*, actor, training_class: TrainingClass, days: int = OPEN_DAYS):
    """Open a finished class's evaluation (or add the links of learners who have none): one
    one-time link per learner, valid for `days` days. Returns the evaluation."""
    check_perm(actor, "evaluation.open_evaluation", training_class)
    current = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    ended = current.status == TrainingClass.Status.FINISHED or (
        current.status != TrainingClass.Status.CANCELLED
        and current.end_date <= timezone.localdate()
    )
    if not ended:
        raise ValidationError("Chỉ mở đánh giá khi lớp đã kết thúc.")
    evaluation, _ = ClassEvaluation.objects.get_or_create(
        training_class=current,
        defaults={
            "opened_by": actor,
            "closes_at": timezone.now() + datetime.timedelta(days=days),
        },
    )
    have = set(evaluation.invitations.values_list("nomination_id", flat=True))
    learners = Nomination.objects.filter(
        training_class=current, status__in=LEARNER_STATUSES
    ).exclude(pk__in=have)
    Invitation.objects.bulk_create(
        Invitation(evaluation=evaluation, nomination=learner, token=new_token())
        for learner in learners
    )
    return evaluation


def invitation_for_token(token):
    """The invitation of a link, or None (unknown, used or expired links all look alike)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 64:
        return None
    invitation = (
        Invitation.objects.select_related("evaluation__training_class__course__program")
        .filter(token=token)
        .first()
    )
    if invitation is None or invitation.used or not invitation.evaluation.is_open:
        return None
    return invitation


LINK_GONE = (
    "Đường dẫn đánh giá không còn dùng được: đã được dùng để trả lời, đã hết hạn hoặc không đúng."
)


@transaction.atomic
def evaluation_answer(*, token: str, scores: dict, comment: str = "") -> Response:
    """Record one anonymous answer and spend the link. `scores`: {criterion code: 1–5} for every
    active score criterion. The answer keeps no link to the invitation, the learner or a time."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError(LINK_GONE)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.used:
        raise ValidationError(LINK_GONE)
    criteria = list(Criterion.objects.filter(is_active=True, kind=Criterion.Kind.SCORE))
    missing = [c.text for c in criteria if c.code not in scores]
    if missing:
        raise ValidationError(f"Vui lòng chấm điểm: {missing[0]}.")
    for criterion in criteria:
        value = scores[criterion.code]
        if not isinstance(value, int) or not SCALE[0] <= value <= SCALE[1]:
            raise ValidationError(f"Điểm phải từ {SCALE[0]} đến {SCALE[1]}: {criterion.text}.")
    if len(comment) > MAX_COMMENT:
        raise ValidationError(f"Ý kiến khác không quá {MAX_COMMENT} ký tự.")
    response = Response.objects.create(evaluation=invitation.evaluation, comment=comment.strip())
    Score.objects.bulk_create(
        Score(response=response, criterion=c, value=scores[c.code]) for c in criteria
    )
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    return response
