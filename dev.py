#!/usr/bin/env python3
"""Set up and run tsunagu from a fresh checkout — the two commands of the README.

    python3 dev.py start   # install into .venv, migrate, demo data if empty, serve :8000
    python3 dev.py test    # install test tools into .venv, lint, check, run every test

Uses only the standard library, so it runs on a machine with nothing but Python 3.11+
(on Windows: `py dev.py start`).
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*args: str | Path) -> None:
    print("$", " ".join(str(a) for a in args), flush=True)
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)  # noqa: S603
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def install(extra: str = "") -> None:
    if not PYTHON.exists():
        print(f"仮想環境を作成します: {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    target = f".[{extra}]" if extra else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)


def start() -> None:
    install()
    run(PYTHON, "-m", "tsunagu", "start", *sys.argv[2:])


def test() -> None:
    """Lint, type-check, Django's checks, then pytest (extra arguments go to pytest).

    `--no-lint` skips the static checks, for a second run on another database."""
    install("test")
    args = sys.argv[2:]
    if "--no-lint" in args:
        args.remove("--no-lint")
    else:
        run(PYTHON, "-m", "ruff", "check", "tsunagu", "tests", "dev.py")
        run(PYTHON, "-m", "ruff", "format", "--check", "tsunagu", "tests", "dev.py")
        run(PYTHON, "-m", "mypy", "tsunagu")
    run(PYTHON, "-m", "tsunagu", "check", "--fail-level", "WARNING")
    run(PYTHON, "-m", "tsunagu", "makemigrations", "--check", "--dry-run")
    # Two workers: the suite is mostly waiting on the database and the browser.
    workers = [] if any(a == "-n" or a.startswith("-n") for a in args) else ["-n", "2"]
    run(PYTHON, "-m", "pytest", *workers, *args)


COMMANDS = {"start": start, "test": test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]]()
