"""Run by separate processes in the concurrency tests: each opens its own HTTP connections, waits for every
process and thread to be ready, then fires its POSTs at once. Only the standard library: nothing Django."""

import http.client
import threading
from urllib.parse import urlencode


def fire(host: str, port: int, jobs: list[tuple[str, str, dict]], ready, results, path="/workspaces/book/") -> None:
    """`jobs` are (session cookie, CSRF secret, form data) posted to `path`; `ready` is the cross-process barrier."""
    connections = []
    for _ in jobs:
        connection = http.client.HTTPConnection(host, port, timeout=300)
        connection.connect()
        connections.append(connection)
    threads_ready = threading.Barrier(len(jobs))
    answers = []

    def post(connection, session, csrf, data):
        body = urlencode(data, doseq=True)
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
        }
        threads_ready.wait()
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        answers.append((response.status, response.read().decode("utf-8", "replace")))
        connection.close()

    threads = [
        threading.Thread(target=post, args=(connection, *job))
        for connection, job in zip(connections, jobs, strict=True)
    ]
    ready.wait()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put(answers)
