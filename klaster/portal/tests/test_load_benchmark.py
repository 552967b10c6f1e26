"""`klaster bench load` measures what it says: bounded by a request count and a time cap,
on loopback only, with non-200 answers counted apart."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from klaster.portal import benchmarks


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/slow":
            time.sleep(0.2)
        self.send_response(404 if self.path == "/missing" else 200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def port():
    server = ThreadingHTTPServer((benchmarks.HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_port
    server.shutdown()
    server.server_close()


def test_a_case_stops_at_its_request_count_and_counts_errors_by_status(port):
    case = benchmarks.measure(port, "mixed", ["/", "/missing"], concurrency=4, requests=20, cap=30)

    assert len(case.latencies) == 10
    assert dict(case.errors) == {404: 10}
    assert case.rps > 0 and case.percentile(50) <= case.percentile(95) <= case.percentile(99)


def test_a_case_stops_at_its_time_cap(port):
    started = time.perf_counter()
    case = benchmarks.measure(port, "slow", ["/slow"], concurrency=2, requests=10_000, cap=0.5)

    assert time.perf_counter() - started < 2
    assert 0 < len(case.latencies) < 20
