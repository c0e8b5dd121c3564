#!/usr/bin/env python3
"""bench/quality.py -- stage throughput of the quality filters.

Runs each quality stage alone, then the four together, on the small bench
corpus (real crawled text, built by bench/run.sh), one worker thread, for
each rule set. Throughput is MB/s per core of *stage* time: the text bytes
that entered the run divided by the seconds the stage itself spent (what
summary.json reports per stage), so reading, decompression, JSON and writing
are excluded. Median of BENCH_QUALITY_RUNS runs (default 5).

usage: bench/quality.py PATH/TO/tamis      (make bench runs it after bench/run.sh)
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "corpus", "corpus.jsonl.zst")
RUNS = int(os.environ.get("BENCH_QUALITY_RUNS", "5"))
STAGES = ["gopher_repetition", "gopher_quality", "c4_quality", "fineweb_quality"]
RULES = ["datatrove-current", "fineweb-2024", "tamis"]
TARGET_ONE, TARGET_ALL = 200.0, 100.0     # MB/s per core, from the issue
REFERENCE_ALL = 0.14                       # datatrove's four together, MB/s per core (issue #3)


def once(tamis, stages, rules, tmp):
    out = os.path.join(tmp, "o")
    cmd = [tamis, "run", "-q", "-j1", "--compress", "none", "--stages", ",".join(stages), "--rules", rules,
           "--tag-only", corpus, "-o", out]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "summary.json")) as f:
        s = json.load(f)
    secs = sum(st["seconds"] for st in s["stages"] if st["name"] in stages)
    return s["bytes_in"], secs


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tamis = os.path.abspath(sys.argv[1])
    if not os.path.exists(corpus):
        print("bench quality: skipped: %s absent (bench/run.sh builds it from ../shared/data)" % corpus)
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for rules in RULES:
            for stages in [[s] for s in STAGES] + [STAGES]:
                samples = [once(tamis, stages, rules, tmp) for _ in range(RUNS)]
                nbytes = samples[0][0]
                secs = statistics.median(s for _, s in samples)
                mbs = nbytes / 1e6 / secs if secs > 0 else float("inf")
                label = stages[0] if len(stages) == 1 else "all four"
                target = TARGET_ONE if len(stages) == 1 else TARGET_ALL
                rows.append({"rules": rules, "stages": label, "bytes": nbytes, "stage_seconds_median": secs,
                             "mb_per_s_per_core": round(mbs, 1), "target": target, "meets_target": mbs >= target,
                             "runs": RUNS})
    print("bench quality: stage time only, -j1, median of %d runs, %s" % (RUNS, os.path.relpath(corpus)))
    print("  %-18s %-18s %10s %8s" % ("rules", "stages", "MB/s/core", "target"))
    for r in rows:
        print("  %-18s %-18s %10.1f %8s%s" % (r["rules"], r["stages"], r["mb_per_s_per_core"], ">= %d" % r["target"],
                                             "" if r["meets_target"] else "  (below)"))
    allrow = [r for r in rows if r["rules"] == "datatrove-current" and r["stages"] == "all four"][0]
    print("  datatrove's four together: about %.2f MB/s per core (issue #3): tamis is %.0fx that"
          % (REFERENCE_ALL, allrow["mb_per_s_per_core"] / REFERENCE_ALL))
    # the whole default run (normalize, exact_dedup, the three default quality stages), wall clock and
    # CPU, against the codec floor on the same file
    e2e = []
    with tempfile.TemporaryDirectory() as tmp:
        for threads in (1, 2):
            walls, cpus = [], []
            for _ in range(RUNS):
                out = os.path.join(tmp, "o")
                t0 = os.times()
                w0 = time.monotonic()
                subprocess.run([tamis, "run", "-q", "-j%d" % threads, corpus, "-o", out], check=True)
                walls.append(time.monotonic() - w0)
                t1 = os.times()
                cpus.append((t1.children_user - t0.children_user) + (t1.children_system - t0.children_system))
            with open(os.path.join(out, "summary.json")) as f:
                s = json.load(f)
            e2e.append({"threads": threads, "wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
                        "bytes": s["bytes_in"], "kept": s["docs_kept"], "docs": s["docs_in"]})
        floors = []
        for _ in range(RUNS):
            t0 = os.times()
            subprocess.run("zstd -dc '%s' | zstd -3 -c > /dev/null" % corpus, shell=True, check=True)
            t1 = os.times()
            floors.append((t1.children_user - t0.children_user) + (t1.children_system - t0.children_system))
    floor = statistics.median(floors)
    print("  default stages end to end (normalize, exact_dedup, lines with its corpus pass, language, gopher_repetition, gopher_quality, fineweb_quality):")
    for r in e2e:
        print("    -j%d: %.1f MB/s wall, CPU %.2f s = %.1fx the codec floor (%.2f s), %d of %d documents kept"
              % (r["threads"], r["bytes"] / 1e6 / r["wall_s"], r["cpu_s"], r["cpu_s"] / floor, floor, r["kept"], r["docs"]))
    os.makedirs(os.path.join(here, "results"), exist_ok=True)
    with open(os.path.join(here, "results", "quality.json"), "w") as f:
        json.dump({"corpus": os.path.relpath(corpus, os.path.dirname(here)), "rows": rows, "end_to_end": e2e,
                   "codec_floor_cpu_s": floor}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
