"""Monkeypatches of moto 5.2.5 models, applied once at server start (see each module)."""

_applied = False


def apply() -> None:
    global _applied
    if _applied:
        return
    _applied = True
