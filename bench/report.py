#!/usr/bin/env python3
"""bench/report.py -- what writing the run report costs.

The run report (report.html and the stats.json it is drawn from) is collected
on the committing thread, in input order, and written once at the end. This
measures a default-stages run with it and with --no-report, interleaved, on
the small and the 200 MB bench corpora (real crawled text, built by
bench/run.sh): CPU time (median of BENCH_REPORT_RUNS, default 7), wall time
and peak RSS, against the codec floor (zstd -dc IN | zstd -3 -c > /dev/null)
measured in the same run. Also: the time of `tamis report DIR` (rendering
alone) and the sizes of stats.json and report.html, which do not grow with
the corpus. Target (issue #8): the report adds under 1 % to the run's time.

usage: bench/report.py PATH/TO/tamis      (make bench runs it)
"""
import json, os, statistics, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import floor_cpu, run as run_child  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
# (name, file, runs: None = BENCH_REPORT_RUNS); the 1 GB corpus once, for memory: the sample does not grow
CORPORA = [("small", os.path.join(here, "corpus", "corpus.jsonl.zst"), None),
           ("200 MB", os.path.join(here, "corpus", "corpus-200m.jsonl.zst"), None),
           ("1 GB", os.path.join(here, "corpus", "corpus-1g.jsonl.zst"), 1)]
RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "7"))


def run(cmd):
    return run_child(cmd, "bench report")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tamis = os.path.abspath(sys.argv[1])
    if not os.path.exists(CORPORA[0][1]):
        print("bench report: skipped: %s absent (bench/run.sh builds it from ../shared/data)" % CORPORA[0][1])
        return 0
    results = {"runs": RUNS, "corpora": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, path, runs in CORPORA:
            if not os.path.exists(path):
                continue
            runs = runs or RUNS
            floor = statistics.median(floor_cpu(path) for _ in range(min(runs, 3)))
            base = [tamis, "run", "-q", "-j1", "--no-progress", path]
            on, off = [], []
            for i in range(runs):  # interleaved, so drift hits both alike
                off.append(run(base + ["-o", os.path.join(tmp, "off"), "--no-report"]))
                on.append(run(base + ["-o", os.path.join(tmp, "on")]))
            render = []
            for _ in range(runs):
                t0 = time.monotonic()
                run([tamis, "report", os.path.join(tmp, "on")])
                render.append(time.monotonic() - t0)
            cpu_on = statistics.median(r[1] for r in on)
            cpu_off = statistics.median(r[1] for r in off)
            s = json.load(open(os.path.join(tmp, "on", "summary.json")))
            row = {
                "runs": runs, "docs": s["docs_in"], "text_mb": s["bytes_in"] / 1e6, "floor_cpu_s": floor,
                "cpu_s_no_report": cpu_off, "cpu_s_report": cpu_on,
                "cpu_min_no_report": min(r[1] for r in off), "cpu_min_report": min(r[1] for r in on),
                "overhead_pct": 100 * (cpu_on - cpu_off) / cpu_off,
                "overhead_pct_min": 100 * (min(r[1] for r in on) - min(r[1] for r in off)) / min(r[1] for r in off),
                "wall_s_no_report": statistics.median(r[0] for r in off),
                "wall_s_report": statistics.median(r[0] for r in on),
                "rss_mb_no_report": max(r[2] for r in off) / 1024, "rss_mb_report": max(r[2] for r in on) / 1024,
                "render_s": statistics.median(render),
                "stats_json_kb": os.path.getsize(os.path.join(tmp, "on", "stats.json")) / 1024,
                "report_html_kb": os.path.getsize(os.path.join(tmp, "on", "report.html")) / 1024,
            }
            results["corpora"][name] = row
    os.makedirs(os.path.join(here, "results"), exist_ok=True)
    with open(os.path.join(here, "results", "report.json"), "w") as f:
        json.dump(results, f, indent=2)
    print("\nrun report (default stages, -j1, median of %d interleaved runs; 1 GB: one run each)" % RUNS)
    print("%-8s %8s %10s %10s %10s %9s %9s %9s %9s %8s %9s" % (
        "corpus", "docs", "floor cpu", "cpu off", "cpu on", "overhead", "(mins)", "RSS off", "RSS on", "render",
        "html/json"))
    for name, r in results["corpora"].items():
        print("%-8s %8d %9.2fs %9.2fs %9.2fs %8.2f%% %8.2f%% %7.1fMB %7.1fMB %7.3fs %4.0f/%.0fKB" % (
            name, r["docs"], r["floor_cpu_s"], r["cpu_s_no_report"], r["cpu_s_report"], r["overhead_pct"],
            r["overhead_pct_min"], r["rss_mb_no_report"], r["rss_mb_report"], r["render_s"], r["report_html_kb"],
            r["stats_json_kb"]))
        print("%-8s tamis cpu / codec floor: %.1f (no report), %.1f (report)" % (
            "", r["cpu_s_no_report"] / r["floor_cpu_s"], r["cpu_s_report"] / r["floor_cpu_s"]))
    print("target: overhead under 1 %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
