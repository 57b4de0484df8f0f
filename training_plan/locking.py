"""Locks that keep quotas and class capacity from being overbooked (after pretix's locking).

Call `lock(*keys)` once per transaction, inside `transaction.atomic()`, with every key the
transaction will count against, then count and write. On PostgreSQL each key is a transaction-
scoped advisory lock taken in sorted order (no deadlocks), waiting at most LOCK_TIMEOUT_MS; on
SQLite, transactions already start IMMEDIATE (settings), so writers are serialised by the database.
"""

import zlib

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.utils import OperationalError

LOCK_TIMEOUT_MS = 5000


class LockTimeout(ValidationError):
    """Another request holds the lock for too long; the user should simply try again.

    A ValidationError, so that views show it like any other refusal."""

    MESSAGE = (
        "Hệ thống đang bận xử lý yêu cầu khác trên cùng chỉ tiêu. Vui lòng thử lại sau ít giây."
    )

    def __init__(self):
        super().__init__(self.MESSAGE)

    def __str__(self):
        return self.MESSAGE


def key_for(obj):
    """A stable lock key for a model instance: “quotas.quotaline:12”."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def _advisory_id(key):
    # 64-bit advisory lock id from the key; crc32 of two halves keeps collisions negligible.
    return (zlib.crc32(key.encode()) << 31) ^ zlib.crc32(key[::-1].encode())


def lock(*keys):
    if not connection.in_atomic_block:
        raise RuntimeError("lock() must be called inside transaction.atomic()")
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
            for key in sorted(set(keys)):
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_advisory_id(key)])
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == "55P03":  # lock_not_available
            transaction.set_rollback(True)
            raise LockTimeout() from error
        raise
