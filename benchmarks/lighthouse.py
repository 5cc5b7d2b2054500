"""`make bench`: Lighthouse 12.2.3 (npm, pinned in package.json) on the built default site,
served gzipped on 127.0.0.1 (benchmarks/gzip_server.py), in Debian's Chromium, headless.

Lighthouse's default run: mobile emulation and simulated slow 4G. Pages: the home page, the
listing, a product page and the Arabic home page; three runs each. Performance is the median of
the three runs (it varies from run to run on a shared machine); accessibility, best practices
and SEO are the lowest of the three. Goals (issue 15): performance at least 95, the other three
100. Results: benchmarks/results/lighthouse.json. Exit status 1 if a goal is missed.

Usage: python benchmarks/lighthouse.py [--runs 3] [--site DIR (an existing build)]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from gzip_server import serve_gzip  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"  # benchmarks/package.json
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PAGES = {"home": "/", "listing": "/products/", "product page": "/products/pim-matrix/", "Arabic home": "/ar/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}


def run_lighthouse(url: str, out: Path) -> dict:
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    command = [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
               f"--only-categories={','.join(CATEGORIES)}",
               "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    if result.returncode != 0 or not out.is_file():
        raise SystemExit(f"lighthouse failed on {url}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    failing = sorted(audit_id for audit_id, audit in report["audits"].items()
                     if audit.get("score") is not None and audit["score"] < 1
                     and audit.get("scoreDisplayMode") in ("binary", "numeric")
                     and any(audit_id == ref["id"] for name in CATEGORIES[1:]
                             for ref in report["categories"][name]["auditRefs"] if ref.get("weight")))
    return {"scores": scores, "failing": failing}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an existing build of the default site")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `npm ci`.")
    with tempfile.TemporaryDirectory(prefix="pim-lighthouse-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "site"
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
                           cwd=ROOT, env=env, check=True)
        url, server = serve_gzip(site)
        rows = {}
        try:
            for name, path in PAGES.items():
                runs = [run_lighthouse(url + path, work / f"report-{i}.json") for i in range(args.runs)]
                rows[name] = {
                    "performance": statistics.median(r["scores"]["performance"] for r in runs),
                    **{c: min(r["scores"][c] for r in runs) for c in CATEGORIES[1:]},
                    "performance_runs": [r["scores"]["performance"] for r in runs],
                    "failing_audits": sorted({a for r in runs for a in r["failing"]}),
                }
                print(name, rows[name], flush=True)
        finally:
            server.shutdown()
    failures = [f"{name} {category} {row[category]} < {goal}"
                for name, row in rows.items() for category, goal in GOALS.items() if row[category] < goal]
    lines = ["| page | performance (median of 3) | accessibility | best practices | SEO |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {row['performance']:g} ({', '.join(map(str, row['performance_runs']))}) | "
              f"{row['accessibility']} | {row['best-practices']} | {row['seo']} |" for name, row in rows.items()]
    print("\nLighthouse 12.2.3, mobile, gzip:\n" + "\n".join(lines))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "lighthouse.json").write_text(json.dumps({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "lighthouse": "12.2.3",
        "pages": rows, "goals": GOALS, "missed": failures}, indent=1) + "\n", encoding="utf-8")
    if failures:
        print("\nMISSED: " + "; ".join(failures))
        return 1
    print("\nAll goals met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
