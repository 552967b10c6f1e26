"""`klaster bench load`: how the real server holds up under concurrent visitors.

The benchmark starts the production server (`klaster serve`, the same gunicorn configuration
and task worker) on a free loopback port against the configured database (load the demo first:
`klaster demo`), then, over plain HTTP from threads of this process:

1. idle: the public directory (`/members/`), the search API (`/api/organisations?q=...`) and a
   public profile page, each at concurrency 10 and 50;
2. heavy: the directory again at the same concurrencies while three signed-in people keep
   asking for the network summary (the heaviest page) with filters varied on every request.

Each case is bounded: a fixed number of requests and a time cap. It prints requests per second
and p50/p95/p99 latency per case, and the ratio of the directory's p95 at concurrency 10 under
the heavy requests to its idle value, against the target of 2x. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import http.client
import itertools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.urls import reverse

help = (
    "Start the real server on loopback and measure rps and p50/p95/p99 of the directory, "
    "search API and a profile at concurrency 10 and 50, idle and while the network summary "
    "is requested by three signed-in people."
)

HOST = "127.0.0.1"
TARGET_RATIO = 2.0
HEAVY_CLIENTS = 3
POLL_SECONDS = 2.0  # as the map page's placeholder (hx-trigger="load delay:2s")
SEARCH_WORDS = ("energia", "sztuczna inteligencja", "cyberbezpieczenstwo", "wodór", "Warszawa")


def add_arguments(parser):
    parser.add_argument("--requests", type=int, default=300, help="requests per case (default 300)")
    parser.add_argument(
        "--time-cap", type=float, default=30.0, help="seconds at most per case (default 30)"
    )
    parser.add_argument(
        "--concurrency",
        default="10,50",
        help="comma-separated numbers of concurrent clients (default 10,50)",
    )
    parser.add_argument(
        "--heavy-seconds",
        type=float,
        default=30.0,
        help="the heavy requests go on at least this long, to see how soon figures are shown",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--startup-timeout", type=float, default=90.0, help="seconds to wait for the server"
    )


@dataclass
class Case:
    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    errors: Counter = field(default_factory=Counter)  # status (0: no answer) -> how many
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        return (
            f"  {self.name:<28} c={self.concurrency:<3} n={len(self.latencies):<5} "
            f"errors={sum(self.errors.values()):<3} {self.rps:7.1f} rps   p50 {self.percentile(50):7.0f} ms   "
            f"p95 {self.percentile(95):7.0f} ms   p99 {self.percentile(99):7.0f} ms"
            + (f"   (errors by status: {dict(self.errors)})" if self.errors else "")
        )


def _get(port: int, path: str, cookie: str = "", timeout: float = 120.0) -> tuple[int, bytes]:
    # A new connection per request, as browsers behind a proxy often do; never follows
    # redirects, so a redirect to the sign-in page counts as an error, not as a fast page.
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(port: int, name: str, paths: list[str], *, concurrency: int, requests: int, cap: float):
    """`requests` GETs cycling through `paths` from `concurrency` threads, stopped at `cap`."""
    case = Case(name, concurrency)
    counter = itertools.count()
    lock = threading.Lock()
    deadline = time.perf_counter() + cap

    def client():
        while time.perf_counter() < deadline:
            with lock:
                i = next(counter)
            if i >= requests:
                return
            started = time.perf_counter()
            try:
                status, _ = _get(port, paths[i % len(paths)])
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    case.latencies.append(elapsed)
                else:
                    case.errors[status] += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(client) for _ in range(concurrency)]:
            future.result()
    case.seconds = time.perf_counter() - started
    return case


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _session_cookies() -> list[str]:
    """Session cookies of up to three signed-in people: coordinator staff first (they see
    every tie, the largest graph), then member editors."""
    from klaster.accounts.models import User

    staff = list(User.objects.filter(is_active=True, is_superuser=True)[:1]) + list(
        User.objects.filter(is_active=True, role=User.Role.COORDINATOR)[:1]
    )
    editors = list(
        User.objects.filter(is_active=True, role=User.Role.MEMBER_EDITOR)
        .exclude(organisation=None)
        .order_by("pk")[:2]
    )
    people = (staff[:1] + editors) or list(User.objects.filter(is_active=True)[:1])
    if not people:
        raise SystemExit("No user to sign in with: load the demo first (klaster demo).")
    cookies = []
    for person in itertools.islice(itertools.cycle(people), HEAVY_CLIENTS):
        client = Client()
        client.force_login(person)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


def _heavy_paths(seed: int) -> list[str]:
    """Network-summary URLs with filters people combine: kind, sector, years, partners shown.
    Years are drawn per run so that a run mostly asks for figures not yet computed."""
    from klaster.members.models import Sector

    rng = random.Random(seed ^ time.time_ns())
    sectors = [""] + list(Sector.objects.values_list("code", flat=True)[:6])
    groups = ["", "science", "industry", "public", "support"]
    base = reverse("trackrecord:network_summary")
    paths = []
    for _ in range(400):
        query = {"min_shared": rng.choice(["1", "2", "3", "5"])}
        if sector := rng.choice(sectors):
            query["sector"] = sector
        if group := rng.choice(groups):
            query["group"] = group
        if rng.random() < 0.7:
            start = rng.randint(2008, 2024)
            query["year_from"] = str(start)
            if rng.random() < 0.5:
                query["year_to"] = str(rng.randint(start, 2026))
        paths.append(f"{base}?{urlencode(query)}")
    return paths


class HeavyLoad:
    """Signed-in people asking for the network summary, filters changed as soon as the figures
    are in. Like the page, a "still computing" answer is asked again after POLL_SECONDS."""

    def __init__(self, port: int, cookies: list[str], paths: list[str]):
        self.port, self.cookies, self.paths = port, cookies, paths
        self.stop = threading.Event()
        # Per filter set: the seconds from the first request until the figures were shown.
        self.case = Case("network summary (heavy)", len(cookies))
        self.requests = 0
        self.threads = [
            threading.Thread(target=self._client, args=(i,), daemon=True)
            for i in range(len(cookies))
        ]

    def _client(self, index: int):
        for path in itertools.cycle(self.paths[index :: len(self.cookies)]):
            started = time.perf_counter()
            while not self.stop.is_set():
                self.requests += 1
                try:
                    status, body = _get(self.port, path, cookie=self.cookies[index])
                except OSError:
                    status, body = 0, b""
                if status != 200:
                    self.case.errors[status] += 1
                    break
                if b"network-summary-pending" not in body:
                    self.case.latencies.append(time.perf_counter() - started)
                    break
                self.stop.wait(POLL_SECONDS)
            if self.stop.is_set():
                return

    def __enter__(self):
        self.started = time.perf_counter()
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=180)
        self.case.seconds = time.perf_counter() - self.started


def _start_server(port: int, timeout: float) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "klaster.cli", "serve", "--host", HOST, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
        start_new_session=True,  # the server and its children stop together
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server exited with code {server.returncode} while starting.")
        try:
            if _get(port, "/members/", timeout=10)[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
    _stop_server(server)
    raise SystemExit(f"The server did not answer within {timeout:.0f} s.")


def _stop_server(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(server.pid, 9)


def run(options, out):
    concurrencies = [int(c) for c in options["concurrency"].split(",") if c.strip()]
    bounds = {"requests": options["requests"], "cap": options["time_cap"]}
    cookies = _session_cookies()
    heavy_paths = _heavy_paths(options["seed"])
    port = _free_port()
    out(f"Starting the server (klaster serve) on http://{HOST}:{port}/ ...")
    server = _start_server(port, options["startup_timeout"])
    try:
        status, body = _get(port, "/members/")
        profiles = sorted(set(re.findall(rb'href="(/members/\d+/)"', body)))
        if not profiles:
            raise SystemExit("The directory lists no organisation: load the demo first.")
        profile = profiles[len(profiles) // 2].decode()
        directory = ["/members/"]
        search = [f"/api/organisations?{urlencode({'q': word})}" for word in SEARCH_WORDS]
        surfaces = [
            ("directory", directory),
            ("search API", search),
            (f"profile {profile}", [profile]),
        ]
        for _name, paths in surfaces:  # warm up imports, caches and connections
            for path in paths:
                _get(port, path)

        out("Idle:")
        idle = {}
        for concurrency in concurrencies:
            for name, paths in surfaces:
                case = measure(port, name, paths, concurrency=concurrency, **bounds)
                idle[(name, concurrency)] = case
                out(case.line())

        out(f"While {HEAVY_CLIENTS} signed-in people request the network summary:")
        heavy = {}
        with HeavyLoad(port, cookies, heavy_paths) as load:
            time.sleep(2)  # let the heavy requests get going first
            for concurrency in concurrencies:
                case = measure(port, "directory", directory, concurrency=concurrency, **bounds)
                heavy[concurrency] = case
                out(case.line())
            load.stop.wait(
                max(0.0, options["heavy_seconds"] - (time.perf_counter() - load.started))
            )
        out(load.case.line() + "   (figures shown; latency = until shown)")
        out(f"  {load.requests} summary requests in all, polls of 'still computing' included")

        out("Directory p95, under heavy requests / idle:")
        for concurrency in concurrencies:
            before = idle[("directory", concurrency)].percentile(95)
            after = heavy[concurrency].percentile(95)
            ratio = after / before if before else float("nan")
            verdict = ""
            if concurrency == 10:
                met = "met" if ratio < TARGET_RATIO else "NOT met"
                verdict = f"  (target < {TARGET_RATIO:.0f}x: {met})"
            out(f"  c={concurrency:<3} {before:.0f} ms -> {after:.0f} ms = {ratio:.2f}x{verdict}")
        medians = [statistics.median(c.latencies) * 1000 for c in heavy.values() if c.latencies]
        if medians:
            out(
                f"  directory median under heavy requests: {min(medians):.0f}-{max(medians):.0f} ms"
            )
    finally:
        _stop_server(server)
