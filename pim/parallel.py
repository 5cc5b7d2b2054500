"""When to share work with a second process. A forked process starts with everything already
loaded, so it starts at once (about 30 ms); that pays from a few hundred products on."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor


# The number of items from which work is split: below it a second process costs more than it saves.
PARALLEL_FROM = 200


def can_fork() -> bool:
    # fork is only safe where it is the default (Linux), and only useful with a second core.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return sys.platform == "linux" and cores > 1


def second_process() -> ProcessPoolExecutor:
    """One forked worker process (forked on the first submit), for when `can_fork()`."""
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
