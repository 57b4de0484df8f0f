"""Pages of the needs round: the year's rounds, opening a round, a unit's register (entries,
submit; accept or return by the block's manager) and the consolidation with its workbook.

Who may do what is `needs.rules`; the services check again. A unit reaching another unit's
register gets 404 (`selectors.register_for_user`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from needs import exports, selectors, services
from needs.forms import CountsForm, PersonEntryForm, ReturnForm, RoundForm
from needs.models import NeedsRound, UnitNeeds
from training_plan import selectors as core_selectors
from training_plan.access import check_perm, require_perm
from training_plan.history import history_rows
from training_plan.models import Block
from training_plan.web import XLSX, error_text, file_response


def _block_or_404(block):
    if block not in Block.values:
        raise Http404("Khối không hợp lệ.")
    return block


@require_perm("needs.view_round")
def needs_current(request):
    """The latest round, or the year after the latest plan before any round."""
    round_ = NeedsRound.objects.order_by("-year").first()
    if round_ is not None:
        return redirect("needs_round", year=round_.year)
    plan = core_selectors.latest_plan()
    return redirect("needs_round", year=plan.year + 1 if plan else 2000)


@require_perm("needs.view_round")
def needs_round(request, year):
    if not 2000 <= year <= 9999:
        raise Http404("Năm không hợp lệ.")
    rounds = selectors.rounds_of_year(year)
    by_block = {round_.block: round_ for round_ in rounds}
    own = selectors.own_registers(request.user, rounds)
    blocks = [
        {
            "block": block,
            "label": label,
            "round": by_block.get(block),
            "register": own.get(by_block[block].pk) if block in by_block else None,
            "can_open": request.user.has_perm("needs.open_round", block),
        }
        for block, label in Block.choices
    ]
    return render(
        request,
        "needs/round.html",
        {
            "year": year,
            "blocks": blocks,
            "rounds": rounds,
            "can_enter": request.user.has_perm("needs.change_register"),
            "can_consolidate": request.user.has_perm("needs.view_consolidation"),
            "can_build": request.user.has_perm("needs.build_draft"),
        },
    )


def needs_round_open(request, year, block):
    block = _block_or_404(block)
    check_perm(request.user, "needs.open_round", block)
    existing = selectors.rounds_of_year(year)
    current = next((r for r in existing if r.block == block), None)
    try:
        source = current.source_plan if current else services.source_plan_for(year)
    except ValidationError as error:
        raise Http404(error_text(error)) from error
    courses = services.round_courses_queryset(source, block)
    initial = (
        {"deadline": current.deadline, "note": current.note, "courses": list(current.courses.all())}
        if current
        else {"courses": list(courses)}
    )
    form = RoundForm(request.POST or None, initial=initial, courses=courses)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_open(
                actor=request.user,
                year=year,
                block=block,
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                courses=list(form.cleaned_data["courses"]),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request,
                f"Đã {'cập nhật' if current else 'mở'} đợt đăng ký nhu cầu năm {year} "
                f"({Block(block).label})" + ("." if current else "; các đơn vị đã được thông báo."),
            )
            return redirect("needs_round", year=year)
    return render(
        request,
        "needs/round_open.html",
        {
            "year": year,
            "block_label": Block(block).label,
            "form": form,
            "source": source,
            "current": current,
        },
    )


@require_POST
def needs_start(request, year, block):
    """A unit starts its register of a round (a draft), then enters its needs on its page."""
    block = _block_or_404(block)
    check_perm(request.user, "needs.change_register")
    round_ = selectors.round_or_404(year, block)
    if request.user.organisation_id is None:
        messages.error(request, "Tài khoản không thuộc đơn vị nào nên không nhập nhu cầu.")
        return redirect("needs_round", year=year)
    register = services.register_for(
        actor=request.user, round_=round_, unit=request.user.organisation
    )
    return redirect(register)


def needs_detail(request, pk):
    register = selectors.register_for_user(request.user, pk)
    user = request.user
    can_change = user.has_perm("needs.change_register", register) and register.is_editable
    can_review = user.has_perm("needs.review_register", register.round)
    courses = list(register.round.courses.all())
    counts = {entry.course_id: entry for entry in register.counts.all()}
    counts_form = people_form = None
    if can_change:
        counts_form = CountsForm(courses=courses, counts=counts)
        people_form = PersonEntryForm(
            people=core_selectors.people_for_user(user).filter(organisation=register.unit_id),
            courses=courses,
        )
    history = history_rows(
        UnitNeeds.history.filter(id=register.pk),
    )
    return render(
        request,
        "needs/detail.html",
        {
            "register": register,
            "round": register.round,
            "counts": [counts[c.pk] for c in courses if c.pk in counts],
            "people": list(register.people.all()),
            "counts_form": counts_form,
            "people_form": people_form,
            "can_change": can_change,
            "can_submit": can_change,
            "can_accept": can_review and register.status == UnitNeeds.Status.SUBMITTED,
            "can_return": can_review
            and register.status in (UnitNeeds.Status.SUBMITTED, UnitNeeds.Status.ACCEPTED),
            "transitions": selectors.transitions_of(register),
            "history": history,
        },
    )


@require_POST
def needs_counts(request, pk):
    register = selectors.register_for_user(request.user, pk)
    check_perm(request.user, "needs.change_register", register)
    counts = {entry.course_id: entry for entry in register.counts.all()}
    form = CountsForm(request.POST, courses=list(register.round.courses.all()), counts=counts)
    if not form.is_valid():
        messages.error(
            request,
            "Chưa lưu: " + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect(register)
    try:
        services.counts_save(actor=request.user, register=register, entries=form.entries())
    except ValidationError as error:
        messages.error(request, "Chưa lưu: " + error_text(error))
    else:
        messages.success(request, "Đã lưu số lượng đăng ký (bản nháp).")
    return redirect(register)


@require_POST
def needs_person_add(request, pk):
    register = selectors.register_for_user(request.user, pk)
    check_perm(request.user, "needs.change_register", register)
    form = PersonEntryForm(
        request.POST,
        people=core_selectors.people_for_user(request.user).filter(organisation=register.unit_id),
        courses=list(register.round.courses.all()),
    )
    if not form.is_valid():
        messages.error(
            request,
            "Chưa thêm: " + " ".join(str(e) for errors in form.errors.values() for e in errors),
        )
        return redirect(register)
    data = form.cleaned_data
    try:
        entry = services.person_add(
            actor=request.user,
            register=register,
            person=data["person"],
            course_id=data["course"],
            major=data["major"],
            institution=data["institution"],
            reason=data["reason"],
        )
    except ValidationError as error:
        messages.error(request, "Chưa thêm: " + error_text(error))
    else:
        warnings = [s for s in entry.eligibility_report.sentences if not s.startswith("Đạt")]
        messages.success(request, f"Đã thêm {entry.person.full_name} vào danh sách đăng ký.")
        for sentence in warnings:
            if not sentence.startswith("Không có điều kiện"):
                messages.warning(request, sentence)
    return redirect(register)


@require_POST
def needs_person_remove(request, pk, entry_pk):
    register = selectors.register_for_user(request.user, pk)
    check_perm(request.user, "needs.change_register", register)
    try:
        services.person_remove(actor=request.user, register=register, entry_id=entry_pk)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Đã bỏ cán bộ khỏi danh sách đăng ký.")
    return redirect(register)


ACTIONS = {
    "submit": "needs.change_register",
    "accept": "needs.review_register",
    "return": "needs.review_register",
}


def needs_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404("Thao tác không hợp lệ.")
    register = selectors.register_for_user(request.user, pk)
    target = register if action == "submit" else register.round
    check_perm(request.user, ACTIONS[action], target)
    if action == "return":
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.register_return(
                    actor=request.user, register=register, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, f"Đã trả lại nhu cầu của {register.unit.name}.")
            return redirect(register)
        return render(request, "needs/return.html", {"register": register, "form": form})
    if request.method != "POST":
        return redirect(register)
    service = services.register_submit if action == "submit" else services.register_accept
    try:
        service(actor=request.user, register=register)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "Đã gửi nhu cầu đăng ký."
            if action == "submit"
            else f"Đã tiếp nhận nhu cầu của {register.unit.name}.",
        )
    return redirect(register)


@require_perm("needs.view_consolidation")
def needs_consolidation(request, year):
    tables = selectors.consolidation(year)
    if not tables:
        raise Http404("Chưa có đợt đăng ký nhu cầu của năm này.")
    return render(request, "needs/consolidation.html", {"year": year, "tables": tables})


@require_perm("needs.view_consolidation")
def needs_consolidation_xlsx(request, year):
    tables = selectors.consolidation(year)
    if not tables:
        raise Http404("Chưa có đợt đăng ký nhu cầu của năm này.")
    return file_response(
        exports.consolidation_xlsx(year, tables), f"tong-hop-nhu-cau-{year}.xlsx", XLSX
    )
