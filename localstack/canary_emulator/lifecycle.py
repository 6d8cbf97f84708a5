"""Process lifetime: pid file, clean exit on SIGTERM/SIGINT, and the --parent-pid watchdog.

The Rust integration tests start one emulator per test binary with --parent-pid <their pid>; the
watchdog ends the server once that process is gone, so no server outlives its tests even when
the tests are killed.
"""

import os
import signal
import threading
import time

POLL_SECONDS = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_pid_file(path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(f"{os.getpid()}\n")


def _remove_pid_file(path: str | None) -> None:
    if not path:
        return
    try:
        with open(path) as f:
            if f.read().strip() != str(os.getpid()):
                return  # another server took the file over; leave it alone
        os.remove(path)
    except OSError:
        pass


def exit_now(pid_file: str | None, code: int = 0) -> None:
    _remove_pid_file(pid_file)
    os._exit(code)


def install_signal_handlers(pid_file: str | None) -> None:
    def handler(signum, frame):
        exit_now(pid_file)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def watch_parent(parent_pid: int, pid_file: str | None) -> None:
    def loop():
        while _alive(parent_pid):
            time.sleep(POLL_SECONDS)
        exit_now(pid_file)

    threading.Thread(target=loop, name="parent-watchdog", daemon=True).start()
