"""The preview and the application of a reorganisation event (README “Organisations”)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from reports.reorganisation import reorganisation_apply, reorganisation_preview
from training_plan.access import check_perm, require_perm
from training_plan.selectors import reorganisation_or_404
from training_plan.web import error_text


@require_http_methods(["GET", "POST"])
@require_perm("reports.view_reorganisation")
def reorganisation_detail(request, pk):
    """Everyone reads the event and what applying it moves; BTC or an administrator applies it
    (POST), once."""
    event = reorganisation_or_404(pk)
    can_apply = request.user.has_perm("reports.apply_reorganisation", event)
    if request.method == "POST":
        check_perm(request.user, "reports.apply_reorganisation", event)
        try:
            preview = reorganisation_apply(event=event, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect(event)
        messages.success(
            request,
            f"Đã áp dụng sắp xếp tổ chức: {len(preview.people)} cán bộ, "
            f"{len(preview.nominations)} hồ sơ cử đi học, {len(preview.allocations)} phân bổ "
            f"chỉ tiêu, {len(preview.registers)} đăng ký nhu cầu, {len(preview.accounts)} tài "
            f"khoản chuyển sang đơn vị kế thừa; {len(preview.unplaced)} cán bộ chờ xếp đơn vị.",
        )
        return redirect(event)
    preview = None if event.applied_at else reorganisation_preview(event)
    # What a unit's account sees of the people is its own unit's only: the preview lists names
    # for those who may read every unit's people.
    show_people = request.user.has_perm("training_plan.view_every_unit")
    return render(
        request,
        "reports/reorganisation_detail.html",
        {"event": event, "preview": preview, "can_apply": can_apply, "show_people": show_people},
    )
