"""Run one input under a time and memory limit, in this process (no input may take over 10 s or 1 GB).

The memory limit lowers the soft address-space limit to what the process already has plus the
allowance, so an input that tries to grow past it fails with MemoryError (which the command
turns into exit 3, and the test reports) instead of filling the machine; the time limit is an
alarm that interrupts the command. Both are restored afterwards.
"""
from __future__ import annotations

import contextlib
import resource
import signal
from pathlib import Path

SECONDS = 10
MEMORY = 1 << 30


class TookTooLong(BaseException):
    """Raised by the alarm. A BaseException, so the command's own error handling cannot hide it."""


def _virtual_size() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


@contextlib.contextmanager
def limited(seconds: int = SECONDS, memory: int = MEMORY):
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = _virtual_size() + memory
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    def alarm(signum, frame):
        raise TookTooLong(f"over {seconds} s")
    previous = signal.signal(signal.SIGALRM, alarm)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def bundled_procedure_once():
    """The bundled procedure is not the input under test: load it once, not for every input."""
    from cpmodel import model
    original = model.load_procedure
    bundled = original()
    model.load_procedure = lambda path=None: bundled if path is None else original(path)
    try:
        yield bundled
    finally:
        model.load_procedure = original
