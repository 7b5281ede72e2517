"""`make run`'s supervisor: serve gunicorn, a Celery worker and beat together; Ctrl-C stops all.

Usage: python -m mimsite.run [--bind 127.0.0.1:8000]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUEUES = "default,maintenance,monitoring,training"


def _commands(bind: str, var_dir: Path) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "web": [
            python,
            "-m",
            "gunicorn",
            "mimsite.wsgi:application",
            "--bind",
            bind,
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            "-",
        ],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "mimsite",
            "worker",
            "--loglevel=INFO",
            "--concurrency",
            os.environ.get("WORKER_CONCURRENCY", "2"),
            "-Q",
            QUEUES,
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "mimsite",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(var_dir / "celerybeat-schedule"),
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bind", default=os.environ.get("MIM_BIND", "127.0.0.1:8000"))
    args = parser.parse_args()
    var_dir = ROOT / "var"
    var_dir.mkdir(exist_ok=True)
    processes: dict[str, subprocess.Popen[bytes]] = {}
    for name, argv in _commands(args.bind, var_dir).items():
        processes[name] = subprocess.Popen(argv, cwd=ROOT)  # noqa: S603 - fixed argv
        print(f"[mim] started {name} (pid {processes[name].pid})", flush=True)

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, proc in processes.items():
            if proc.poll() is not None:
                print(f"[mim] {name} exited with {proc.returncode}; stopping the rest", flush=True)
                exit_code = proc.returncode or 1
                stopping = True
                break
        time.sleep(0.5)
    for proc in processes.values():
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for proc in processes.values():
        try:
            proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            proc.kill()
    print("[mim] stopped", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
