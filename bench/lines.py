#!/usr/bin/env python3
"""bench/lines.py -- throughput and memory of the `lines` stage.

1. Stage throughput, -j1, median of BENCH_LINES_RUNS runs (default 5), on the
   small bench corpus (real crawled text, built by bench/run.sh): MB/s per
   core of the stage's own time (summary.json), for the single pass
   (--no-lines-corpus) and for the two passes (the corpus pass's time, which
   includes reading and the stages before `lines`, plus the scoring pass).
2. The whole run `--stages normalize,lines`, one pass and two, on the small
   and the 200 MB corpus: wall and CPU time against the codec floor
   (zstd -dc IN | zstd -3 -c > /dev/null) measured in the same run, and peak
   RSS (getrusage of each child), with the corpus table's size as the summary
   reports it.

usage: bench/lines.py PATH/TO/tamis      (make bench runs it)
"""
import json, os, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import floor_cpu, run as run_child  # noqa: E402


def run(cmd):
    return run_child(cmd, 'bench lines')


here = os.path.dirname(os.path.abspath(__file__))
small = os.path.join(here, "corpus", "corpus.jsonl.zst")
mid = os.path.join(here, "corpus", "corpus-200m.jsonl.zst")
RUNS = int(os.environ.get("BENCH_LINES_RUNS", "5"))
TARGET = 200.0  # MB/s per core, single pass (issue #4)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tamis = os.path.abspath(sys.argv[1])
    if not os.path.exists(small):
        print("bench lines: skipped: %s absent (bench/run.sh builds it from ../shared/data)" % small)
        return 0
    result = {"runs": RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o")
        # 1. stage time
        rows = {}
        for mode, extra in (("single pass", ["--no-lines-corpus"]), ("two passes", [])):
            secs, pass_secs = [], []
            for _ in range(RUNS):
                run([tamis, "run", "-q", "-j1", "--compress", "none", "--stages", "lines", "--tag-only", small,
                     "-o", out] + extra)
                s = json.load(open(os.path.join(out, "summary.json")))
                st = [x for x in s["stages"] if x["name"] == "lines"][0]
                secs.append(st["seconds"])
                pass_secs.append(st.get("corpus_pass", {}).get("seconds", 0.0))
            nbytes = s["bytes_in"]
            c = st["counters"]
            rows[mode] = {"bytes": nbytes, "stage_s": statistics.median(secs), "pass_s": statistics.median(pass_secs),
                          "lines": c["lines"], "removed": c["lines_removed"]}
        print("bench lines: stage time only, -j1, median of %d runs, %s" % (RUNS, os.path.relpath(small)))
        for mode, r in rows.items():
            total = r["stage_s"] + r["pass_s"]
            mbs = r["bytes"] / 1e6 / total
            r["mb_per_s_per_core"] = round(mbs, 1)
            note = "" if mode != "single pass" else ("  (target >= %d)" % TARGET if mbs >= TARGET else
                                                     "  (below the target of %d)" % TARGET)
            print("  %-12s %7.1f MB/s per core (scoring %.3f s + corpus pass %.3f s for %.1f MB); %d of %d lines removed%s"
                  % (mode, mbs, r["stage_s"], r["pass_s"], r["bytes"] / 1e6, r["removed"], r["lines"], note))
        result["stage"] = rows
        # 2. whole runs: time against the codec floor, peak memory
        e2e = []
        for path in (small, mid):
            if not os.path.exists(path):
                continue
            floor = statistics.median(floor_cpu(path) for _ in range(3))
            for mode, extra in (("one pass", ["--no-lines-corpus"]), ("two passes", [])):
                samples = [run([tamis, "run", "-q", "-j2", "--stages", "normalize,lines", path, "-o", out] + extra)
                           for _ in range(3)]
                s = json.load(open(os.path.join(out, "summary.json")))
                st = [x for x in s["stages"] if x["name"] == "lines"][0]
                cp = st.get("corpus_pass", {})
                e2e.append({"corpus": os.path.relpath(path, here), "mode": mode, "bytes": s["bytes_in"],
                            "wall_s": statistics.median(x[0] for x in samples),
                            "cpu_s": statistics.median(x[1] for x in samples),
                            "peak_rss_mib": round(max(x[2] for x in samples) / 1024, 1), "floor_cpu_s": floor,
                            "distinct_keys": cp.get("distinct_keys", 0), "table_mib": round(cp.get("table_bytes", 0) / 2**20, 1)})
        print("  --stages normalize,lines, -j2, median of 3 runs; CPU against the codec floor; peak RSS:")
        for r in e2e:
            print("    %-24s %-10s %6.1f MB/s wall, CPU %.2f s = %.1fx the floor (%.2f s), peak RSS %.0f MiB%s"
                  % (r["corpus"], r["mode"], r["bytes"] / 1e6 / r["wall_s"], r["cpu_s"], r["cpu_s"] / r["floor_cpu_s"],
                     r["floor_cpu_s"], r["peak_rss_mib"],
                     ", corpus table %.1f MiB for %d keys" % (r["table_mib"], r["distinct_keys"]) if r["distinct_keys"] else ""))
        result["end_to_end"] = e2e
    os.makedirs(os.path.join(here, "results"), exist_ok=True)
    with open(os.path.join(here, "results", "lines.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
