"""`tsunagu bench writes`: C logged-in staff save records through the real server
(waitress in a child process) for a bounded time, as fast as the server answers; then
the rows in the database are counted against the successful responses
(docs/benchmarks.md).

The figures that matter are not times: every save that answered "saved" must be a row
(0 lost), no row may exist without its answer (0 extra), and no request may fail
(0 errors) — on SQLite, whose one writer at a time makes the others wait, and on
PostgreSQL."""

import html
import random
import re
import threading
import time
from argparse import ArgumentParser
from dataclasses import dataclass, field
from typing import Any

from tsunagu.bench.options import positive
from tsunagu.bench.pages import STAFF, Client, free_port, percentile, prepare, start_server

HELP = "同時に記録を保存する職員の数を変えて、誤り・失われた記録・応答時間を数えます"
NOTE_PREFIX = "ベンチ書き込み"
# Hidden fields of the entry form other than the CSRF token (a one-time form token, the
# fiscal year shown…): sent back as a browser would.
HIDDEN = re.compile(r'<input\b[^>]*type="hidden"[^>]*>')
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("--records", type=positive, default=2_000, help="最初にある記録の件数")
    parser.add_argument("--clients", type=positive, default=8, help="同時に保存する職員の数")
    parser.add_argument("--seconds", type=float, default=30.0, help="計測時間（秒、既定 30）")
    parser.add_argument("--threads", type=positive, default=8, help="サーバーのスレッド数")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    saved: int = 0
    statuses: dict[str, int] = field(default_factory=dict)

    def error(self, what: str) -> None:
        self.statuses[what] = self.statuses.get(what, 0) + 1

    @property
    def errors(self) -> int:
        return sum(self.statuses.values())


def hidden_fields(page: bytes) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(page.decode("utf-8", "replace")):
        attributes = dict(ATTRIBUTE.findall(tag))
        if "name" in attributes and attributes["name"] != "csrfmiddlewaretoken":
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def save_loop(
    client: Client,
    number: int,
    entry: dict[str, Any],
    deadline: float,
    tally: Tally,
    lock: threading.Lock,
) -> None:
    rng = random.Random(number)  # noqa: S311 - spacing of the clients, not a secret
    sequence = 0
    while time.perf_counter() < deadline:
        sequence += 1
        try:
            status = client.request("GET", "/records/new/")
            if status != 200:
                with lock:
                    tally.error(f"form {status}")
                continue
            form = {**hidden_fields(client.body), **entry}
            form["note"] = f"{NOTE_PREFIX} {number}-{sequence}"
            started = time.perf_counter()
            status = client.request("POST", "/records/new/", form)
            elapsed = time.perf_counter() - started
        except OSError as error:  # a refused or reset connection is an error, not a crash
            with lock:
                tally.error(type(error).__name__)
            continue
        with lock:
            tally.latencies.append(elapsed)
            if status == 302:
                tally.saved += 1
            else:
                tally.error(f"save {status}")
        time.sleep(rng.uniform(0, 0.01))


def run(options: dict[str, Any], write: Any) -> None:
    from django.db import connection

    from tsunagu.demo.directory import DEMO_PASSWORD
    from tsunagu.records.models import SupportRecord

    setup = prepare(options["records"])
    connection.close()  # the server is the only one using the database while it runs
    port = free_port()
    server = start_server(port, options["threads"])
    tally = Tally()
    try:
        clients = [Client(port) for _ in range(options["clients"])]
        for client in clients:
            client.log_in(STAFF, DEMO_PASSWORD)
        write(
            f"server: waitress, {options['threads']} threads · {len(clients)} clients logged in "
            f"as {STAFF} · each opens the entry form and saves, for {options['seconds']:g} s"
        )
        lock = threading.Lock()
        deadline = time.perf_counter() + options["seconds"]
        threads = [
            threading.Thread(
                target=save_loop, args=(client, n, setup["entry"], deadline, tally, lock)
            )
            for n, client in enumerate(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = SupportRecord.objects.filter(note__startswith=NOTE_PREFIX).count()
    lost = max(0, tally.saved - rows)
    extra = max(0, rows - tally.saved)
    errors = ", ".join(f"{what}×{n}" for what, n in sorted(tally.statuses.items()))
    write(
        f"saves: {len(tally.latencies):,} requests · {tally.saved:,} saved · "
        f"errors {tally.errors}{f' ({errors})' if errors else ''} · "
        f"rows created {rows:,} · lost {lost} · extra {extra} · "
        f"p50 {percentile(tally.latencies, 0.5) * 1000:,.0f} ms · "
        f"p95 {percentile(tally.latencies, 0.95) * 1000:,.0f} ms · "
        f"p99 {percentile(tally.latencies, 0.99) * 1000:,.0f} ms"
    )
