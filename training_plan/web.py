"""What every view does the same way: turn a refusal into a message, send a file."""

import io
import re

from axes.helpers import get_client_ip_address
from django.http import FileResponse

from training_plan.download_log import download_log_record
from training_plan.rules import EVERY_UNIT, unit_scope

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# An id in a query string or form: ASCII digits only (str.isdigit() also accepts “²” and “٣”,
# which then fail in int() or in the database), short enough for a bigint.
ID = re.compile(r"[0-9]{1,18}")


def parse_id(value):
    """The id a parameter holds, or None."""
    return int(value) if isinstance(value, str) and ID.fullmatch(value) else None


def parse_ids(values):
    """The ids of a list parameter (`request.POST.getlist("ids")`), the others left out."""
    return [number for number in map(parse_id, values) if number is not None]


def error_text(error):
    """The Vietnamese text of a refusal (a ValidationError, LockTimeout or NominationRefused are
    all ValidationErrors)."""
    return " ".join(error.messages)


def file_response(content, filename, content_type):
    """A download: bytes or an open (temporary) file, streamed in chunks, never cached."""
    if isinstance(content, bytes):
        content = io.BytesIO(content)
    response = FileResponse(content, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    return response


def download_scope(user):
    """Whose records the user's files hold: every unit, or one unit's."""
    scope = unit_scope(user)
    if scope == EVERY_UNIT:
        return "all"
    return f"unit:{user.organisation.code}" if scope is not None else "none"


def logged_file_response(request, content, filename, content_type, *, filters, rows):
    """A file with personal data: recorded in the download log (the user's scope, the client's
    address, the number of people's records), then sent. A HEAD request sends no file, so it
    is not recorded."""
    if request.method != "HEAD":
        download_log_record(
            user=request.user,
            filename=filename,
            filters={**filters, "scope": download_scope(request.user)},
            client_address=get_client_ip_address(request),
            rows=rows,
        )
    return file_response(content, filename, content_type)
