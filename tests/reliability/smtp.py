"""An SMTP sink for the reliability stack: every message the stack's workers send, with its Message-ID."""

import contextlib
import email
import email.policy
import socketserver
import threading
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class Mail:
    message_id: str
    to: str
    subject: str


class SmtpSink:
    """A tiny SMTP server on a free loopback port; `delay` seconds before accepting each message (a slow server)."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.messages: list[Mail] = []
        self._lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(f"{line}\r\n".encode())
                self.wfile.flush()

            def handle(self):
                # A worker killed mid-conversation (the fault tests do that) resets the connection: not an error.
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    self.converse()

            def converse(self):
                self.reply("220 sink ready")
                while line := self.rfile.readline():
                    verb = line.decode("ascii", "replace").strip().split(" ")[0].upper()
                    if verb == "EHLO":
                        self.reply("250-sink")
                        self.reply("250 8BITMIME")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                            lines.append(data[1:] if data.startswith(b"..") else data)
                        if sink.delay:
                            time.sleep(sink.delay)
                        sink._record(b"".join(lines))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 ok")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, raw: bytes):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        with self._lock:
            self.messages.append(Mail(message["Message-ID"], message["To"], str(message["Subject"])))

    def received(self) -> list[Mail]:
        with self._lock:
            return list(self.messages)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
