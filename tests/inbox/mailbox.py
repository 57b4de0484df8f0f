"""A real SMTP server on loopback for the tests of e-mail (aiosmtpd), and reading what it got."""

import email
import socket
from email import policy

from aiosmtpd.controller import Controller


class Collector:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp_server():
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, collector


def text_of(message, subtype="plain"):
    """The decoded body of a message's plain-text (or HTML) part."""
    return message.get_body(preferencelist=(subtype,)).get_content()
