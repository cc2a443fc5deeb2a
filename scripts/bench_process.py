"""Run one benchmarked command in its own process: wall time, CPU time and its own peak memory.

Peak memory is the process's VmHWM (high-water resident set) read from /proc while it runs,
not `ru_maxrss` from wait4: a child forked from a large parent (bench.py holds hundreds of MiB
by the time the scale section runs) inherits the parent's resident set, and ru_maxrss keeps that
high-water mark across exec, so every command measured the parent's size (2026-12-01: four
commands, one value, 486 MB). After exec, VmHWM describes the new program alone. Polled every
20 ms: a peak reached and released within the last poll interval would be missed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

POLL_SECONDS = 0.02


def vm_hwm_bytes(pid: int) -> int:
    """The process's peak resident set so far (0 if it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def run_measured(command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """wall_s, cpu_s (user + system of the process and its waited-for children), peak_rss
    (bytes, VmHWM), output (stdout and stderr) and returncode of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()), daemon=True)
    reader.start()
    peak = 0
    while True:
        # WNOHANG + WNOWAIT: learn that it ended without reaping it, so /proc stays readable
        # up to the end and wait4 below still gets its resource usage.
        ended = os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        peak = max(peak, vm_hwm_bytes(process.pid))
        if ended is not None:
            break
        time.sleep(POLL_SECONDS)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss": peak,
        "output": b"".join(chunks).decode("utf-8", "replace"),
        "returncode": process.returncode,
    }


def load_sentence(highest_load: float) -> str:
    """How to read wall times given the highest 1-minute load average seen during a run."""
    cores = os.cpu_count() or 1
    if highest_load > cores + 0.5:
        return (
            f"The machine has {cores} cores and other jobs shared them during this run (load up to "
            f"{highest_load:.1f}): wall seconds stretch with the load, CPU seconds and the ratios "
            "much less."
        )
    return (
        f"The machine has {cores} cores and nothing else ran (load up to {highest_load:.1f}: the "
        "benchmark's own processes, which use every core): wall seconds are the figures to read."
    )
