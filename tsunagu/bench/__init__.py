"""Benchmarks: each a module with HELP, add_arguments(parser) and run(options, write),
listed in BENCHMARKS; `tsunagu bench NAME` runs one in a scratch database."""

# Name → module. A new benchmark is a module here and one line below.
BENCHMARKS = {
    "pages": "tsunagu.bench.pages",
    "report": "tsunagu.bench.report",
    "suggest": "tsunagu.bench.suggest",
    "backup": "tsunagu.bench.backup",
    "writes": "tsunagu.bench.writes",
    "export": "tsunagu.bench.export",
}
