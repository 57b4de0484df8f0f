"""The inbox (“Việc cần xử lý”), the e-mail preferences, and the pages of background jobs."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from inbox import services
from inbox.forms import MailPreferenceForm
from inbox.selectors import job_for_user, notices_for
from training_plan.access import require_perm
from training_plan.pagination import CappedCountPaginator
from training_plan.web import file_response, logged_file_response, parse_ids

SHOWS = {"open": "Chưa xử lý", "all": "Tất cả"}


@require_perm("inbox.view_inbox")
def inbox(request):
    show = request.GET.get("show") if request.GET.get("show") in SHOWS else "open"
    notices = notices_for(request.user, show=show)
    page = CappedCountPaginator(notices, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "show": show, "shows": SHOWS},
    )


@require_POST
@require_perm("inbox.view_inbox")
def inbox_mark_read(request):
    if request.POST.get("all"):
        count = services.mark_all_read(request.user)
    else:
        count = services.mark_read(request.user, parse_ids(request.POST.getlist("notice")))
    if count:
        messages.success(request, f"Đã đánh dấu {count} việc là đã đọc.")
    else:
        messages.info(request, "Không có việc nào cần đánh dấu.")
    url = reverse("inbox")
    return redirect(url + "?show=all" if request.POST.get("show") == "all" else url)


@require_perm("inbox.view_inbox")
def inbox_open(request, pk):
    """Follow an item's link, marking it read."""
    notice = notices_for(request.user, show="all").filter(pk=pk).first()
    if notice is None:
        raise Http404
    services.mark_read(request.user, [notice.pk])
    return redirect(notice.url)


@require_perm("inbox.view_inbox")
def mail_preferences(request):
    form = MailPreferenceForm(
        request.POST or None, initial={"delivery": services.delivery_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        services.set_delivery(request.user, form.cleaned_data["delivery"])
        messages.success(request, "Đã lưu cách nhận thông báo qua e-mail.")
        return redirect("mail_preferences")
    return render(request, "inbox/preferences.html", {"form": form})


def job_detail(request, pk):
    job = job_for_user(request.user, pk)
    return render(request, "inbox/job.html", {"job": job})


def job_status(request, pk):
    """The job's progress for the page's script (static/js/job-progress.js)."""
    job = job_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.finished,
            "error": job.error,
            "download_url": reverse("job_download", args=[job.pk])
            if job.status == job.Status.DONE and job.file and not job.expired
            else "",
            "result_url": job.result_url,
        }
    )


def job_download(request, pk):
    job = job_for_user(request.user, pk)
    if job.status != job.Status.DONE or not job.file or job.expired:
        raise Http404("Tệp không còn: đã hết hạn lưu hoặc chưa tạo xong.")
    with job.file.open("rb") as stored:
        content = stored.read()
    if job.personal_data:
        return logged_file_response(
            request, content, job.filename, job.content_type, filters=job.log_filters, rows=job.rows
        )
    return file_response(content, job.filename, job.content_type)
