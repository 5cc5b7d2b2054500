"""What one `make serve` rebuild costs, in this process: CPU seconds per kind of edit, and where
they go (per page, or a cProfile of the rebuild).

It rebuilds the way tests/test_rebuild.py does (and `mkdocs serve --dirty`: a new config each
time, the session kept), in a copy of the project (13: its own products; more: synthetic ones,
as benchmarks/edit_loop.py makes them), with the edits of edit_loop.py and "nothing" (a rebuild
with no change: what every rebuild costs). No server and no watcher: edit_loop.py measures those.

A benchmark, not a test. Usage: python benchmarks/rebuild_cost.py [--size 13] [--repeats 3]
[--edits nothing product "product title" stakeholder page] [--pages] [--profile DIR] (DIR gets
one .prof per edit, the last repeat, timed in CPU seconds)."""

from __future__ import annotations

import argparse
import collections
import cProfile
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import edit_loop  # noqa: E402

EDITS = ("nothing", "product", "product title", "stakeholder", "page")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=13)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--edits", nargs="+", choices=EDITS, default=list(EDITS))
    parser.add_argument("--pages", action="store_true", help="CPU seconds per page read and written (four languages together)")
    parser.add_argument("--profile", type=Path, help="a folder for cProfile's output")
    args = parser.parse_args(argv)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    logging.basicConfig(level=logging.ERROR)
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    per_page: collections.Counter = collections.Counter()

    def timed(function):
        def run(page, *rest, **options):
            start = time.process_time()
            try:
                return function(page, *rest, **options)
            finally:
                per_page[page.file.src_uri.replace(".fr.md", ".md").replace(".es.md", ".md").replace(".ar.md", ".md")] += (
                    time.process_time() - start)
        return run
    if args.pages:
        mkdocs_build._populate_page = timed(mkdocs_build._populate_page)
        mkdocs_build._build_page = timed(mkdocs_build._build_page)

    with tempfile.TemporaryDirectory(prefix="rebuild-cost-") as tmp:
        project, product_id = edit_loop.make_project(Path(tmp), args.size)
        site, serve_url = Path(tmp) / "site", "http://127.0.0.1:8000/"
        os.chdir(project)
        sys.argv = ["mkdocs", "serve", "--dirty"]  # mkdocs-static-i18n reads it here

        def rebuild(first: bool = False) -> None:
            config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
            if first:
                config.plugins.on_startup(command="serve", dirty=True)
            config.site_url = serve_url
            mkdocs_build.build(config, serve_url=serve_url, dirty=True)

        start = time.perf_counter()
        rebuild(first=True)
        print(f"first build: {time.perf_counter() - start:.1f} s", flush=True)
        edits = {what: (path, change) for what, path, change, _ in edit_loop.edits(project, product_id)}
        for what in args.edits:
            seconds = []
            for repeat in range(args.repeats):
                if what != "nothing":
                    path, change = edits[what]
                    path.write_text(change(path.read_text(encoding="utf-8"), f"t{time.time_ns()}"), encoding="utf-8")
                per_page.clear()
                profile = cProfile.Profile(time.process_time) if args.profile else None
                start = time.process_time()
                if profile:
                    profile.enable()
                rebuild()
                if profile:
                    profile.disable()
                seconds.append(time.process_time() - start)
            line = f"{what}: {statistics.median(seconds):.2f} CPU s (median of {args.repeats})"
            if args.pages:
                line += f"; pages {sum(per_page.values()):.2f}: " + ", ".join(
                    f"{name} {cpu:.3f}" for name, cpu in per_page.most_common(12) if cpu >= 0.001)
            print(line, flush=True)
            if profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                profile.dump_stats(args.profile / f"{args.size}-{what.replace(' ', '-')}.prof")
    return 0


if __name__ == "__main__":
    sys.exit(main())
