"""A small buffering reverse proxy for the load run (bench_online_load.py),
standing for the nginx an office puts in front of Odoo.

Odoo's prefork server listens with a backlog of 8 × workers (16 for two
workers) and closes each connection after its response: 40 visitors
connecting at once overflow that queue, and the kernel drops connections
that never reach a worker. A proxy queues them instead, reads each request
whole before passing it on (Odoo never waits for a slow client), keeps at
most ``--upstream`` requests at Odoo at a time, and tells Odoo the visitor's
address (``X-Forwarded-For``, ``X-Forwarded-Host``, as nginx does).

    python bench/bench_online_proxy.py --listen 18095 --upstream-port 18090
"""

import argparse
import http.client
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "upgrade"}


def make_handler(upstream_port, slots):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args):
            pass

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {
                name: value
                for name, value in self.headers.items()
                if name.lower() not in HOP_HEADERS
            }
            headers.setdefault("X-Forwarded-For", self.client_address[0])
            headers["X-Forwarded-Host"] = self.headers.get("Host", "127.0.0.1")
            with slots:
                upstream = http.client.HTTPConnection(
                    "127.0.0.1", upstream_port, timeout=300
                )
                try:
                    upstream.request(
                        self.command, self.path, body=body, headers=headers
                    )
                    response = upstream.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    # The worker died mid-request: a 502, as nginx answers.
                    self.send_error(502, "Bad Gateway")
                    return
                finally:
                    upstream.close()
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_HEADERS | {"content-length"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _forward

    return Handler


def spawn(listen, upstream_port, upstream):
    """Start this proxy in a process of its own (the load runs' helper)."""
    return subprocess.Popen(
        [
            sys.executable,
            os.path.abspath(__file__),
            "--listen",
            str(listen),
            "--upstream-port",
            str(upstream_port),
            "--upstream",
            str(upstream),
        ]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream-port", type=int, required=True)
    parser.add_argument("--upstream", type=int, default=4, help="requests at Odoo")
    args = parser.parse_args()
    ThreadingHTTPServer.request_queue_size = 256
    ThreadingHTTPServer.daemon_threads = True
    server = ThreadingHTTPServer(
        ("127.0.0.1", args.listen),
        make_handler(args.upstream_port, threading.BoundedSemaphore(args.upstream)),
    )
    server.serve_forever()


if __name__ == "__main__":
    main()
