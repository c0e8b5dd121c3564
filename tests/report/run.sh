#!/bin/sh
# run.sh TAMIS -- the HTML report in a browser: `TAMIS run` over the real
# documents of ../shared/data (crawl/, and documents/ with its TSV files
# turned into JSONL; default stages), then
# report_check.py opens OUT/report.html in headless Chromium, network refused,
# and checks what the page shows against OUT/summary.json (see report_check.py).
# The screenshots, report and summary are kept in build/artifacts/ (or
# $ARTIFACTS): report.png, report-narrow.png, report.html, report-summary.json.
# Skips, saying why, when ../shared is absent or Chromium is missing and
# cannot be installed (scripts/deps.sh report installs it when run as root).
set -u
tamis=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/../shared" 2>/dev/null && pwd || echo "$root/../shared")
artifacts=${ARTIFACTS:-$root/build/artifacts}
result() { if [ -n "${RESULTS:-}" ]; then echo "$1 $2" >> "$RESULTS"; fi; }
skip() { echo "SKIP report: $*"; result 0 0; exit 0; }

[ -d "$shared/data/crawl" ] || skip "../shared is absent (needs $shared/data/crawl)"
if ! command -v chromium > /dev/null 2>&1; then
    "$root/scripts/deps.sh" report ||
        skip "chromium is not installed and could not be installed here; as root: apt-get install -y --no-install-recommends chromium"
    command -v chromium > /dev/null 2>&1 || skip "chromium not installed (apt-get install -y --no-install-recommends chromium)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s.%N)
inputs="$shared/data/crawl/"
if [ -d "$shared/data/documents" ]; then
    # tamis reads no TSV: the register corpora's documents (one per line: label TAB text) become
    # JSONL, the label in metadata.register; the directory's other files are read as they are
    /usr/bin/python3 - "$shared/data/documents" "$tmp/documents.jsonl" <<'PY'
import gzip, json, os, sys
top, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as w:
    for d, _, files in sorted(os.walk(top)):
        for f in sorted(files):
            if not (f.endswith(".tsv") or f.endswith(".tsv.gz")):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, top)
            with (gzip.open(path, "rt", encoding="utf-8", errors="replace") if f.endswith(".gz")
                  else open(path, encoding="utf-8", errors="replace")) as r:
                for n, line in enumerate(r, 1):
                    label, _, text = line.rstrip("\n").partition("\t")
                    w.write(json.dumps({"id": "%s:%d" % (rel, n), "text": text,
                                        "metadata": {"register": label}}, ensure_ascii=False) + "\n")
PY
    inputs="$inputs $shared/data/documents/ $tmp/documents.jsonl"
fi
# shellcheck disable=SC2086
if ! "$tamis" run -q -j2 $inputs -o "$tmp/out" 2> "$tmp/tamis.err"; then
    echo "FAIL report: tamis run -q -j2 $inputs -o OUT failed:"; tail -n 5 "$tmp/tamis.err"
    result 0 1; exit 1
fi
mkdir -p "$artifacts"
rm -f "$artifacts/report.png" "$artifacts/report-narrow.png" "$artifacts/report.html" "$artifacts/report-summary.json"
/usr/bin/python3 "$here/report_check.py" "$tmp/out" "$artifacts/report.png"; rc=$?
[ -f "$tmp/out/report.html" ] && cp "$tmp/out/report.html" "$artifacts/report.html"
cp "$tmp/out/summary.json" "$artifacts/report-summary.json"
secs=$(echo "$start $(date +%s.%N)" | awk '{printf "%.1f", $2 - $1}')
case $rc in
    0) echo "report: passed in $secs s (artifacts in $artifacts)"; result 1 0 ;;
    77) skip "chromium not installed (apt-get install -y --no-install-recommends chromium)" ;;
    *) echo "report: FAILED in $secs s"; [ -f "$artifacts/report.png" ] && echo "  the page as rendered: $artifacts/report.png, report-narrow.png"
       result 0 1; exit 1 ;;
esac
