"""Run a command; print its peak memory, CPU seconds and the user part of those to stderr as
`measured <KiB> <seconds> <user seconds>` (the rest is the kernel's: on the benchmarks' machine,
mostly creating files, which costs more right after many files were deleted).

Peak memory is that of the command and every process it starts, together: large builds fork a
second process, and ru_maxrss only gives the largest single process. On Linux the proportional
set size (PSS: pages shared between processes counted once) of the process tree is summed every
100 ms (reading it takes the machine some time, which a shorter interval would take from the
build); the peak is the larger of that and ru_maxrss."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
    except OSError:
        pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            return next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
    except OSError:
        return 0


def tree_pss_kib(root: int) -> int:
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        total += _pss_kib(pid)
        todo += _children(pid)
    return total


def main() -> int:
    process = subprocess.Popen(sys.argv[1:])
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], tree_pss_kib(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.exists("/proc/self/smaps_rollup"):
        sampler.start()
    code = process.wait()
    if sampler.is_alive():
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print("measured", max(peak[0], usage.ru_maxrss), usage.ru_utime + usage.ru_stime, usage.ru_utime, file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
