from django.contrib import admin

from inbox.models import Job, MailPreference, Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "done_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "delivery"]
    raw_id_fields = ["user"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "requester", "title", "status", "done", "total", "expires_at"]
    list_filter = ["status", "kind"]
    raw_id_fields = ["requester"]
    readonly_fields = ["file"]
