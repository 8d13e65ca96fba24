"""The report benchmark: synthetic records in a scratch database, the report of one
year timed against the bare SQL it sends (`tsunagu bench report`, docs/benchmarks.md).

- data.py: the synthetic council (the demo directory, ten years of lists and records);
- timing.py: capturing the report's SQL, timing the report and the bare queries;
- scratch.py: the throw-away SQLite file or PostgreSQL database the run lives in.
"""
