"""Threads that cannot open a network socket: where user-written SPARQL runs.

pyoxigraph evaluates ``SERVICE`` with its own HTTP client and has no switch to turn it off, so refusing
``SERVICE`` on the parsed query (:mod:`graph.sparql_guard`) is backed by a second, independent guard: the
query runs in a worker thread carrying a seccomp filter (Linux, x86-64 or aarch64) under which ``socket()``
for IPv4, IPv6 and packet sockets, and ``io_uring_setup``, fail with ``EACCES``. A seccomp filter binds the
thread that installs it (no ``SECCOMP_FILTER_FLAG_TSYNC``), so the rest of the process (Neo4j driver,
uvicorn) keeps its network; the workers live in one process-wide pool because a filter can never be removed
from a thread. Where the filter cannot be installed (another OS or CPU), :data:`ISOLATION` says so, queries
run without it and the parser check is the only guard. The workers also run at a lower CPU priority
(nice +10, per thread on Linux), so ``/health`` and cheap requests are scheduled before running queries.
"""

from __future__ import annotations

import ctypes
import logging
import os
import platform
import struct
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO_EACCES = 0x00050000 | 13
_DENIED_FAMILIES = (2, 10, 17)  # AF_INET, AF_INET6, AF_PACKET
# machine → (AUDIT_ARCH, socket syscall number, io_uring_setup syscall number)
_ARCHES = {"x86_64": (0xC000003E, 41, 425), "aarch64": (0xC00000B7, 198, 425)}
_WORKERS = 16
_NICENESS = 10  # query workers yield the CPU to the event loop and cheap requests


def _program(arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    """Return the BPF program: deny inet/packet ``socket()``, ``io_uring_setup`` and x32 calls; allow the rest."""
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
    deny = 11  # index of the deny instruction below; allow is 10
    code = [
        (ld, 0, 0, 4),  # 0 arch
        (jeq, 0, deny - 2, arch),  # 1 another ABI (32-bit calls on x86-64, with socketcall): deny
        (ld, 0, 0, 0),  # 2 syscall number
        (jge, deny - 4, 0, 0x40000000),  # 3 x32 syscalls: deny
        (jeq, deny - 5, 0, io_uring_nr),  # 4
        (jeq, 0, 10 - 6, socket_nr),  # 5 not socket(): allow
        (ld, 0, 0, 16),  # 6 args[0] (domain), low 32 bits
        (jeq, deny - 8, 0, _DENIED_FAMILIES[0]),  # 7
        (jeq, deny - 9, 0, _DENIED_FAMILIES[1]),  # 8
        (jeq, deny - 10, 0, _DENIED_FAMILIES[2]),  # 9
        (ret, 0, 0, _RET_ALLOW),  # 10
        (ret, 0, 0, _RET_ERRNO_EACCES),  # 11
    ]
    return b"".join(struct.pack("HBBI", *instruction) for instruction in code)


def deny_network_in_this_thread() -> None:
    """Install the seccomp filter on the calling thread (irreversible for that thread).

    Raises
    ------
    OSError
        If the platform has no seccomp or the kernel refuses the filter.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        raise OSError(f"no seccomp network filter for {platform.system()} {machine}")
    program = _program(*_ARCHES[machine])
    buffer = ctypes.create_string_buffer(program, len(program))

    class _Fprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = _Fprog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def _probe() -> str:
    """Install the filter on a throwaway thread and report whether that worked."""
    outcome: list[str] = []

    def attempt() -> None:
        try:
            deny_network_in_this_thread()
            outcome.append("seccomp")
        except OSError as error:
            outcome.append(f"none ({error})")

    thread = threading.Thread(target=attempt, name="peergraph-sandbox-probe")
    thread.start()
    thread.join()
    return outcome[0]


#: How user queries are kept off the network here: ``"seccomp"``, or ``"none (<why>)"``.
ISOLATION = _probe()
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_worker = threading.local()


def _initialise_worker() -> None:
    if ISOLATION == "seccomp":
        deny_network_in_this_thread()
    if platform.system() == "Linux":  # on Linux this renices the thread only: cheap requests get the CPU first
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _NICENESS)
    _worker.isolated = True


def run_without_network(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run ``function(*args, **kwargs)`` in a worker thread that cannot open network sockets; return its result.

    Parameters
    ----------
    function : callable
        Work that must not reach the network (evaluating a user's query, materialising its results).
    *args, **kwargs
        Its arguments.

    Returns
    -------
    object
        What ``function`` returned (its exception is raised here).
    """
    global _pool
    if getattr(_worker, "isolated", False):  # already in a worker: run here rather than wait for a second one
        return function(*args, **kwargs)
    with _pool_lock:
        if _pool is None:
            if ISOLATION != "seccomp":
                log.warning("user queries run without network isolation: %s", ISOLATION)
            _pool = ThreadPoolExecutor(_WORKERS, "peergraph-query", initializer=_initialise_worker)
    return _pool.submit(function, *args, **kwargs).result()
