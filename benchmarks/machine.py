"""A line describing the machine a benchmark ran on, printed with its figures."""

from __future__ import annotations

import os
import platform


def describe() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as fh:
            mem_kb = int(fh.readline().split()[1])
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        memory = "unknown memory"
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, {memory}, "
        f"Python {platform.python_version()} on {platform.system()}"
    )
