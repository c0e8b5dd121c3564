# --strict stops at the first malformed record with exit 2; the summary says
# the run is incomplete and no output looks finished
. tests/cli/lib.sh
set +e
$TAMIS run --stages normalize,exact_dedup --strict tests/data/bad/broken.jsonl -o "$TMP/o" > "$TMP/out" 2>&1
echo "exit $?"
set -e
mask < "$TMP/out"
ls "$TMP/o"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['complete'], s['stopped'], s['docs_in'], s['docs_kept'], s['docs_rejected'])" "$TMP/o/summary.json"
