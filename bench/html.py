#!/usr/bin/env python3
"""bench/html.py -- throughput and memory of the `extract` stage.

Pages: the 990 real pages of ../shared/data/html/trafilatura-eval/html
(136 MB of HTML, read in place; skipped when ../shared is absent).

1. Parsing alone: bench/html_parse.c built with myhtml (-O2), parse only and
   parse plus a DOM walk, MB of HTML per second of CPU (one thread: per
   core), 3 repetitions of every page.
2. The stage: `tamis run --stages extract -j1` on the pages, the stage's own
   seconds (summary.json: charset decoding, parsing, extraction), median of
   BENCH_HTML_RUNS runs (default 3): MB/s per core. Target (issue #7):
   >= 50 MB/s per core; trafilatura does about 20-25 pages/s per core.
3. The whole run `--stages extract,normalize -j2` on the same pages packed
   as JSONL with the HTML in a field (--html-field), zstd-compressed: wall and
   CPU time against the codec floor (zstd -dc IN | zstd -3 -c > /dev/null)
   measured in the same run, and peak RSS.
4. Hostile pages, one run each (-j1): a million nested <div>s, 50,000
   unclosed <p> in unclosed tables, a 10 MB article, 200 KB of random bytes:
   wall time and peak RSS, and what the stage decided.

usage: bench/html.py PATH/TO/tamis      (make bench runs it)
"""
import json, os, statistics, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import floor_cpu, run as run_child  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
pages = os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "html", "trafilatura-eval", "html"))
RUNS = int(os.environ.get("BENCH_HTML_RUNS", "3"))


def run(cmd):
    return run_child(cmd, "bench html")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    tamis = os.path.abspath(sys.argv[1])
    if not os.path.isdir(pages):
        print("bench html: skipped: %s absent" % pages)
        return 0
    files = sorted(os.path.join(pages, f) for f in os.listdir(pages))
    total = sum(os.path.getsize(f) for f in files)
    result = {"pages": len(files), "bytes": total}
    with tempfile.TemporaryDirectory() as tmp:
        lst = os.path.join(tmp, "list")
        with open(lst, "w") as f:
            f.write("".join(p + "\n" for p in files))
        # 1. the parser alone
        hp = os.path.join(tmp, "hp")
        subprocess.run(["cc", "-O2", "-DHP_MYHTML", os.path.join(here, "html_parse.c"), "-o", hp, "-lmodest", "-lm"],
                       check=True)
        out = subprocess.run([hp, "-n", "3", "-m", "both", "-g", "5000", "-l", lst], capture_output=True, text=True,
                             check=True).stdout
        result["parser"] = out.strip()
        print("bench html: %d pages, %.1f MB of HTML (%s)" % (len(files), total / 1e6, os.path.relpath(pages)))
        print("  myhtml alone (bench/html_parse.c, one thread):")
        for line in out.strip().splitlines():
            print("    " + line)
        # 2. the stage
        o = os.path.join(tmp, "o")
        secs, rss = [], []
        for _ in range(RUNS):
            w, c, m = run([tamis, "run", "-q", "-j1", "--compress", "none", "--stages", "extract", "--inputs-from", lst,
                           "-o", o])
            s = json.load(open(os.path.join(o, "summary.json")))
            st = [x for x in s["stages"] if x["name"] == "extract"][0]
            secs.append(st["seconds"])
            rss.append(m)
        stage_s = statistics.median(secs)
        r = {"stage_s": stage_s, "mb_per_s_per_core": round(total / 1e6 / stage_s, 1),
             "pages_per_s_per_core": round(len(files) / stage_s), "peak_rss_mib": round(max(rss) / 1024, 1),
             "kept": s["docs_kept"], "rejected": s["rejected_by_reason"]}
        result["stage"] = r
        print("  the extract stage, -j1, median of %d: %.3f s: %.1f MB/s per core, %d pages/s per core "
              "(decode + parse + extract); peak RSS %.0f MiB; kept %d, rejected %s"
              % (RUNS, stage_s, r["mb_per_s_per_core"], r["pages_per_s_per_core"], r["peak_rss_mib"], r["kept"],
                 json.dumps(r["rejected"])))
        # 3. the whole run from a compressed JSONL
        packed = os.path.join(tmp, "pages.jsonl.zst")
        with subprocess.Popen(["zstd", "-q", "-3", "-o", packed], stdin=subprocess.PIPE) as z:
            for i, p in enumerate(files):
                html = open(p, "rb").read().decode("utf-8", "replace")
                z.stdin.write((json.dumps({"id": os.path.basename(p), "html": html}) + "\n").encode())
            z.stdin.close()
        floor = statistics.median(floor_cpu(packed) for _ in range(3))
        samples = [run([tamis, "run", "-q", "-j2", "--stages", "extract,normalize", "--html-field", "html", packed,
                        "-o", o]) for _ in range(3)]
        wall = statistics.median(x[0] for x in samples)
        cpu = statistics.median(x[1] for x in samples)
        e2e = {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "floor_cpu_s": round(floor, 3),
               "cpu_over_floor": round(cpu / floor, 1), "peak_rss_mib": round(max(x[2] for x in samples) / 1024, 1)}
        result["whole_run"] = e2e
        print("  tamis run --stages extract,normalize -j2 --html-field html (the pages as zstd JSONL), median of 3: "
              "wall %.2f s, CPU %.2f s = %.1fx the codec floor's %.2f s; peak RSS %.0f MiB"
              % (wall, cpu, e2e["cpu_over_floor"], floor, e2e["peak_rss_mib"]))
        # 4. hostile pages
        para = ("<p>The council of the small harbour town voted on Tuesday to rebuild the sea wall that has "
                "protected the old quarter since 1887, after two winters of storms left long cracks.</p>\n")
        import random
        random.seed(7)
        hostile = {
            "deep (1M nested divs)": ("<html><body><article>" + para + "<div>" * 1000000 + "x").encode(),
            "unclosed (50k tables)": ("<html><body>" + "<table><tr><td><p>cell text and more" * 50000).encode(),
            "big (10 MB article)": ("<html><body><article>" + para * 55000 + "</article>").encode(),
            "binary (200 KB)": bytes(random.randrange(256) for _ in range(200000)),
        }
        result["hostile"] = {}
        print("  hostile pages, one run each, -j1:")
        for name, data in hostile.items():
            path = os.path.join(tmp, "page.html")
            open(path, "wb").write(data)
            w, c, m = run([tamis, "run", "-q", "-j1", "--stages", "extract", path, "-o", o])
            s = json.load(open(os.path.join(o, "summary.json")))
            what = "kept" if s["docs_kept"] else "rejected as " + ",".join(s["rejected_by_reason"])
            result["hostile"][name] = {"bytes": len(data), "wall_s": round(w, 3), "peak_rss_mib": round(m / 1024, 1),
                                       "decision": what}
            print("    %-22s %6.1f MB: wall %.2f s, peak RSS %4.0f MiB, %s" % (name, len(data) / 1e6, w, m / 1024, what))
    os.makedirs(os.path.join(here, "results"), exist_ok=True)
    with open(os.path.join(here, "results", "html.json"), "w") as f:
        json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
