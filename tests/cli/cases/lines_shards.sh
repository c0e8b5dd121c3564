# The lines stage's corpus counts over 4 input shards (tamis dedup lines, then
# lines-merge), on real crawled documents: scoring each shard with its own
# counts removes fewer repeated lines than one process does; with the merged
# counts the shards give the one-process bytes, alone and before near_dedup's
# steps. Steps refuse to run out of order, damaged files, other options.
. tests/cli/lib.sh
need_shared
src="$SHARED/data/crawl/allenai-dolma/CC-MAIN-20190717121559-20190717143559-00140.jsonl.gz"
python3 - "$src" "$TMP" <<'PY'
import gzip, sys
lines = gzip.open(sys.argv[1]).read().split(b"\n")[:-1]
n = len(lines)
for i in range(4):
    open(f"{sys.argv[2]}/part-{i}.jsonl", "wb").write(b"".join(l + b"\n" for l in lines[n * i // 4: n * (i + 1) // 4]))
print(n, "documents in 4 shards")
PY
p="$TMP/part"
removed() { # DIR...: lines removed as repeated in the corpus, over the runs' summaries
    python3 - "$@" <<'PY'
import json, sys
print(sum(s["counters"]["removed_repeated_in_corpus"] for d in sys.argv[1:]
          for s in json.load(open(d + "/summary.json"))["stages"] if s["name"] == "lines"))
PY
}
same() { # NAME SINGLE PREFIX: the shards' outputs concatenated = the single run's
    for k in kept rejected; do
        zstd -qdc "$2/$k.jsonl.zst" > "$TMP/s.$k"
        for i in 0 1 2 3; do zstd -qdc "$3-$i/$k.jsonl.zst"; done > "$TMP/c.$k"
        if cmp -s "$TMP/s.$k" "$TMP/c.$k"; then echo "$1 $k: the 4 shards = one process ($(wc -l < "$TMP/s.$k") documents)"
        else echo "$1 $k: DIFFERENT"; fi
    done
}

echo "--- lines alone"
opts="-q --stages normalize,lines"
$TAMIS run $opts $p-0.jsonl $p-1.jsonl $p-2.jsonl $p-3.jsonl -o "$TMP/single"
for i in 0 1 2 3; do $TAMIS run $opts $p-$i.jsonl -o "$TMP/local-$i"; done
echo "repeated_in_corpus: one process $(removed "$TMP/single"), shards with their own counts $(removed "$TMP"/local-?)"
w="$TMP/w1"
for i in 0 1 2 3; do $TAMIS dedup lines --work "$w" --shard $i $opts $p-$i.jsonl; done
echo "--- apply before lines-merge"
$TAMIS dedup apply --work "$w" --shard 0 $opts $p-0.jsonl -o "$TMP/x" 2>&1 | sed "s|$TMP/||" || true
$TAMIS dedup lines-merge --work "$w" --shards 4
for i in 0 1 2 3; do $TAMIS dedup apply --work "$w" --shard $i $opts $p-$i.jsonl -o "$TMP/out-$i"; done
echo "repeated_in_corpus: shards with the merged counts $(removed "$TMP"/out-?)"
same lines "$TMP/single" "$TMP/out"
python3 - "$w" <<'PY'
import os, sys
w = sys.argv[1]
shard = sum(os.path.getsize(f"{w}/lines/shard-{i:05d}.counts") for i in range(4))
merged = os.path.getsize(f"{w}/lines-merge/counts")
print("the merged file keeps the repeated keys only:", merged < shard / 5)
PY

echo "--- lines, then near_dedup"
opts="-q --stages normalize,lines,near_dedup --keep reference"
$TAMIS run $opts $p-0.jsonl $p-1.jsonl $p-2.jsonl $p-3.jsonl -o "$TMP/single2"
w="$TMP/w2"
for i in 0 1 2 3; do $TAMIS dedup lines --work "$w" --shard $i $opts $p-$i.jsonl; done
echo "--- sign before lines-merge"
$TAMIS dedup sign --work "$w" --shard 0 $opts $p-0.jsonl 2>&1 | sed "s|$TMP/||" || true
$TAMIS dedup lines-merge --work "$w" --shards 4
for i in 0 1 2 3; do $TAMIS dedup sign --work "$w" --shard $i $opts $p-$i.jsonl; done
for b in $(seq 0 13); do $TAMIS dedup bucket --work "$w" --band $b --shards 4; done
$TAMIS dedup cluster --work "$w" --shards 4
for i in 0 1 2 3; do $TAMIS dedup apply --work "$w" --shard $i $opts $p-$i.jsonl -o "$TMP/nd-$i"; done
same lines+near_dedup "$TMP/single2" "$TMP/nd"
python3 - "$TMP" <<'PY'
import json, sys
t = sys.argv[1]
def counters(path):
    return {s["name"]: s["counters"] for s in json.load(open(path))["stages"] if s["name"] in ("lines", "near_dedup")}
one = counters(t + "/single2/summary.json")
tot = {}
for i in range(4):
    for name, c in counters(f"{t}/nd-{i}/summary.json").items():
        for k, v in c.items():
            tot.setdefault(name, {})[k] = tot.get(name, {}).get(k, 0) + v
print("counters summed over the shards = one process:", tot == one)
PY

echo "--- a rerun skips; refusals"
$TAMIS dedup lines-merge --work "$w" --shards 4 2>&1 | sed "s|$TMP/||"
$TAMIS dedup lines --work "$TMP/w3" --shard 0 -q --stages normalize,lines --no-lines-corpus $p-0.jsonl 2>&1 || echo "exit $?"
w4="$TMP/w4"
for i in 0 1; do $TAMIS dedup lines --work "$w4" --shard $i -q --stages normalize,lines $p-$i.jsonl; done
$TAMIS dedup lines-merge --work "$w4" --shards 2
$TAMIS dedup apply --work "$w4" --shard 0 -q --stages normalize,lines --lines-threshold 0.6 $p-0.jsonl -o "$TMP/y" 2>&1 \
    | sed "s|$TMP/||" || true
rm -r "$w4/lines-merge"
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[-2] ^= 0xFF; open(sys.argv[1], 'wb').write(b)" "$w4/lines/shard-00001.counts"
$TAMIS dedup lines-merge --work "$w4" --shards 2 2>&1 | sed "s|$TMP/||" || echo "exit $?"
ls "$w4/lines-merge" 2>/dev/null | wc -l
$TAMIS dedup lines-merge --work "$w4" --shards 3 2>&1 | sed "s|$TMP/||" || echo "exit $?"
