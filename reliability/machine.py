"""Where the CPU went during a phase (Linux ``/proc``): the portal's workers, this load generator, the machine.

Timings on a shared two-core machine mean little without this: a p95 that
misses its target with the portal's workers using both cores is a capacity
figure; with the machine busy elsewhere it is noise.
"""
from __future__ import annotations

import os
import time

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def _machine() -> tuple[int, int]:
    """(busy, total) jiffies of every CPU since boot."""
    with open("/proc/stat", encoding="ascii") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def snapshot(server_pid: int) -> dict:
    """CPU counters now: the server's workers, this process, the machine."""
    busy, total = _machine()
    return {"at": time.monotonic(), "server": sum(_process_seconds(p) for p in [server_pid, *children(server_pid)]),
            "generator": time.process_time(), "busy": busy, "total": total}


def usage(before: dict, after: dict) -> dict:
    """Cores used between two snapshots (a core fully busy = 1.0)."""
    seconds = max(after["at"] - before["at"], 1e-6)
    cores = os.cpu_count() or 1
    share = (after["busy"] - before["busy"]) / max(after["total"] - before["total"], 1)
    return {"seconds": round(seconds, 1), "cpus": cores,
            "server_cores": round((after["server"] - before["server"]) / seconds, 2),
            "generator_cores": round((after["generator"] - before["generator"]) / seconds, 2),
            "machine_busy_cores": round(share * cores, 2)}
