import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from training_plan import selectors
from training_plan.access import check_perm, require_perm
from training_plan.forms import PersonFilterForm, PersonForm, TreeDateForm
from training_plan.history import history_rows
from training_plan.pagination import CappedCountPaginator
from training_plan.services import (
    DuplicatePerson,
    person_create,
    person_transfer_decide,
    person_transfer_request,
    person_update,
)
from training_plan.web import error_text


def plan_list(request):
    return render(request, "training_plan/plan_list.html", {"plans": selectors.plan_list()})


# --- People (cán bộ, công chức, viên chức) -----------------------------------------------------

PEOPLE_PER_PAGE = 50


# Personal data (SPEC §2 People): BTC, SNV, leadership (reads only) and the person's own unit.
@require_perm("training_plan.view_person")
def person_list(request):
    form = PersonFilterForm(request.GET or None, user=request.user)
    people = form.filter(selectors.people_for_user(request.user)).order_by("sort_key", "id")
    page = CappedCountPaginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training_plan/person_list.html",
        {
            "form": form,
            "page": page,
        },
    )


def person_detail(request, pk):
    person = selectors.person_for_user(request.user, pk)
    check_perm(request.user, "training_plan.view_person", person)
    nominations = (
        person.nominations.visible_to(request.user)
        .select_related(
            "course__program__section__plan", "unit", "quota_line__institution", "training_class"
        )
        .order_by("-course__program__section__plan__year", "-created_at", "-id")
    )
    show_identity = request.user.has_perm("training_plan.view_identity_number", person)
    return render(
        request,
        "training_plan/person_detail.html",
        {
            "person": person,
            "nominations": nominations,
            "show_identity": show_identity,
            "history": history_rows(person, masked=() if show_identity else ("identity_number",)),
        },
    )


@require_perm("training_plan.add_person")
def person_create_view(request):
    form = PersonForm(request.POST or None, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(actor=request.user, data=form.cleaned_data)
        except DuplicatePerson as error:
            form.add_error(None, error.messages)
            duplicate = error.existing
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã thêm cán bộ {person.full_name}.")
            return redirect(person)
    return render(
        request,
        "training_plan/person_form.html",
        {"form": form, "person": None, "duplicate": duplicate},
    )


@require_POST
@require_perm("training_plan.request_transfer")
def person_transfer_request_view(request):
    """The create form posted again as a transfer request for the record that already exists."""
    form = PersonForm(request.POST, user=request.user)
    form.is_valid()  # the duplicate is found from the name, birth date and identity number
    data = {k: form.cleaned_data.get(k) for k in ("full_name", "date_of_birth", "identity_number")}
    data["organisation"] = form.cleaned_data.get("organisation")
    try:
        transfer = person_transfer_request(actor=request.user, data=data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("person_create")
    messages.success(
        request,
        f"Đã gửi đề nghị chuyển hồ sơ {transfer.person.full_name} từ {transfer.from_unit} về "
        f"{transfer.to_unit}; hồ sơ chuyển khi đơn vị đang giữ hồ sơ (hoặc Ban Tổ chức Tỉnh ủy, "
        "Sở Nội vụ) đồng ý.",
    )
    return redirect("person_transfers")


@require_perm("training_plan.view_transfers")
def person_transfers(request):
    transfers = selectors.transfers_for_user(request.user)
    page = CappedCountPaginator(transfers, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "training_plan/person_transfers.html", {"page": page})


@require_POST
def person_transfer_decide_view(request, pk, action):
    if action not in ("accept", "decline"):
        raise Http404("Không có thao tác này.")
    transfer = selectors.transfer_for_user(request.user, pk)
    check_perm(request.user, "training_plan.decide_transfer", transfer)
    try:
        person_transfer_decide(actor=request.user, transfer=transfer, accept=action == "accept")
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if action == "accept":
            messages.success(
                request, f"Đã chuyển hồ sơ {transfer.person.full_name} về {transfer.to_unit}."
            )
        else:
            messages.info(request, "Đã không đồng ý chuyển hồ sơ.")
    return redirect("person_transfers")


def person_edit_view(request, pk):
    person = selectors.person_for_user(request.user, pk)
    check_perm(request.user, "training_plan.change_person", person)
    # The form writes what it cleans onto its instance: give it a copy, keep `person` as stored.
    form = PersonForm(request.POST or None, instance=copy.copy(person), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            changed = person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, f"Đã lưu thay đổi hồ sơ {person.full_name}.")
            else:
                messages.info(request, "Không có thay đổi nào để lưu.")
            return redirect(person)
    return render(request, "training_plan/person_form.html", {"form": form, "person": person})


# --- Organisations and their life ----------------------------------------------------------------


def organisation_list(request):
    """The tree of organisations as of a day (`?date=dd/mm/yyyy`, today by default); everyone
    signed in reads it."""
    form = TreeDateForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["date"]:
        day = form.cleaned_data["date"]
    rows = selectors.organisation_tree(day)
    return render(
        request,
        "training_plan/organisation_list.html",
        {
            "form": form,
            "day": day,
            "rows": rows,
            "events": selectors.reorganisation_events(),
            "incomplete": sum(1 for org, _ in rows if org.incomplete_note),
        },
    )


def organisation_detail(request, code):
    org = selectors.organisation_or_404(code)
    ended, began = selectors.organisation_events(org)
    return render(
        request,
        "training_plan/organisation_detail.html",
        {
            "org": org,
            "ended_by": ended,
            "began_by": began,
            "children": org.children.order_by("sort_key", "id"),
            "history": history_rows(org, exclude=("sort_key",)),
        },
    )
