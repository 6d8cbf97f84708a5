"""The scripts' contract: start is idempotent and prints one line, stop is idempotent, the
server leaves with its --parent-pid, health and moto's reset answer."""

import json
import subprocess
import time
import urllib.error
import urllib.request

from conftest import LOCALSTACK, free_port


def run(*args, timeout=120):
    return subprocess.run([str(LOCALSTACK / args[0]), *args[1:]], capture_output=True, text=True,
                          timeout=timeout)


def health(url):
    with urllib.request.urlopen(url + "/_canary/health", timeout=5) as r:
        return r.status, json.load(r)


def answers(url) -> bool:
    try:
        health(url)
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


def test_health(endpoint):
    assert health(endpoint) == (200, {"status": "ok"})


def test_moto_reset_still_answers(endpoint):
    request = urllib.request.Request(endpoint + "/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.status == 200


def test_start_again_on_a_running_port_is_a_no_op(endpoint):
    port = endpoint.rsplit(":", 1)[1]
    out = run("start", "--port", port)
    assert (out.returncode, out.stdout, out.stderr) == (0, f"emulator ready on {endpoint}\n", "")


def test_server_exits_with_its_parent_and_stop_is_idempotent():
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    parent = subprocess.Popen(["sleep", "60"])
    try:
        out = run("start", "--port", str(port), "--parent-pid", str(parent.pid))
        assert out.returncode == 0, out.stderr
        pid_file = LOCALSTACK / ".run" / f"{port}.pid"
        assert pid_file.exists()
    finally:
        parent.kill()
        parent.wait()
    # It polls every second; the generous deadline only keeps a loaded machine from failing this.
    deadline = time.monotonic() + 30
    while (answers(url) or pid_file.exists()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not answers(url), "the server outlived its --parent-pid"
    assert not pid_file.exists()
    assert run("stop", "--port", str(port)).returncode == 0


def test_start_fails_loudly_when_the_port_is_someone_elses():
    import http.server
    import threading

    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        out = run("start", "--port", str(server.server_address[1]))
        assert out.returncode == 1
        assert "not the canary emulator" in out.stderr
        assert out.stdout == ""
    finally:
        server.shutdown()
