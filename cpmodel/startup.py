"""A command's start-up: the modules it needs are loaded with the cyclic garbage collector paused.

Loading z3, pydantic, lark, typer and the project makes a few hundred thousand objects that live
until the process ends. The collector, run every few hundred allocations, scanned them again and
again, while they loaded and then all through the check: about a fifth of `cpmodel check`'s CPU
time, for nothing (it never finds garbage among modules and classes). In the command's own
process (`cpmodel ...`, through `cli.main`) they are frozen once loaded (`gc.freeze`: left out
of every later collection); the command itself then runs with the collector on, as usual. Where
cpmodel runs inside another program (a test's CliRunner, a notebook) the host's objects are never
frozen: the collector is only paused while the modules load.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

_OWN_PROCESS = False


def in_own_process() -> None:
    """Called by the `cpmodel` entry point: this process is the command's alone."""
    global _OWN_PROCESS
    _OWN_PROCESS = True


@contextmanager
def loading_modules():
    """Pause the collector while a command imports what it needs; then freeze it, in its own process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _OWN_PROCESS:
            gc.freeze()
        if enabled:
            gc.enable()
