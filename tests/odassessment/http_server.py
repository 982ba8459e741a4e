"""A real HTTP server on 127.0.0.1 for the link-check tests (issue 7)."""
from __future__ import annotations

import contextlib
import http.server
import threading
import time
from typing import Iterator

ROUTES = {
    "/ok": (200, "text/html", b"<html>ok</html>"),
    "/missing": (404, "text/plain", b"not found"),
    "/error": (500, "text/plain", b"boom"),
    "/data.csv": (200, "text/csv", "region,value\nTunis,1\nSousse,2\n".encode()),
    "/ragged.csv": (200, "text/csv", b"region,value\nTunis,1,extra\nSousse\n"),
    "/data.json": (200, "application/json", b'{"regions": ["Tunis", "Sousse"]}'),
    "/broken.json": (200, "application/json", b'{"regions": ["Tunis", '),
    "/served-as-html.csv": (200, "text/html", b"<html><body>Login</body></html>"),
}

REDIRECTS = {
    "/moved": (301, "/ok"),
    "/moved-to-missing": (302, "/missing"),
    "/loop": (302, "/loop"),
    "/to-private": (302, "http://10.1.2.3/secret"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: list[tuple[str, str]] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, body: bool) -> None:
        Handler.hits.append((self.command, self.path))
        path = self.path.split("?")[0]
        if path in REDIRECTS:
            self.send_response(REDIRECTS[path][0])
            self.send_header("Location", REDIRECTS[path][1])
            self.end_headers()
            return
        if path == "/slow":
            time.sleep(2)
        if path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
            self.end_headers()
            return
        status, content_type, payload = ROUTES.get(path, (200, "text/plain", b"ok")) \
            if path in ROUTES or path in ("/slow", "/no-head") else (404, "text/plain", b"")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@contextlib.contextmanager
def serving() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Handler.hits = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
