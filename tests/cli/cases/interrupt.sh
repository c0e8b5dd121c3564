# SIGTERM while reading stdin: the run stops, exit 2, the summary is written
# with "complete": false, and kept/rejected are left as .partial files only
. tests/cli/lib.sh
mkfifo "$TMP/fifo"
( cat tests/data/good/docs.jsonl; sleep 20 ) > "$TMP/fifo" &
feeder=$!
$TAMIS run --stages normalize,exact_dedup -q - -o "$TMP/o" < "$TMP/fifo" &
pid=$!
i=0
while [ -z "$(ls "$TMP/o" 2>/dev/null)" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -TERM $pid
set +e
wait $pid
echo "exit $?"
set -e
kill $feeder 2>/dev/null || true
ls "$TMP/o"
python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['complete'], s['stopped'], s['docs_in'] == s['docs_kept'] + s['docs_rejected'])" "$TMP/o/summary.json"
