"""`tsunagu bench pages`: the pages staff open every day, served by the real WSGI server
(waitress, in a child process) to C concurrent logged-in clients, each page for a bounded
time, beside the login page measured just before and after it (docs/benchmarks.md).

Per page: p50/p95/p99 of the response time, the server's CPU time per request, and the
ratio of the page's p95 to the login page's p95 of the two neighbouring runs. A ratio,
not a time, is the figure: the machine's load moves both alike."""

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.utils import timezone

from tsunagu.bench.data import generate
from tsunagu.bench.options import positive
from tsunagu.lib.fiscal import current_fiscal_year

HELP = "よく開く画面の応答時間を、実際のサーバーと同時に使う職員で、ログイン画面と比べて測ります"
HOST = "127.0.0.1"
STAFF = "sato"  # a staff member of the demo directory (tsunagu/demo/directory.py)
YEARS = 3
START_TIMEOUT = 60.0


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--records", type=positive, default=100_000, help="記録の件数")
    parser.add_argument("--clients", type=positive, default=8, help="同時に使う職員の数")
    parser.add_argument(
        "--seconds", type=float, default=10.0, help="画面ごとの計測時間（秒、既定 10）"
    )
    parser.add_argument("--threads", type=positive, default=8, help="サーバーのスレッド数")


# --- one client ------------------------------------------------------------------------


