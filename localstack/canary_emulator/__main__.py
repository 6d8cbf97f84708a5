"""Entry point: `python -m canary_emulator --port N [--parent-pid PID] [--pid-file PATH]`."""

from canary_emulator.server import main

main()
