"""Isso under benchmark: its own virtualenv from PyPI, its SQLite file seeded with the same rows.

Isso keeps one reply level (a reply's ``parent`` is always a top-level comment), so a reply chain
is stored under its top-level comment, exactly as Isso itself would store the same replies.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bench.dataset import Spec
from bench.servers import Server, free_port

HERE = Path(__file__).resolve().parent
VENV = HERE / ".isso-venv"
ISSO_REQUIREMENT = os.environ.get("BENCH_ISSO_REQUIREMENT", "isso")
START = 1_709_280_000.0  # 2024-03-01 08:00 UTC, as in the Rejoinder seed

CONFIG = """\
[general]
dbpath = {db}
host = {origin}
notify = stdout
log-file =
gravatar = false

[moderation]
enabled = false

[guard]
enabled = false

[server]
listen = http://127.0.0.1:{port}
reload = false
profile = false

[hash]
salt = bench-salt-bench-salt
"""


def ensure_isso() -> str:
    """Install Isso (and gunicorn) from PyPI into bench/.isso-venv once; return its version."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "isso").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", ISSO_REQUIREMENT, "gunicorn"], check=True
        )
    out = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('isso'))"],
        check=True, capture_output=True, text=True,
    )
    return out.stdout.strip()


def configure(folder: Path, origin: str) -> tuple[Path, int]:
    port = free_port()
    db = folder / "isso.db"
    cfg = folder / "isso.cfg"
    cfg.write_text(CONFIG.format(db=db, origin=origin, port=port))
    # let Isso create its own schema (tables, triggers, user_version)
    subprocess.run(
        [str(VENV / "bin" / "python"), "-c",
         "import sys; from isso import config, db; "
         "c = config.load(config.default_file(), sys.argv[1]); "
         "db.SQLite3(c.get('general', 'dbpath'), c)", str(cfg)],
        check=True, capture_output=True,
    )
    return cfg, port


def seed(db_path: Path, threads: dict[str, list[Spec]]) -> None:
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            for uri, specs in threads.items():
                cur = conn.execute(
                    "INSERT INTO threads (uri, title) VALUES (?, ?)", (uri, f"Article {uri}")
                )
                tid = cur.lastrowid
                ids: dict[int, int] = {}
                for spec in specs:
                    parent = ids[spec.root] if spec.parent is not None else None
                    cur = conn.execute(
                        "INSERT INTO comments (tid, parent, created, modified, mode, remote_addr,"
                        " text, author, email, website, likes, dislikes, voters, notification)"
                        " VALUES (?, ?, ?, NULL, 1, '127.0.0.0', ?, ?, NULL, NULL, 0, 0, ?, 0)",
                        (tid, parent, START + spec.minute * 60, spec.text, spec.author,
                         bytes(256)),
                    )
                    ids[spec.index] = int(cur.lastrowid or 0)
    finally:
        conn.close()


def server(cfg: Path, port: int, log: Path, kind: str = "isso") -> Server:
    """``kind`` "isso": ``isso -c cfg run`` (werkzeug's threaded server, as Isso documents for
    a quick start); "gunicorn": one gthread worker with 8 threads on ``isso.run``."""
    env = {**os.environ, "ISSO_SETTINGS": str(cfg)}
    if kind == "gunicorn":
        argv = [str(VENV / "bin" / "gunicorn"), "-b", f"127.0.0.1:{port}", "-w", "1",
                "-k", "gthread", "--threads", "8", "--preload", "isso.run"]
    else:
        argv = [str(VENV / "bin" / "isso"), "-c", str(cfg), "run"]
    return Server(argv, port, env, log, cwd=cfg.parent)