class Client:
    """One browser: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.body = b""  # the last response's body
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> int:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            # The server closed a kept-alive connection: one retry on a fresh one.
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=120)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        self.body = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/login/")
        status = self.request("POST", "/login/", {"username": username, "password": password})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"ログインできませんでした（{status}）")


# --- the pages -------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    method: str
    path: Callable[[random.Random], str]
    form: Callable[[random.Random], dict[str, Any]] | None = None
    expect: int = 200
    anonymous: bool = False


def fixed(path: str) -> Callable[[random.Random], str]:
    return lambda _rng: path


def pages(setup: dict[str, Any]) -> list[Page]:
    record_ids = setup["record_ids"]
    return [
        Page("home", "GET", fixed("/")),
        Page("records list", "GET", fixed("/records/")),
        Page("category filter", "GET", fixed(f"/records/?category={setup['category']}")),
        Page("note search", "GET", fixed("/records/?" + urlencode({"q": setup["search"]}))),
        Page("record detail", "GET", lambda rng: f"/records/{rng.choice(record_ids)}/"),
        Page("entry form GET", "GET", fixed("/records/new/")),
        Page("entry POST", "POST", fixed("/records/new/"), lambda _rng: setup["entry"], 302),
        Page("report page", "GET", fixed("/reports/")),
        Page("カルテ", "GET", fixed(f"/plans/regions/{setup['region']}/")),
        Page("volunteer list", "GET", fixed("/volunteers/")),
        Page("case list", "GET", fixed("/cases/")),
    ]


LOGIN = Page("login (floor)", "GET", fixed("/login/"), anonymous=True)


@dataclass
class Run:
    page: Page
    latencies: list[float] = field(default_factory=list)
    unexpected: dict[int, int] = field(default_factory=dict)
    cpu: float = 0.0

    def percentile(self, share: float) -> float:
        return percentile(self.latencies, share)

    @property
    def cpu_per_request(self) -> float:
        return self.cpu / len(self.latencies) if self.latencies else 0.0


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (0 < share ≤ 1) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, int(-(-share * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


def measure(
    page: Page, clients: list[Client], anonymous: list[Client], seconds: float, server: int
) -> Run:
    """Each client requests the page in a loop, one request at a time, for `seconds`."""
    run = Run(page)
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    users = anonymous if page.anonymous else clients

    def loop(client: Client, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - which record to open, not a secret
        while time.perf_counter() < deadline:
            form = page.form(rng) if page.form else None
            started = time.perf_counter()
            status = client.request(page.method, page.path(rng), form)
            elapsed = time.perf_counter() - started
            with lock:
                run.latencies.append(elapsed)
                if status != page.expect:
                    run.unexpected[status] = run.unexpected.get(status, 0) + 1

    cpu_before = process_cpu(server)
    threads = [threading.Thread(target=loop, args=(c, n)) for n, c in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.cpu = process_cpu(server) - cpu_before
    return run


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def ms(value: float) -> str:
    return f"{value * 1000:,.0f}"


def page_line(run: Run, floor: float) -> str:
    p95 = run.percentile(0.95)
    ratio = p95 / floor if floor else float("inf")
    line = (
        f"{run.page.name}: {len(run.latencies):,} requests · p50 {ms(run.percentile(0.5))} ms · "
        f"p95 {ms(p95)} ms · p99 {ms(run.percentile(0.99))} ms · "
        f"server CPU {ms(run.cpu_per_request)} ms/request · ratio {ratio:.1f}"
    )
    if run.unexpected:
        line += " · unexpected " + ", ".join(
            f"{status}×{count}" for status, count in sorted(run.unexpected.items())
        )
    return line


def floor_line(run: Run) -> str:
    return (
        f"{run.page.name}: {len(run.latencies):,} requests · p50 {ms(run.percentile(0.5))} ms · "
        f"p95 {ms(run.percentile(0.95))} ms · p99 {ms(run.percentile(0.99))} ms · "
        f"server CPU {ms(run.cpu_per_request)} ms/request"
    )


# --- the scratch council and its server ------------------------------------------------


def prepare(records: int) -> dict[str, Any]:
    """The synthetic records, the demo's volunteers and cases, and what the pages ask for."""
    from django.db import transaction

    from tsunagu.accounts.models import User
    from tsunagu.bench.data import NOTES
    from tsunagu.demo import records_data as demo
    from tsunagu.directory.models import ActivityGroup, Region
    from tsunagu.records.defaults import ensure_consulter_types
    from tsunagu.records.models import ActivityKind, Category, SupportRecord

    fy = current_fiscal_year()
    with transaction.atomic():
        ensure_consulter_types()
    made = generate(records=records, years=YEARS, last_year=fy)
    admin = User.objects.get(username="admin")
    for app in ("volunteers", "cases"):
        module = import_module(f"tsunagu.demo.{app}")
        with transaction.atomic():
            module.load_demo(by=admin)
    category = (
        Category.objects.filter(fiscal_year=fy, consulter_type__name=demo.INDIVIDUAL)
        .order_by("order")
        .first()
    )
    assert category is not None
    kind = ActivityKind.objects.get(fiscal_year=fy, name=demo.CONSULTATION_KIND)
    group = ActivityGroup.objects.order_by("pk").first()
    assert group is not None
    live = SupportRecord.objects.filter(fiscal_year=fy, deleted_at__isnull=True)
    record_ids = list(live.order_by("-pk").values_list("pk", flat=True)[:200])
    region = Region.objects.order_by("pk").values_list("pk", flat=True).first()
    return {
        "made": made,
        "record_ids": record_ids,
        "category": category.pk,
        "region": region,
        "search": NOTES[0][:4],
        "entry": {
            "date": timezone.localdate().isoformat(),
            "activity_kind": kind.pk,
            "place": "outreach",
            "target": f"g:{group.pk}",
            "consulter_type": category.consulter_type_id,
            "categories": category.pk,
            "note": "ベンチマークの記録。",
        },
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(port: int, threads: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
        [
            sys.executable,
            "-m",
            "tsunagu",
            "serve",
            "--no-migrate",
            f"--port={port}",
            f"--threads={threads}",
        ],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"サーバーが起動しませんでした（終了コード {server.returncode}）")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("サーバーが時間内に起動しませんでした")


def run(options: dict[str, Any], write: Any) -> None:
    """Inside the scratch database, migrated: the data, the server, then every page."""
    from django.db import connection

    from tsunagu.demo.directory import DEMO_PASSWORD

    setup = prepare(options["records"])
    made = setup["made"]
    write(
        f"records: {made.records:,} in FY{made.first_year}–FY{made.last_year} "
        f"({made.category_links:,} category links, {made.agency_links:,} agency links), "
        f"generated in {made.seconds:.1f} s"
    )
    connection.close()  # the server is the only one using the database from here on
    port = free_port()
    server = start_server(port, options["threads"])
    try:
        count = options["clients"]
        clients = [Client(port) for _ in range(count)]
        for client in clients:
            client.log_in(STAFF, DEMO_PASSWORD)
        anonymous = [Client(port) for _ in range(count)]
        seconds = options["seconds"]
        write(
            f"server: waitress, {options['threads']} threads · {count} clients logged in as "
            f"{STAFF} · {seconds:g} s per page · login page measured before and after each"
        )
        # Warm-up: every page once, untimed, so that no page pays the first import.
        warm = random.Random(0)  # noqa: S311 - which record to open, not a secret
        for page in pages(setup):
            form = page.form(warm) if page.form else None
            clients[0].request(page.method, page.path(warm), form)
        before = measure(LOGIN, clients, anonymous, seconds, server.pid)
        write(floor_line(before))
        for page in pages(setup):
            current = measure(page, clients, anonymous, seconds, server.pid)
            after = measure(LOGIN, clients, anonymous, seconds, server.pid)
            floor = percentile(before.latencies + after.latencies, 0.95)
            write(page_line(current, floor))
            before = after
        write(floor_line(before))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
