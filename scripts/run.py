"""Start the action server, the Rasa server and the web app; Ctrl-C stops all three.

Run by ``make run`` with the app env's Python. Ports and hosts come from the environment:
RASA_PORT (5005), ACTION_PORT (5055), WEB_PORT (8000), HOST (127.0.0.1).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_http(url: str, timeout: float, procs: list[subprocess.Popen]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in procs):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return True
        except OSError:
            pass
        time.sleep(1)
    return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rasa-python", required=True)
    parser.add_argument("--model", required=True)
    args = parser.parse_args()

    host = os.environ.get("HOST", "127.0.0.1")
    rasa_port = os.environ.get("RASA_PORT", "5005")
    action_port = os.environ.get("ACTION_PORT", "5055")
    web_port = os.environ.get("WEB_PORT", "8000")
    rasa_bin = str(Path(args.rasa_python).with_name("rasa"))
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        RASA_TELEMETRY_ENABLED="false",
        ACTION_ENDPOINT_URL=os.environ.get(
            "ACTION_ENDPOINT_URL", f"http://127.0.0.1:{action_port}/webhook"
        ),
        WEBAPP_URL=os.environ.get("WEBAPP_URL", f"http://127.0.0.1:{web_port}"),
        RASA_URL=os.environ.get("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
        # rasa_sdk's action server listens on SANIC_HOST (0.0.0.0 unless set): keep it on HOST
        # like the other two, since it accepts any call that names an action.
        SANIC_HOST=os.environ.get("SANIC_HOST", host),
    )
    (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
    endpoints = ROOT / "var" / "endpoints.yml"
    endpoints.write_text(
        (ROOT / "endpoints.yml")
        .read_text(encoding="utf-8")
        .replace("http://127.0.0.1:5055/webhook", env["ACTION_ENDPOINT_URL"]),
        encoding="utf-8",
    )
    commands = {
        "actions": [rasa_bin, "run", "actions", "--actions", "actions", "--port", action_port],
        "rasa": [
            rasa_bin,
            "run",
            "--model",
            args.model,
            "--enable-api",
            "--port",
            rasa_port,
            "--interface",
            host,
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
        ],
        "web": [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "hotline_console.main:app_from_env",
            "--host",
            host,
            "--port",
            web_port,
        ],
    }
    procs: list[subprocess.Popen] = []

    def stop(*_: object) -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    def interrupted(signum, _frame) -> None:  # noqa: ANN001
        raise KeyboardInterrupt

    # Explicit handlers: a shell that starts us in the background may have set SIGINT to ignore.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        for name, cmd in commands.items():
            print(f"starting {name}: {' '.join(cmd)}", flush=True)
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env))
        web = f"http://{host}:{web_port}"
        print("waiting for the web app and Rasa (Rasa takes about a minute to load)…", flush=True)
        # (the web app answers once the triage model is loaded: seconds from the cache that
        # `make run` fills, a minute or two when it must learn it again)
        if not wait_http(f"{web}/healthz", 300, procs):
            print("the web app did not start; see the output above", file=sys.stderr)
            stop()
            return 1
        rasa_up = wait_http(f"http://127.0.0.1:{rasa_port}/status", 240, procs)
        print("", flush=True)
        print("=" * 64, flush=True)
        print(f"  Chat with the bot:  {web}/chat", flush=True)
        if not rasa_up:
            print("  (Rasa is not up yet: the chat answers with the hotline numbers)", flush=True)
        print("  Press Ctrl-C to stop everything.", flush=True)
        print("=" * 64, flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(1)
        dead = [name for name, p in zip(commands, procs, strict=False) if p.poll() is not None]
        print(f"stopped: {', '.join(dead)} exited; stopping the rest", file=sys.stderr)
        stop()
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        stop()
        return 0


if __name__ == "__main__":
    sys.exit(main())
