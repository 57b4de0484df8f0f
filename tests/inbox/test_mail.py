"""The inbox's e-mails: one item at once, or the day's digest, or none (the user's choice);
Vietnamese subject and body in plain text and HTML with the link on SITE_URL; never twice.
Checked with Django's locmem and file backends and end to end against a real SMTP server on
loopback (aiosmtpd): the worker sends, the server receives, the reason is in the body."""

import email
from email import policy

import pytest
from django.core import mail
from django.utils import timezone

from inbox import services
from inbox.models import MailPreference, Notice
from inbox.tasks import send_digests, send_notice_mail
from quotas import services as nomination_services
from quotas.models import Nomination
from tests.factories import AllocationFactory, PersonFactory, UserFactory
from tests.fixture_2021 import BINH_SON, unit
from tests.helpers import run_worker
from tests.inbox.mailbox import start_smtp_server, text_of
from training_plan.rules import accounts_of_unit

pytestmark = pytest.mark.django_db

SITE = "https://daotao.example.vn"
SENDER = '"Ban Tổ chức Tỉnh ủy" <daotao@example.vn>'
REASON = "Thiếu bản sao bằng tốt nghiệp đại học; bổ sung trước ngày 15/3."


@pytest.fixture(autouse=True)
def mail_settings(settings):
    settings.SITE_URL = SITE
    settings.DEFAULT_FROM_EMAIL = SENDER
    return settings


def tell_returned(nomination, reason):
    """The notice of a returned file, in the shape the nomination events give it."""
    return services.notify(
        accounts_of_unit(nomination.unit_id),
        kind=Notice.Kind.RETURNED,
        title=f"Hồ sơ bị trả lại để bổ sung: {nomination.person} — {nomination.course}",
        detail=f"Lý do: {reason}",
        url=nomination.get_absolute_url(),
        subject=services.subject_key(nomination),
    )


@pytest.fixture
def returned(btc_user, unit_a_user, cao_cap):
    """A Bình Sơn nomination to Cao cấp LLCT, submitted, then returned by BTC with REASON."""
    AllocationFactory(quota_line=cao_cap, unit=unit(BINH_SON), count=1)
    nomination = nomination_services.nomination_create(
        actor=unit_a_user,
        person=PersonFactory(full_name="Đặng Thị Mai"),
        course=cao_cap.course,
        quota_line=cao_cap,
    )
    nomination_services.nomination_submit(actor=unit_a_user, nomination=nomination)
    # BTC was told of the submission; its mail is not what these tests read: taken as sent.
    Notice.objects.filter(kind=Notice.Kind.SUBMITTED).update(emailed_at=timezone.now())
    return nomination


def test_immediate_mail_is_vietnamese_text_and_html_with_the_link(unit_a_user, returned):
    mail.outbox.clear()
    (notice,) = tell_returned(returned, REASON)
    assert mail.outbox == []  # queued for the worker, not sent in the request
    run_worker()
    (message,) = mail.outbox
    link = f"{SITE}/nominations/{returned.pk}/"
    assert message.to == [unit_a_user.email] == ["binhson_test@example.org"]
    assert message.from_email == SENDER
    assert message.subject == (
        f"[Đào tạo, bồi dưỡng] Hồ sơ bị trả lại để bổ sung: Đặng Thị Mai — {returned.course}"
    )
    assert REASON in message.body and f"Xem chi tiết: {link}" in message.body
    assert message.body.count("Hồ sơ bị trả lại để bổ sung") == 1  # the title, not repeated
    assert "Kính gửi" in message.body
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert f'<a href="{link}">Xem chi tiết</a>' in html
    assert "Thiếu bản sao bằng tốt nghiệp đại học; bổ sung trước ngày 15/3." in html
    assert f"{SITE}/account/notifications/" in html and f"{SITE}/account/notifications/" in (
        message.body
    )
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_mail_is_not_sent_twice(unit_a_user, returned):
    (notice,) = tell_returned(returned, REASON)
    send_notice_mail.enqueue(notice.pk)  # a second task for the same item
    mail.outbox.clear()
    run_worker()
    assert len(mail.outbox) == 1
    assert send_notice_mail.call(notice.pk) is False
    assert len(mail.outbox) == 1


def test_none_gets_no_mail_and_daily_waits_for_the_digest(unit_a_user, returned):
    services.set_delivery(unit_a_user, MailPreference.Delivery.NONE)
    colleague = UserFactory(username="binhson_2")
    services.set_delivery(colleague, MailPreference.Delivery.DAILY)
    mail.outbox.clear()
    notices = tell_returned(returned, REASON)
    run_worker()
    assert mail.outbox == []
    assert {n.recipient for n in notices} == {unit_a_user, colleague}  # both still see it
    assert send_digests() == 1  # the colleague's digest; nothing for "none"
    assert [m.to for m in mail.outbox] == [["binhson_2@example.org"]]


