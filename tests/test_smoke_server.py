"""Start `peergraph serve` as a real process, poll until it answers, fetch pages, stop it."""

import socket
import subprocess
import sys
import time

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_over_http(demo_settings):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--store", str(demo_settings.store), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, "server did not answer in 30 s"
                time.sleep(0.2)
        assert health.json()["status"] == "ok"
        home = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert home.status_code == 200 and "peergraph" in home.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=5)
        assert css.status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
