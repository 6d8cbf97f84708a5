"""Build the WSGI stack (health → function runtimes → scheduler's log → SNS's log → request
recording → fault injection → RPC v2 CBOR → moto) and serve it, threaded, on 127.0.0.1, with
the thread that fires due schedules.

moto's ThreadedMotoServer cannot take a wrapped app, so this does what it does (werkzeug
make_server, threaded, MotoRequestHandler) around our middlewares.
"""

import argparse
import os
import sys

from werkzeug.serving import make_server


def build_app(scheduler=None, runtimes=None):
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from canary_emulator import patches
    from canary_emulator.cbor_rpc import CborRpcMiddleware
    from canary_emulator.faults import FaultMiddleware
    from canary_emulator.health import HealthMiddleware
    from canary_emulator.patches.lambda_replies import RepliesMiddleware
    from canary_emulator.recording import RecordingMiddleware
    from canary_emulator.runtime import RuntimeMiddleware
    from canary_emulator.scheduler import SchedulerMiddleware
    from canary_emulator.sns_log import SnsLogMiddleware

    patches.apply()
    # Recording and faults see each request as the client sent it, before the CBOR layer
    # rewrites it; recording first, so a faulted request is recorded too (faults.py says why).
    moto = DomainDispatcherApplication(create_backend_app)
    app = RecordingMiddleware(FaultMiddleware(CborRpcMiddleware(moto)))
    app = RepliesMiddleware(SnsLogMiddleware(app))
    if scheduler is not None:
        app = SchedulerMiddleware(app, scheduler)
    if runtimes is not None:
        app = RuntimeMiddleware(app, runtimes)
    return HealthMiddleware(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="canary_emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--parent-pid", type=int)
    parser.add_argument("--pid-file")
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import MotoRequestHandler

    from canary_emulator import lifecycle
    from canary_emulator.runtime import Runtimes
    from canary_emulator.scheduler import Scheduler

    lifecycle.install_signal_handlers(args.pid_file)
    if args.parent_pid:
        lifecycle.watch_parent(args.parent_pid, args.pid_file)

    period = float(os.environ.get("CANARY_EMULATOR_SCHEDULER_PERIOD", "1"))
    minute = float(os.environ.get("CANARY_EMULATOR_SCHEDULER_MINUTE", "60"))
    runtimes = Runtimes()
    scheduler = Scheduler(f"http://{args.host}:{args.port}", period, runtimes, minute)
    server = make_server(
        args.host, args.port, build_app(scheduler, runtimes), threaded=True,
        request_handler=MotoRequestHandler
    )
    scheduler.start()
    if args.pid_file:
        lifecycle.write_pid_file(args.pid_file)
    print(f"canary_emulator listening on http://{args.host}:{args.port}", file=sys.stderr,
          flush=True)
    try:
        server.serve_forever()
    finally:
        runtimes.stop_all()
        lifecycle.exit_now(args.pid_file)