def test_a_user_without_address_gets_no_mail_but_the_item(unit_a_user, returned):
    unit_a_user.email = ""
    unit_a_user.save()
    mail.outbox.clear()
    (notice,) = tell_returned(returned, REASON)
    run_worker()
    assert mail.outbox == []
    assert notice.is_open


def test_digest_holds_only_open_items_not_yet_mailed(unit_a_user):
    services.set_delivery(unit_a_user, MailPreference.Delivery.DAILY)
    make = lambda title, **kw: Notice.objects.create(  # noqa: E731
        recipient=unit_a_user, kind=Notice.Kind.DEADLINE, title=title, url="/inbox/", **kw
    )
    now = timezone.now()
    make("Hạn đăng ký lớp A còn 3 ngày", detail="Hạn: 20/3/2021")
    make("Hạn đăng ký lớp B còn 5 ngày")
    make("Đã đọc", read_at=now)
    make("Đã xử lý", done_at=now)
    make("Đã gửi", emailed_at=now)
    mail.outbox.clear()
    assert send_digests() == 1
    (message,) = mail.outbox
    assert message.subject == "[Đào tạo, bồi dưỡng] 2 việc cần xử lý"
    assert "Hạn đăng ký lớp A còn 3 ngày" in message.body and "Hạn: 20/3/2021" in message.body
    assert "Hạn đăng ký lớp B còn 5 ngày" in message.body
    for gone in ["Đã đọc", "Đã xử lý", "Đã gửi"]:
        assert gone not in message.body
    assert f"Tất cả các việc: {SITE}/inbox/" in message.body
    assert f'href="{SITE}/inbox/"' in message.alternatives[0][0]
    # The next day's digest does not repeat them.
    assert send_digests() == 0
    assert len(mail.outbox) == 1


def test_without_email_host_mails_are_files(settings, tmp_path, unit_a_user, returned):
    """The demo without EMAIL_HOST: each mail a file under EMAIL_FILE_PATH (var/mail/)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    tell_returned(returned, REASON)
    run_worker()
    (written,) = tmp_path.iterdir()
    message = email.message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["To"] == "binhson_test@example.org"
    assert REASON in text_of(message)


# --- End to end: a real SMTP server on loopback ------------------------------------------------


@pytest.fixture
def smtp(settings):
    controller, collector = start_smtp_server()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield collector
    controller.stop()


def assert_return_mail(collector, nomination):
    ((recipients, message),) = collector.messages
    assert recipients == ["binhson_test@example.org"]
    assert message["To"] == "binhson_test@example.org"
    # Django folds a long subject after "Subject:"; Python's parser keeps the fold's space.
    assert (
        str(message["Subject"])
        .strip()
        .startswith("[Đào tạo, bồi dưỡng] Hồ sơ bị trả lại để bổ sung: Đặng Thị Mai")
    )
    assert "daotao@example.vn" in message["From"]
    body = text_of(message)
    assert REASON in body
    assert f"{SITE}/nominations/{nomination.pk}/" in body
    assert f'href="{SITE}/nominations/{nomination.pk}/"' in text_of(message, "html")


def test_smtp_a_return_with_its_reason_reaches_the_unit(smtp, unit_a_user, returned):
    tell_returned(returned, REASON)
    run_worker()
    assert_return_mail(smtp, returned)


def test_smtp_btc_returning_a_nomination_mails_the_unit(smtp, btc_user, unit_a_user, returned):
    nomination_services.nomination_return(actor=btc_user, nomination=returned, reason=REASON)
    assert Nomination.objects.get(pk=returned.pk).status == Nomination.Status.RETURNED
    run_worker()
    assert_return_mail(smtp, returned)


def test_smtp_daily_digest(smtp, unit_a_user, returned):
    services.set_delivery(unit_a_user, MailPreference.Delivery.DAILY)
    tell_returned(returned, REASON)
    run_worker()
    assert smtp.messages == []
    assert send_digests() == 1
    ((recipients, message),) = smtp.messages
    assert recipients == ["binhson_test@example.org"]
    assert str(message["Subject"]).strip() == "[Đào tạo, bồi dưỡng] 1 việc cần xử lý"
    body = text_of(message)
    assert REASON in body and f"{SITE}/nominations/{returned.pk}/" in body
