#!/bin/sh
# bench/run.sh -- throughput, CPU and memory benchmark of `tamis run` on real
# crawled text, against the zstd codec floor. See bench/README.md.
#
# Usage: bench/run.sh PATH/TO/tamis        (what `make bench` runs)
#
# Environment (all optional):
#   BENCH_RUNS=5         timed runs per measurement on the small corpus
#   BENCH_RUNS_1G=3      timed runs per measurement on the ~1 GB and ~200 MB corpora
#   BENCH_1G_BYTES=1e9   uncompressed size of the large corpus (the mid one is a fifth)
#   BENCH_SKIP_1G=1      measure only the small corpus
#   BENCH_INDEX_BYTES_PER_DOC=16  allowed peak-RSS growth per distinct document
#                        (the exact_dedup index budget of docs/internals/STAGES.md)
#   BENCH_TMP=DIR        where tamis writes its outputs (default: $TMPDIR or /tmp)
#   BENCH_BUILD_ONLY=1   build (or check) the corpora and stop
#
# Corpora are built from ../shared/data (beside the repository) into
# bench/corpus/ and reused while they are newer than this script. Results:
# a table on stdout and bench/results/latest.json.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
data="$repo/../shared/data"

if [ $# -ne 1 ]; then
    echo "usage: $0 PATH/TO/tamis" >&2
    exit 1
fi
if [ ! -d "$data" ]; then
    echo "bench: skipped: ../shared absent ($repo/../shared/data not found)"
    exit 0
fi
case "$1" in /*) tamis=$1 ;; *) tamis="$(pwd)/$1" ;; esac
if [ ! -x "$tamis" ]; then
    echo "bench: $1: not an executable (build it first: make)" >&2
    exit 1
fi
for tool in python3 zstd bash; do
    command -v "$tool" >/dev/null 2>&1 || { echo "bench: needs $tool (Debian: apt-get install $tool)" >&2; exit 1; }
done

# The Python below runs twice, as two processes: `build` makes the corpora,
# `measure` times the commands. They are separate because a child's ru_maxrss
# starts at its parent's peak RSS (Linux carries the RSS high-water mark across
# fork/vfork and exec), so the process that spawns tamis must stay small; the
# measure step checks this with a baseline (/bin/true spawned the same way).
py=$(cat <<'PY'
import datetime, glob, gzip, json, math, os, platform, shutil, statistics, subprocess, sys, tempfile, time
from json.decoder import scanstring

mode, script, tamis, data, repo = sys.argv[1:6]
bench = os.path.dirname(script)
corpus_dir = os.path.join(bench, "corpus")
results_dir = os.path.join(bench, "results")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
RUNS_1G = int(os.environ.get("BENCH_RUNS_1G", "3"))
BYTES_1G = int(float(os.environ.get("BENCH_1G_BYTES", "1e9")))
SKIP_1G = os.environ.get("BENCH_SKIP_1G", "") not in ("", "0")
STAGES = "normalize,exact_dedup"
TARGET_RATIO = 1.5  # tamis CPU / codec-floor CPU, from the issue
# growth of peak RSS allowed per distinct document: the dedup index's own
# budget (docs/internals/STAGES.md: under 16 bytes per distinct document)
INDEX_BUDGET = float(os.environ.get("BENCH_INDEX_BYTES_PER_DOC", "16"))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def load():
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------- corpora

def fresh(path):
    """exists and is newer than this script (the cache rule)"""
    return os.path.exists(path) and os.path.getmtime(path) > os.path.getmtime(script)


def read_lines(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rb") as f:
        for line in f:
            yield line.rstrip(b"\n")


def jsonl_sources():
    """every JSONL file under data/ (compressed or not); .json files that hold
    one JSON array (lines/) are not JSONL and are left out"""
    out = []
    for root, dirs, files in os.walk(data):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".jsonl", ".jsonl.gz", ".json.gz")):
                out.append(os.path.join(root, name))
    return out


def tsv_sources():
    return sorted(glob.glob(os.path.join(data, "documents", "turkunlp-register-core", "*.tsv"))
                  + glob.glob(os.path.join(data, "documents", "turkunlp-register-core", "*.tsv.gz")))


def small_corpus_lines(stats):
    """yields the corpus as str lines (bytes decoded with surrogateescape, so
    the JSONL lines round-trip byte for byte)"""
    for path in jsonl_sources():
        n = bad = 0
        for raw in read_lines(path):
            if not raw.strip():
                continue
            s = raw.decode("utf-8", "surrogateescape")
            try:
                obj = json.loads(s)
                ok = isinstance(obj, dict) and isinstance(obj.get("text"), str)
            except ValueError:
                ok = False
            if not ok:
                bad += 1
                continue
            n += 1
            yield s
        stats.append({"file": os.path.relpath(path, data), "docs": n, "skipped_lines": bad})
    for path in tsv_sources():
        name = os.path.basename(path)
        n = bad = 0
        for lineno, raw in enumerate(read_lines(path), 1):
            label, tab, text = raw.partition(b"\t")
            if not tab:
                bad += 1
                continue
            n += 1
            yield json.dumps({"id": "%s:%d" % (name, lineno), "text": text.decode("utf-8", "replace")},
                             ensure_ascii=False)
        stats.append({"file": os.path.relpath(path, data), "docs": n, "skipped_lines": bad})


class ZstdWriter:
    def __init__(self, path):
        self.path, self.tmp = path, path + ".tmp"
        self.p = subprocess.Popen(["zstd", "-3", "-q", "-f", "-o", self.tmp], stdin=subprocess.PIPE)
        self.bytes = self.docs = 0

    def write_lines(self, lines):
        b = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
        self.p.stdin.write(b)
        self.bytes += len(b)
        self.docs += len(lines)

    def close(self):
        self.p.stdin.close()
        if self.p.wait() != 0:
            sys.exit("bench: zstd failed writing %s" % self.tmp)
        os.replace(self.tmp, self.path)


def write_meta(path, meta):
    with open(path + ".tmp", "w") as f:
        json.dump(meta, f, indent=1)
    os.replace(path + ".tmp", path)


def build_small(path, meta_path):
    log("bench: building %s from %s" % (os.path.relpath(path, repo), data))
    stats = []
    lines = list(small_corpus_lines(stats))
    w = ZstdWriter(path)
    w.write_lines(lines)
    w.close()
    write_meta(meta_path, {"docs": w.docs, "bytes": w.bytes, "sources": stats})
    return lines


WS = " \t\n\r"
_dec = json.JSONDecoder()


def member_spans(line):
    """{key: (start, end)} of the top-level values of one JSON object line"""
    n = len(line)

    def ws(i):
        while i < n and line[i] in WS:
            i += 1
        return i

    i = ws(0)
    assert line[i] == "{"
    i = ws(i + 1)
    spans = {}
    if line[i] == "}":
        return spans
    while True:
        key, i = scanstring(line, i + 1)
        i = ws(i)
        i = ws(i + 1)  # ':'
        _, j = _dec.raw_decode(line, i)
        spans[key] = (i, j)
        i = ws(j)
        if line[i] == "}":
            return spans
        i = ws(i + 1)  # ','


def build_1g(path, meta_path, mid_path, mid_meta_path, lines):
    """repeats the corpus until ~BYTES_1G uncompressed. Copy k inserts " #k"
    after the last non-blank character of every text (before its trailing
    blanks and newlines, so normalize has the same work to do on every copy;
    whitespace-only texts are left as they are: normalize rejects them) and
    appends "#k" to every id, so every document is distinct across copies. The
    rest of each line is kept byte for byte; the text is re-encoded with
    json.dumps(ensure_ascii=False), which matches the input's own encoding for
    all but `text_reencoded_differently` lines."""
    log("bench: building %s (~%.2f GB uncompressed) and %s (its first fifth)"
        % (os.path.relpath(path, repo), BYTES_1G / 1e9, os.path.relpath(mid_path, repo)))
    plans, restyled = [], 0
    for s in lines:
        sp = member_spans(s)
        t0, t1 = sp["text"]
        text = json.loads(s[t0:t1])
        restyled += json.dumps(text, ensure_ascii=False) != s[t0:t1]
        body = text.rstrip(" \t\r\n")
        edits = []
        if body:
            edits.append((t0, t1, ("text", body, text[len(body):])))
        if "id" in sp:
            i0, i1 = sp["id"]
            v = json.loads(s[i0:i1])
            edits.append((i0, i1, ("id", v if isinstance(v, str) else s[i0:i1])))
        edits.sort()
        plans.append((s, edits))
    small_bytes = sum(len(s.encode("utf-8", "surrogateescape")) + 1 for s in lines)
    copies = max(1, math.ceil(BYTES_1G / small_bytes))
    mid_copies = max(1, round(copies / 5))
    w, wm = ZstdWriter(path), ZstdWriter(mid_path)
    for k in range(1, copies + 1):
        out = []
        for s, edits in plans:
            parts, at = [], 0
            for a, b, e in edits:
                parts.append(s[at:a])
                if e[0] == "text":
                    parts.append(json.dumps("%s #%d%s" % (e[1], k, e[2]), ensure_ascii=False))
                else:
                    parts.append(json.dumps("%s#%d" % (e[1], k), ensure_ascii=False))
                at = b
            parts.append(s[at:])
            out.append("".join(parts))
        w.write_lines(out)
        if k <= mid_copies:
            wm.write_lines(out)
    w.close()
    wm.close()
    write_meta(meta_path, {"docs": w.docs, "bytes": w.bytes, "copies": copies,
                           "text_reencoded_differently": restyled})
    write_meta(mid_meta_path, {"docs": wm.docs, "bytes": wm.bytes, "copies": mid_copies,
                               "text_reencoded_differently": restyled})


def corpora():
    """[(label, path, meta, runs, full)]: `full` corpora get the codec floor and
    a -j2 run; the mid one is an extra RSS point between the small and 1 GB"""
    os.makedirs(corpus_dir, exist_ok=True)
    small = os.path.join(corpus_dir, "corpus.jsonl.zst")
    small_meta = os.path.join(corpus_dir, "corpus.meta.json")
    mid = os.path.join(corpus_dir, "corpus-200m.jsonl.zst")
    mid_meta = os.path.join(corpus_dir, "corpus-200m.meta.json")
    big = os.path.join(corpus_dir, "corpus-1g.jsonl.zst")
    big_meta = os.path.join(corpus_dir, "corpus-1g.meta.json")
    lines = None
    if not (fresh(small) and fresh(small_meta)):
        lines = build_small(small, small_meta)
    out = [("small", small, small_meta, RUNS, True)]
    if not SKIP_1G:
        if not all(fresh(f) and os.path.getmtime(f) >= os.path.getmtime(small)
                   for f in (mid, mid_meta, big, big_meta)):
            if lines is None:
                lines = [l.decode("utf-8", "surrogateescape") for l in
                         subprocess.run(["zstd", "-q", "-dc", small], check=True,
                                        stdout=subprocess.PIPE).stdout.split(b"\n") if l]
            build_1g(big, big_meta, mid, mid_meta, lines)
        out.append(("200m", mid, mid_meta, RUNS_1G, False))
        out.append(("1g", big, big_meta, RUNS_1G, True))
    return out


# ---------------------------------------------------------------- measuring

def run(argv, stderr_path=None):
    """runs argv; returns wall seconds and the rusage of the child and of the
    children it waited for (wait4: user, sys, maxrss)"""
    errf = open(stderr_path or os.devnull, "wb")
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errf)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    errf.close()
    return {"rc": p.returncode, "wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime,
            "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "load1": load()[0]}


def floor_cmd(path):
    return ["bash", "-c", 'set -o pipefail; zstd -q -dc "$1" | zstd -q -3 -c > /dev/null', "floor", path]


def decode_cmd(path):
    return ["bash", "-c", 'zstd -q -dc "$1" > /dev/null', "decode", path]


def tamis_cmd(path, out, threads=1, stages=STAGES):
    return [tamis, "run", "--stages", stages, "-j%d" % threads, "--no-progress", path, "-o", out]


def stats(samples, key):
    v = [s[key] for s in samples]
    return {"median": statistics.median(v), "min": min(v), "max": max(v), "all": v}


def measure_corpus(label, path, meta, runs, full, tmp):
    with open(meta) as f:
        m = json.load(f)
    log("bench: %s corpus: %d docs, %.1f MB uncompressed, %.1f MB compressed; %d runs (load %s)"
        % (label, m["docs"], m["bytes"] / 1e6, os.path.getsize(path) / 1e6, runs, load()))
    out = os.path.join(tmp, "out-" + label)
    errlog = os.path.join(tmp, "stderr-" + label)

    def tamis_once(threads, stages=STAGES):
        shutil.rmtree(out, ignore_errors=True)
        r = run(tamis_cmd(path, out, threads, stages), errlog)
        if r["rc"] != 0:
            with open(errlog, "rb") as f:
                tail = f.read()[-2000:].decode("utf-8", "replace")
            sys.exit("bench: tamis exited with status %d on %s:\n%s" % (r["rc"], path, tail))
        with open(os.path.join(out, "summary.json")) as f:
            r["summary"] = json.load(f)
        with open(errlog, "rb") as f:
            r["stderr_lines"] = f.read().count(b"\n")
        r["kept_bytes"] = os.path.getsize(os.path.join(out, "kept.jsonl.zst"))
        return r

    # warm-up: the page cache, and one untimed run of each command
    run(decode_cmd(path))
    tamis_once(1)
    floor, decode, tam = [], [], []
    for i in range(runs):  # interleaved, so a change of load hits both alike
        if full:
            floor.append(run(floor_cmd(path)))
            if floor[-1]["rc"] != 0:
                sys.exit("bench: the codec-floor pipeline failed on %s" % path)
            decode.append(run(decode_cmd(path)))
        tam.append(tamis_once(1))
        log("bench:   run %d/%d: %stamis -j1 %.2fs wall %.2fs cpu %.1f MB rss (load %.2f)"
            % (i + 1, runs, "floor %.2fs cpu, " % floor[-1]["cpu"] if full else "", tam[-1]["wall"],
               tam[-1]["cpu"], tam[-1]["maxrss_kb"] / 1024, tam[-1]["load1"]))
    # control: the same run without exact_dedup, whose peak RSS must not grow with the input
    nodedup = tamis_once(1, "normalize")
    log("bench:   --stages normalize (control): %.2fs cpu %.1f MB rss" % (nodedup["cpu"], nodedup["maxrss_kb"] / 1024))
    j2 = None
    if full:
        j2 = tamis_once(2)
        log("bench:   -j2: %.2fs wall %.2fs cpu %.1f MB rss" % (j2["wall"], j2["cpu"], j2["maxrss_kb"] / 1024))
    shutil.rmtree(out, ignore_errors=True)

    s = tam[-1]["summary"]
    stage = {st.get("name"): st for st in s.get("stages", [])} if isinstance(s.get("stages"), list) else {}
    distinct = None
    dd = stage.get("exact_dedup")
    if dd and isinstance(dd.get("counters"), dict):
        distinct = dd["counters"].get("distinct")
    if distinct is None:
        distinct = s.get("docs_kept", m["docs"])
    nbytes, docs = m["bytes"], s.get("docs_in", m["docs"])
    T = {k: stats(tam, k) for k in ("wall", "cpu", "user", "sys", "maxrss_kb")}
    res = {
        "corpus": os.path.relpath(path, repo), "uncompressed_bytes": nbytes,
        "compressed_bytes": os.path.getsize(path), "docs": docs,
        "docs_kept": s.get("docs_kept"), "docs_rejected": s.get("docs_rejected"), "distinct": distinct,
        "runs": runs,
        "tamis_j1": {"command": " ".join(tamis_cmd("IN", "OUT")), **T,
                     "load1": [t["load1"] for t in tam],
                     "stderr_lines": tam[-1]["stderr_lines"], "kept_zst_bytes": tam[-1]["kept_bytes"]},
    }
    for med in ("median", "min"):
        res["tamis_j1"]["mb_per_s_wall_" + med] = nbytes / 1e6 / T["wall"][med]
        res["tamis_j1"]["mb_per_cpu_s_" + med] = nbytes / 1e6 / T["cpu"][med]
        res["tamis_j1"]["docs_per_s_wall_" + med] = docs / T["wall"][med]
    if full:
        F = {k: stats(floor, k) for k in ("wall", "cpu", "user", "sys")}
        res["codec_floor"] = {"command": "zstd -dc IN | zstd -3 -c > /dev/null", **F}
        res["decode_only"] = {"command": "zstd -dc IN > /dev/null", **{k: stats(decode, k) for k in ("wall", "cpu")}}
        for med in ("median", "min"):
            res["codec_floor"]["mb_per_cpu_s_" + med] = nbytes / 1e6 / F["cpu"][med]
            res["cpu_ratio_tamis_over_floor_" + med] = T["cpu"][med] / F["cpu"][med]
        res["tamis_j2"] = {"command": " ".join(tamis_cmd("IN", "OUT", 2)),
                           **{k: j2[k] for k in ("wall", "cpu", "user", "sys", "maxrss_kb", "load1")},
                           "mb_per_s_wall": nbytes / 1e6 / j2["wall"],
                           "speedup_wall_vs_j1_median": T["wall"]["median"] / j2["wall"]}
    res["tamis_normalize_only"] = {"command": " ".join(tamis_cmd("IN", "OUT", 1, "normalize")),
                                    **{k: nodedup[k] for k in ("wall", "cpu", "maxrss_kb", "load1")}}
    res["tamis_summary_last_run"] = s
    return res


def rss_growth(a, b):
    """RSS growth of tamis -j1 from corpus a to corpus b, per distinct document"""
    dd = b["distinct"] - a["distinct"]
    out = {"from": a["label"], "to": b["label"], "distinct_docs_added": dd,
           "input_growth_factor": b["uncompressed_bytes"] / a["uncompressed_bytes"]}
    for k in ("median", "min", "max"):
        g = (b["tamis_j1"]["maxrss_kb"][k] - a["tamis_j1"]["maxrss_kb"][k]) * 1024
        out["rss_growth_bytes_" + k] = g
        out["bytes_per_distinct_doc_" + k] = g / dd if dd else None
    out["rss_growth_bytes_without_dedup"] = (b["tamis_normalize_only"]["maxrss_kb"]
                                             - a["tamis_normalize_only"]["maxrss_kb"]) * 1024
    return out


# ---------------------------------------------------------------- report

def fmt_table(results):
    rows = []

    def add(name, fn):
        rows.append([name] + [fn(r) for r in results])

    def full(fn):
        return lambda r: fn(r) if "codec_floor" in r else "-"

    def mm(d, f="%.3f"):
        return (f + " / " + f) % (d["median"], d["min"])

    add("documents in (kept / distinct)", lambda r: "%d (%d / %d)" % (r["docs"], r["docs_kept"], r["distinct"]))
    add("input MB uncompressed (compressed)", lambda r: "%.1f (%.1f)" % (r["uncompressed_bytes"] / 1e6,
                                                                        r["compressed_bytes"] / 1e6))
    add("timed runs", lambda r: str(r["runs"]))
    add("load avg (1 min) during tamis runs", lambda r: "%.2f-%.2f" % (min(r["tamis_j1"]["load1"]),
                                                                      max(r["tamis_j1"]["load1"])))
    add("codec floor CPU s (med / min)", full(lambda r: mm(r["codec_floor"]["cpu"])))
    add("  of which zstd -d alone", full(lambda r: mm(r["decode_only"]["cpu"])))
    add("tamis -j1 CPU s (med / min)", lambda r: mm(r["tamis_j1"]["cpu"]))
    add("  user / sys (median)", lambda r: "%.3f / %.3f" % (r["tamis_j1"]["user"]["median"],
                                                         r["tamis_j1"]["sys"]["median"]))
    add("tamis -j1 wall s (med / min)", lambda r: mm(r["tamis_j1"]["wall"]))
    add("CPU ratio tamis / floor (med / min)", full(lambda r: "%.2f / %.2f" % (
        r["cpu_ratio_tamis_over_floor_median"], r["cpu_ratio_tamis_over_floor_min"])))
    add("MB/s wall (med / best)", lambda r: "%.1f / %.1f" % (r["tamis_j1"]["mb_per_s_wall_median"],
                                                           r["tamis_j1"]["mb_per_s_wall_min"]))
    add("MB per CPU s (med / best)", lambda r: "%.1f / %.1f" % (r["tamis_j1"]["mb_per_cpu_s_median"],
                                                              r["tamis_j1"]["mb_per_cpu_s_min"]))
    add("codec floor MB per CPU s (median)", full(lambda r: "%.1f" % r["codec_floor"]["mb_per_cpu_s_median"]))
    add("docs/s wall (median)", lambda r: "%.0f" % r["tamis_j1"]["docs_per_s_wall_median"])
    add("peak RSS MB -j1 (med / min / max)", lambda r: "%.1f / %.1f / %.1f" % tuple(
        r["tamis_j1"]["maxrss_kb"][k] / 1024 for k in ("median", "min", "max")))
    add("peak RSS MB, --stages normalize (1 run)", lambda r: "%.1f" % (r["tamis_normalize_only"]["maxrss_kb"] / 1024))
    add("-j2 wall s / CPU s (1 run)", full(lambda r: "%.3f / %.3f" % (r["tamis_j2"]["wall"], r["tamis_j2"]["cpu"])))
    add("-j2 MB/s wall, speed-up vs -j1", full(lambda r: "%.1f, x%.2f" % (
        r["tamis_j2"]["mb_per_s_wall"], r["tamis_j2"]["speedup_wall_vs_j1_median"])))
    add("-j2 peak RSS MB", full(lambda r: "%.1f" % (r["tamis_j2"]["maxrss_kb"] / 1024)))
    head = [""] + [r["label"] for r in results]
    widths = [max(len(str(row[i])) for row in rows + [head]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def tool_version(argv):
    try:
        return subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout.strip()
    except OSError:
        return None


def main():
    if mode == "build":
        corpora()
        return
    os.makedirs(results_dir, exist_ok=True)
    base = os.environ.get("BENCH_TMP") or os.environ.get("TMPDIR") or "/tmp"
    tmp = tempfile.mkdtemp(prefix="tamis-bench.", dir=base)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_start = load()
    # the source state the binary was (presumably) built from: taken before the runs
    git_head = tool_version(["git", "-C", repo, "rev-parse", "HEAD"])
    dirty = dirty_paths()
    try:
        cs = corpora()  # only checks the cache: the build step made them
        baseline = run(["true"])["maxrss_kb"]
        results = []
        for label, path, meta, runs, full in cs:
            lb = load()
            r = measure_corpus(label, path, meta, runs, full, tmp)
            r["label"] = label
            r["load_before_after"] = [lb, load()]
            results.append(r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    by = {r["label"]: r for r in results}
    growth = []
    if "1g" in by:
        growth = [rss_growth(by["small"], by["1g"]), rss_growth(by["200m"], by["1g"])]
    load_end = load()

    print()
    print("tamis run --stages %s -j1 (and one -j2 run): %s" % (STAGES, started))
    print("tamis: %s (%s); source at start: git %s%s" % (tamis, tool_version([tamis, "--version"]),
                                                         (git_head or "?")[:7],
                                                         " + uncommitted changes" if dirty else ""))
    print("host: %s, %d CPUs, load avg at start %s, at end %s" % (platform.node(), os.cpu_count(), load_start, load_end))
    if max(load_start[0], load_end[0]) > 0.25 * (os.cpu_count() or 1):
        print("note: the machine was busy (1-min load above a quarter of the CPUs): CPU times are the figures to "
              "trust; wall times, MB/s and the -j2 speed-up are pessimistic")
    print("peak RSS floor of the harness (ru_maxrss of /bin/true spawned alike): %.1f MB" % (baseline / 1024))
    print()
    print(fmt_table(results))
    print()
    for r in results:
        if "codec_floor" in r:
            ok = r["cpu_ratio_tamis_over_floor_median"] <= TARGET_RATIO
            print("%s: tamis CPU is %.2fx the codec floor (target <= %.1fx): %s"
                  % (r["label"], r["cpu_ratio_tamis_over_floor_median"], TARGET_RATIO, "met" if ok else "NOT met"))
    for g in growth:
        print("RSS %s -> %s: %+.1f MB (median; min-to-min %+.1f, max-to-max %+.1f) for %+d distinct docs "
              "(input x%.1f) = %.1f bytes per distinct doc (min-to-min %.1f, max-to-max %.1f); "
              "without exact_dedup: %+.1f MB"
              % (g["from"], g["to"], g["rss_growth_bytes_median"] / 2**20, g["rss_growth_bytes_min"] / 2**20,
                 g["rss_growth_bytes_max"] / 2**20, g["distinct_docs_added"], g["input_growth_factor"],
                 g["bytes_per_distinct_doc_median"], g["bytes_per_distinct_doc_min"],
                 g["bytes_per_distinct_doc_max"], g["rss_growth_bytes_without_dedup"] / 2**20))
    if growth:
        g = growth[-1]
        # 1 MiB of slack on both: peak RSS moves by a few hundred KB from run to run
        ok = g["rss_growth_bytes_median"] <= INDEX_BUDGET * g["distinct_docs_added"] + 2**20
        flat = abs(g["rss_growth_bytes_without_dedup"]) <= 2**20
        print("peak RSS flat apart from the dedup index (200m -> 1g: growth <= %g bytes per distinct doc "
              "[BENCH_INDEX_BYTES_PER_DOC] + 1 MB, and within 1 MB without exact_dedup): %s"
              % (INDEX_BUDGET, "yes" if ok and flat else "NO"))
    for r in results:
        r.pop("label", None)
    doc = {
        "started": started, "host": platform.node(), "cpus": os.cpu_count(),
        "cpu_model": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
                          None) if os.path.exists("/proc/cpuinfo") else None,
        "load_avg_start": load_start, "load_avg_end": load_end,
        "tamis": tamis, "tamis_version": tool_version([tamis, "--version"]),
        "git_head": git_head, "git_dirty_paths": dirty,
        "zstd_version": tool_version(["zstd", "--version"]),
        "stages": STAGES, "target_cpu_ratio": TARGET_RATIO, "index_budget_bytes_per_doc": INDEX_BUDGET,
        "spawn_baseline_maxrss_kb": baseline,
        "corpora": dict(zip(by.keys(), results)), "rss_growth": growth,
    }
    stamp = started.replace(":", "").replace("-", "")
    for name in ("latest.json", "run-%s.json" % stamp):
        with open(os.path.join(results_dir, name), "w") as f:
            json.dump(doc, f, indent=1)
    print("\nwrote %s" % os.path.relpath(os.path.join(results_dir, "latest.json"), repo))


def dirty_paths():
    return (tool_version(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"]) or "").splitlines()


main()
PY
)
python3 -c "$py" build "$here/run.sh" "$tamis" "$(cd "$data" && pwd)" "$repo"
[ -n "${BENCH_BUILD_ONLY:-}" ] && exit 0
python3 -c "$py" measure "$here/run.sh" "$tamis" "$(cd "$data" && pwd)" "$repo"
