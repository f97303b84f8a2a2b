"""A webhook receiver on a free loopback port, as a program's tools would run one: it checks each request's
signature (the ten lines the README gives), records the delivery ids it accepted, and answers as told.

In a test's process: `Receiver(secret)`, with `answer` set to a status code or "hang". As a process of its own
(the kill-and-restart test): `python -m tests.incubator.webhook_receiver PORT SECRET LOG [DIE_AFTER]` (see
`main`)."""

import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MAX_AGE = 300


def verified(secret: str, headers, body: bytes) -> bool:
    """The receiver's check: the signature over "{timestamp}.{body}", and a recent timestamp."""
    timestamp = headers.get("Webhook-Timestamp", "")
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = timestamp.isdigit() and abs(time.time() - int(timestamp)) < MAX_AGE
    return fresh and hmac.compare_digest(expected, headers.get("Webhook-Signature", ""))


class Receiver:
    def __init__(self, secret: str = "", port: int = 0, on_accept=None):
        self.secret = secret
        self.answer: int | str = 200
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._on_accept = on_accept
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver._record(self, body)
                answer = receiver.answer
                if answer == "hang":
                    time.sleep(5)
                    answer = 200
                self.send_response(answer)
                if 300 <= answer < 400:
                    self.send_header("Location", "https://elsewhere.example/hook")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def _record(self, handler, body: bytes):
        entry = {
            "id": handler.headers.get("Webhook-Id"),
            "event": handler.headers.get("Webhook-Event"),
            "headers": dict(handler.headers),
            "body": body,
            "verified": verified(self.secret, handler.headers, body),
            "path": handler.path,
        }
        with self._lock:
            self.requests.append(entry)
        if self._on_accept:
            self._on_accept(entry)

    def received(self) -> list[dict]:
        with self._lock:
            return list(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def main(port: str, secret: str, log: str, die_after: str = "0") -> None:
    """Appends "<Webhook-Id> <payload id> verified|forged" per request; with `die_after` N, the process dies on
    the Nth request once it is recorded, before answering it (the sender cannot know it arrived)."""
    seen = []

    def append(entry):
        payload = json.loads(entry["body"])
        with open(log, "a") as out:
            out.write(f"{entry['id']} {payload['id']} {'verified' if entry['verified'] else 'forged'}\n")
        seen.append(entry)
        if len(seen) == int(die_after):
            os._exit(1)

    receiver = Receiver(secret, int(port), on_accept=append)
    print("ready", flush=True)
    receiver._thread.join()


if __name__ == "__main__":
    main(*sys.argv[1:])
