# The near_dedup stage on hand-written documents (tests/data/neardup/docs.jsonl):
# four articles; copies of the first (upper case, two words changed, a footer
# added, a longer version), of the second (a quarter of its words replaced;
# punctuation changed) and of the fourth (an accent dropped); two 3-word
# documents (never removed: under 5 words there is no signature); an unrelated one.
. tests/cli/lib.sh
in=tests/data/neardup/docs.jsonl
nd() {
    python3 - "$1" <<'PY'
import json, subprocess, sys
d = sys.argv[1]
for kind in ("kept", "rejected"):
    out = subprocess.run(["zstd", "-dc", d + "/" + kind + ".jsonl.zst"], capture_output=True, check=True).stdout
    for r in map(json.loads, out.decode().splitlines()):
        m = r["metadata"]
        if kind == "kept":
            print("kept", r["id"], "cluster", m["minhash_cluster_id"], "size", m["minhash_cluster_size"])
        else:
            print("reje", r["id"], m["stage"] + ":" + m["filter_reason"], "duplicate_of", m.get("duplicate_of"))
s = json.load(open(d + "/summary.json"))
st = [x for x in s["stages"] if x["name"] == "near_dedup"][0]
print("counters", json.dumps(st["counters"], sort_keys=True), "pass docs", st["corpus_pass"]["docs"])
PY
}
for keep in first longest reference; do
    echo "--- --keep $keep"
    $TAMIS run -q --stages near_dedup --keep $keep $in -o "$TMP/$keep"
    nd "$TMP/$keep"
done
echo "--- --near-verify off: the same here (no pair is doubtful)"
$TAMIS run -q --stages near_dedup --near-verify off $in -o "$TMP/off"
nd "$TMP/off" | tail -1
echo "--- --near-verify-threshold 0.95: only near-copies are joined"
$TAMIS run -q --stages near_dedup --near-verify-threshold 0.95 $in -o "$TMP/v95"
nd "$TMP/v95" | grep -e reje -e counters
echo "--- after lines (two corpus passes), from a file and from stdin, -j1 and -j2: the same bytes"
$TAMIS run -q --stages normalize,lines,near_dedup -j1 $in -o "$TMP/a"
$TAMIS run -q --stages normalize,lines,near_dedup -j2 $in -o "$TMP/b"
$TAMIS run -q --stages normalize,lines,near_dedup -j2 --tmp-dir "$TMP" - -o "$TMP/c" < $in
for f in kept.jsonl.zst rejected.jsonl.zst; do
    cmp "$TMP/a/$f" "$TMP/b/$f" && echo "$f: -j1 = -j2"
    zstd -dc "$TMP/c/$f" > "$TMP/c.x"; zstd -dc "$TMP/a/$f" | sed 's|"duplicate_of":"tests/data/neardup/docs.jsonl:|"duplicate_of":"-:|' | cmp - "$TMP/c.x" && echo "$f: stdin = file"
done
python3 -c "
import json
s = json.load(open('$TMP/a/summary.json'))
print('corpus passes:', [x['name'] for x in s['stages'] if 'corpus_pass' in x])"
echo "--- usage errors"
$TAMIS run -q --keep biggest $in -o "$TMP/u" 2>&1 || echo "exit $?"
$TAMIS run -q --near-verify-threshold 1 $in -o "$TMP/u" 2>&1 || echo "exit $?"
$TAMIS run -q --minhash-bands 64 --minhash-rows 32 $in -o "$TMP/u" 2>&1 || echo "exit $?"
