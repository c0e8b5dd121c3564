#!/bin/sh
# eval-html.sh TAMIS OUTDIR -- `make eval-html`: main-content extraction as
# users run it (`tamis run --stages extract` on the raw pages: charset
# decoding, parsing, extraction), scored by scripts/eval-html.py on the two
# development sets in ../shared/data/html/:
#   trafilatura-eval           990 pages, with/without segments, micro P/R/F1
#                              (and per declared <html lang>);
#   mozilla-readability-pages  source.html vs expected.html, word 4-grams,
#                              macro P/R/F1.
# A page the stage rejects (no_main_content, undecodable, ...) scores as an
# empty extraction. Writes OUTDIR/eval-html.md and the runs' outputs.
set -eu
tamis=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(cd "$here/../shared/data/html" 2>/dev/null && pwd) || {
    echo "eval-html: skipped: ../shared/data/html is absent" >&2; exit 0; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
run() { # SETDIR PATTERN NAME: tamis run from inside SETDIR so ids are paths relative to it
    (cd "$data/$1" && ls $2 > "$out/$3.list" && \
        "$tamis" run -q --stages extract --inputs-from "$out/$3.list" -o "$out/$3")
    zstd -qdcf "$out/$3/kept.jsonl.zst" > "$out/$3.kept.jsonl"
}
run trafilatura-eval 'html/*' traf
run mozilla-readability-pages '*/source.html' moz
{
    echo "# make eval-html ($(date -u +%Y-%m-%d))"
    echo
    echo "## trafilatura-eval (990 pages; published: trafilatura 2.2 F1 0.924, jusText 0.862, readability 0.826)"
    echo '```'
    python3 "$here/scripts/eval-html.py" --set trafilatura --data "$data/trafilatura-eval" "$out/traf.kept.jsonl"
    echo '```'
    echo
    echo "## mozilla-readability-pages (word 4-grams against expected.html, macro)"
    echo '```'
    python3 "$here/scripts/eval-html.py" --set mozilla --data "$data/mozilla-readability-pages" "$out/moz.kept.jsonl"
    echo '```'
    echo
    echo "Rejected by the stage: $(python3 -c '
import json, sys
for d in sys.argv[1:]:
    s = json.load(open(d + "/summary.json"))
    print(d.rsplit("/", 1)[1], s["docs_in"], "pages,", json.dumps(s["rejected_by_reason"]))' "$out/traf" "$out/moz")"
} > "$out/eval-html.md"
cat "$out/eval-html.md"
