"""Pages of a plan's versions: the list, saving one, its stored PDF, the comparison of two (page
and PDF “Bảng so sánh”), the amending document; and “Lập dự thảo kế hoạch năm Y” from the needs
round (it records the draft's first version)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from needs.models import DraftBuild, DraftProposal, NeedsRound
from reports import documents
from training_plan.access import check_perm, require_perm
from training_plan.models import Plan
from training_plan.selectors import plan_or_404
from training_plan.web import PDF, error_text, file_response, parse_id
from versions import services, snapshot
from versions.forms import SaveVersionForm
from versions.models import PlanVersion


def _versions(plan):
    return PlanVersion.objects.filter(plan=plan).select_related("created_by").defer("pdf")


def _version_or_404(plan, pk):
    version = PlanVersion.objects.filter(plan=plan, pk=pk).select_related("created_by").first()
    if version is None:
        raise Http404("Không tìm thấy phiên bản.")
    return version


@require_perm("versions.view_versions")
def plan_versions(request, year):
    plan = plan_or_404(year)
    versions = list(_versions(plan).order_by("-number"))
    form = None
    if request.user.has_perm("versions.save_version", plan):
        form = SaveVersionForm(steps=services.MANUAL_STEPS.get(plan.status, ()))
    return render(
        request,
        "versions/list.html",
        {"plan": plan, "versions": versions, "form": form},
    )


@require_POST
def plan_version_save(request, year):
    plan = plan_or_404(year)
    check_perm(request.user, "versions.save_version", plan)
    form = SaveVersionForm(request.POST, steps=services.MANUAL_STEPS.get(plan.status, ()))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("plan_versions", year=year)
    try:
        version = services.save_version(
            plan=plan,
            actor=request.user,
            step=form.cleaned_data["step"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, f"Đã lưu phiên bản {version.number} ({version.get_step_display()})."
        )
    return redirect("plan_versions", year=year)


@require_perm("versions.view_versions")
def plan_version_pdf(request, year, pk):
    version = _version_or_404(plan_or_404(year), pk)
    return file_response(bytes(version.pdf), f"ke-hoach-{year}-phien-ban-{version.number}.pdf", PDF)


def _pair(request, plan):
    """The two versions of the query string (?a=…&b=…), older first; without them the latest
    two; 404 if missing."""
    ids = [parse_id(request.GET.get(name)) for name in ("a", "b")]
    if None in ids:
        ids = list(
            PlanVersion.objects.filter(plan=plan)
            .order_by("-number")
            .values_list("pk", flat=True)[:2]
        )
        if len(ids) < 2:
            raise Http404("Cần ít nhất hai phiên bản để so sánh.")
    found = {v.pk: v for v in PlanVersion.objects.filter(plan=plan, pk__in=ids).defer("pdf")}
    if len(found) != len(set(ids)) or ids[0] == ids[1]:
        raise Http404("Không tìm thấy phiên bản để so sánh.")
    old, new = sorted(found.values(), key=lambda v: v.number)
    return old, new


def _comparison_context(request, year):
    plan = plan_or_404(year)
    old, new = _pair(request, plan)
    return {
        "plan": plan,
        "old": old,
        "new": new,
        "comparison": snapshot.compare(old.content, new.content),
    }


@require_perm("versions.view_versions")
def plan_versions_compare(request, year):
    return render(request, "versions/compare.html", _comparison_context(request, year))


@require_perm("versions.view_versions")
def plan_versions_compare_pdf(request, year):
    context = _comparison_context(request, year)
    pdf = documents.render_pdf("versions/compare_pdf.html", context)
    name = f"bang-so-sanh-{year}-{context['old'].number}-{context['new'].number}.pdf"
    return file_response(pdf, name, PDF)


@require_perm("versions.view_versions")
def plan_version_amendment_pdf(request, year, pk):
    """Kế hoạch điều chỉnh, bổ sung: only what changed since the version before the amendment
    (the last issued or amended one), in the plan's Party format, numbered on its own."""
    plan = plan_or_404(year)
    version = _version_or_404(plan, pk)
    if version.step != PlanVersion.Step.AMENDED:
        raise Http404("Phiên bản này không phải bản điều chỉnh, bổ sung.")
    base = (
        PlanVersion.objects.filter(
            plan=plan,
            number__lt=version.number,
            step__in=(PlanVersion.Step.ISSUED, PlanVersion.Step.AMENDED),
        )
        .defer("pdf")
        .order_by("-number")
        .first()
    )
    if base is None:
        raise Http404("Chưa có bản ban hành để điều chỉnh.")
    context = {
        "plan": plan,
        "version": version,
        "base": base,
        "comparison": snapshot.compare(base.content, version.content),
        "number_line": f"Số {documents.BLANK_NUMBER}-KH/TU",
        "date_line": documents.date_line(Plan(place=plan.place)),
    }
    pdf = documents.render_pdf("versions/amendment_pdf.html", context)
    return file_response(pdf, f"ke-hoach-dieu-chinh-{year}-lan-{version.amendment_number}.pdf", PDF)


# ---- Lập dự thảo kế hoạch năm Y ----------------------------------------------------------------


def needs_draft(request, year):
    check_perm(request.user, "needs.build_draft")
    rounds = list(NeedsRound.objects.filter(year=year).order_by("block"))
    if not rounds:
        raise Http404("Chưa có đợt đăng ký nhu cầu năm này.")
    plan = Plan.objects.filter(year=year).first()
    if request.method == "POST":
        try:
            plan, build, version = services.build_draft(year=year, actor=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                f"Đã lập dự thảo kế hoạch năm {year} từ nhu cầu đã tiếp nhận "
                f"(phiên bản {version.number}).",
            )
        return redirect("needs_draft", year=year)
    build = DraftBuild.objects.filter(plan=plan).first() if plan else None
    proposals = (
        DraftProposal.objects.filter(plan=plan)
        .select_related("person", "unit", "course__program__section", "nomination")
        .order_by(
            "course__program__section__position",
            "course__program__position",
            "course__position",
            "unit__sort_key",
            "person__sort_key",
        )
        if plan
        else []
    )
    return render(
        request,
        "versions/needs_draft.html",
        {
            "year": year,
            "plan": plan,
            "build": build,
            "proposals": proposals,
            "can_build": plan is None or plan.status == Plan.Status.DRAFT,
        },
    )
