"""What every view does the same way: turn a refusal into a message, send a file."""


def error_text(error):
    """The Vietnamese text of a refusal (a ValidationError, LockTimeout or NominationRefused are
    all ValidationErrors)."""
    return " ".join(error.messages)
