#!/usr/bin/env python3
"""bench/language.py -- throughput and memory of the `language` stage.

1. Stage throughput, -j1, median of BENCH_LANG_RUNS runs (default 5), on the
   small bench corpus (real crawled text in 9 languages, built by
   bench/run.sh): MB/s per core of the stage's own time (summary.json), for
   each backend (tamis's model, CLD2), documents only and with --lid-lines.
   Target (issue #5): tamis's model at least 3x CLD2.
2. The whole run `--stages normalize,language` on the small and the 200 MB
   corpus, -j2, each backend: wall and CPU time against the codec floor
   (zstd -dc IN | zstd -3 -c > /dev/null) measured in the same run, and peak
   RSS (getrusage of each child).

usage: bench/language.py PATH/TO/tamis      (make bench runs it)
"""
import json, os, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import floor_cpu, run as run_child  # noqa: E402


def run(cmd):
    return run_child(cmd, 'bench language')


here = os.path.dirname(os.path.abspath(__file__))
small = os.path.join(here, "corpus", "corpus.jsonl.zst")
mid = os.path.join(here, "corpus", "corpus-200m.jsonl.zst")
RUNS = int(os.environ.get("BENCH_LANG_RUNS", "5"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tamis = os.path.abspath(sys.argv[1])
    if not os.path.exists(small):
        print("bench language: skipped: %s absent (bench/run.sh builds it from ../shared/data)" % small)
        return 0
    result = {"runs": RUNS}
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o")
        rows = []
        for backend in ("tamis", "cld2"):
            for mode, extra in (("documents", []), ("--lid-lines", ["--lid-lines"])):
                secs = []
                for _ in range(RUNS):
                    run([tamis, "run", "-q", "-j1", "--compress", "none", "--stages", "language", "--lid-backend",
                         backend, small, "-o", out] + extra)
                    s = json.load(open(os.path.join(out, "summary.json")))
                    st = [x for x in s["stages"] if x["name"] == "language"][0]
                    secs.append(st["seconds"])
                langs = st.get("languages", {})
                top = sorted(langs.items(), key=lambda kv: -kv[1])[:6]
                rows.append({"backend": backend, "mode": mode, "bytes": s["bytes_in"],
                             "stage_s": statistics.median(secs), "docs": st["docs_in"],
                             "lines_checked": st["counters"]["lines_checked"], "top": top})
        print("bench language: stage time only, -j1, median of %d runs, %s" % (RUNS, os.path.relpath(small)))
        for r in rows:
            r["mb_per_s_per_core"] = round(r["bytes"] / 1e6 / r["stage_s"], 1)
            print("  %-6s %-12s %7.1f MB/s per core (%.3f s for %.1f MB, %d docs%s); top: %s"
                  % (r["backend"], r["mode"], r["mb_per_s_per_core"], r["stage_s"], r["bytes"] / 1e6, r["docs"],
                     ", %d lines" % r["lines_checked"] if r["lines_checked"] else "",
                     " ".join("%s=%d" % kv for kv in r["top"])))
        t = {r["mode"]: r["mb_per_s_per_core"] for r in rows if r["backend"] == "tamis"}
        c = {r["mode"]: r["mb_per_s_per_core"] for r in rows if r["backend"] == "cld2"}
        for mode in t:
            ratio = t[mode] / c[mode]
            print("  tamis / cld2, %s: %.1fx%s" % (mode, ratio, "" if ratio >= 3 else "  (below the target of 3x)"))
        result["stage"] = rows
        e2e = []
        for path in (small, mid):
            if not os.path.exists(path):
                continue
            floor = statistics.median(floor_cpu(path) for _ in range(3))
            for backend in ("tamis", "cld2"):
                samples = [run([tamis, "run", "-q", "-j2", "--stages", "normalize,language", "--lid-backend", backend,
                                path, "-o", out]) for _ in range(3)]
                s = json.load(open(os.path.join(out, "summary.json")))
                e2e.append({"corpus": os.path.relpath(path, here), "backend": backend, "bytes": s["bytes_in"],
                            "wall_s": statistics.median(x[0] for x in samples),
                            "cpu_s": statistics.median(x[1] for x in samples),
                            "peak_rss_mib": round(max(x[2] for x in samples) / 1024, 1), "floor_cpu_s": floor})
        print("  --stages normalize,language, -j2, median of 3 runs; CPU against the codec floor; peak RSS:")
        for r in e2e:
            print("    %-24s %-6s %6.1f MB/s wall, CPU %.2f s = %.1fx the floor (%.2f s), peak RSS %.0f MiB"
                  % (r["corpus"], r["backend"], r["bytes"] / 1e6 / r["wall_s"], r["cpu_s"],
                     r["cpu_s"] / r["floor_cpu_s"], r["floor_cpu_s"], r["peak_rss_mib"]))
        result["end_to_end"] = e2e
    os.makedirs(os.path.join(here, "results"), exist_ok=True)
    with open(os.path.join(here, "results", "language.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
