"""Where replications run: this process, local worker processes, or a Dask cluster, behind one
`concurrent.futures` executor; and nothing left running when the user stops the command.

On Ctrl-C (SIGINT) or SIGTERM the pending work is cancelled, local worker processes are ended,
and the Dask futures are released, so no orphan keeps a core busy after the command has gone.
"""
from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Optional

from cpmodel.model.errors import InputError


class Stopped(KeyboardInterrupt):
    """The command was asked to stop (SIGINT or SIGTERM); `signal` says which."""

    def __init__(self, number: int | str):
        # a name too: SimPy re-raises an exception from a process by building it again from its args
        which = signal.Signals[number] if isinstance(number, str) else signal.Signals(number)
        super().__init__(which.name)
        self.signal = int(which)


def stop_on_signal(number, _frame):
    """A signal handler: the signal becomes Stopped (a KeyboardInterrupt), so clean-up runs."""
    raise Stopped(number)


def _worker_signals() -> None:
    """In a worker: Ctrl-C (sent to the whole terminal group) is the parent's to handle, and
    SIGTERM from the parent simply ends the worker, without a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def most_local_workers() -> int:
    """Four worker processes a core: replications are all CPU, so more than the cores only queue."""
    return 4 * (os.cpu_count() or 1)


def _make(workers: int, scheduler: Optional[str]):
    if scheduler:
        from distributed import Client
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError, TypeError) as error:
            raise InputError("--scheduler", None, scheduler, f"cannot reach the Dask scheduler ({error})") from None
        return client.get_executor(), client
    if workers > 1:
        most = most_local_workers()
        if workers > most:
            raise InputError("--workers", None, str(workers),
                             f"at most {most} local worker processes on this machine ({os.cpu_count() or 1} cores, "
                             "four each): more only wait for a core, and thousands can freeze it; "
                             "for more, run on a cluster with --scheduler")
        from concurrent.futures import ProcessPoolExecutor
        return ProcessPoolExecutor(max_workers=workers, initializer=_worker_signals), None
    return None, None


def _abort(executor, client) -> None:
    """Cancel what has not run, end local worker processes, release Dask futures."""
    if client is not None:
        executor.shutdown(wait=False)          # the Dask executor cancels its futures
        client.close()
        return
    if executor is None:
        return
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
    # with its workers gone the pool's manager thread ends; joining it here keeps the
    # interpreter's exit quiet (no traceback from a pipe closed under it)
    executor.shutdown(wait=True, cancel_futures=True)


def executor_slots(executor, workers: int) -> int:
    """How many replications the executor runs at once: its worker processes, or a Dask
    cluster's threads (at least one)."""
    if executor is None:
        return 1
    client = getattr(executor, "_client", None)
    if client is not None:
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:   # noqa: BLE001 - a cluster that cannot say: assume the workers asked for
            return max(1, workers)
    return max(1, getattr(executor, "_max_workers", workers))


@contextmanager
def replication_executor(workers: int = 1, scheduler: Optional[str] = None):
    """Yield an executor (None: run here). SIGTERM is treated like Ctrl-C while it is open."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = {}
    if in_main:
        for number in (signal.SIGINT, signal.SIGTERM):
            previous[number] = signal.signal(number, stop_on_signal)
    executor, client = None, None
    try:
        executor, client = _make(workers, scheduler)
        yield executor
    except BaseException:
        _abort(executor, client)
        raise
    else:
        # Everything wanted has been collected: what still runs is speculation nobody needs,
        # so it is ended rather than waited for (waiting would add up to a replication's time).
        _abort(executor, client)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
