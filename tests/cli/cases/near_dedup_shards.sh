# near_dedup over 4 input shards with the separate steps (tamis dedup sign,
# bucket, cluster, apply) gives the bytes of the one-process run; steps skip
# what is done, refuse files of another configuration or damaged ones, and say
# which step is missing.
. tests/cli/lib.sh
d=tests/data/neardup/shards
opts="-q --stages near_dedup --keep reference"
$TAMIS run $opts $d/part-0.jsonl $d/part-1.jsonl $d/part-2.jsonl $d/part-3.jsonl -o "$TMP/single"
w="$TMP/work"
for i in 0 1 2 3; do $TAMIS dedup sign --work "$w" --shard $i $opts $d/part-$i.jsonl; done
ls "$w/sign" | sed -n '1,3p;$p'
echo "--- apply before cluster"
$TAMIS dedup apply --work "$w" --shard 0 $opts $d/part-0.jsonl -o "$TMP/x" 2>&1 | sed "s|$TMP/||" || true
for b in $(seq 0 13); do $TAMIS dedup bucket --work "$w" --band $b --shards 4; done
$TAMIS dedup cluster --work "$w" --shards 4
for i in 0 1 2 3; do $TAMIS dedup apply --work "$w" --shard $i $opts $d/part-$i.jsonl -o "$TMP/out-$i"; done
for k in kept rejected; do
    zstd -dc "$TMP/single/$k.jsonl.zst" > "$TMP/s.$k"
    for i in 0 1 2 3; do zstd -dc "$TMP/out-$i/$k.jsonl.zst"; done > "$TMP/c.$k"
    cmp "$TMP/s.$k" "$TMP/c.$k" && echo "$k: the 4 shards = one process ($(wc -l < "$TMP/s.$k") documents)"
done
python3 - "$TMP" <<'PY'
import json, sys
t = sys.argv[1]
one = [x for x in json.load(open(t + "/single/summary.json"))["stages"] if x["name"] == "near_dedup"][0]["counters"]
tot = {}
for i in range(4):
    st = [x for x in json.load(open("%s/out-%d/summary.json" % (t, i)))["stages"] if x["name"] == "near_dedup"][0]
    for k, v in st["counters"].items():
        tot[k] = tot.get(k, 0) + v
print("counters summed over the shards = one process:", tot == one, json.dumps(one, sort_keys=True))
PY
echo "--- a rerun skips finished steps"
$TAMIS dedup sign --work "$w" --shard 2 $opts $d/part-2.jsonl 2>&1 | sed "s|$TMP/||"
$TAMIS dedup cluster --work "$w" --shards 4 2>&1 | sed "s|$TMP/||"
echo "--- a shard signed with other options is refused"
w2="$TMP/work2"
$TAMIS dedup sign --work "$w2" --shard 0 $opts $d/part-0.jsonl
$TAMIS dedup sign --work "$w2" --shard 1 -q --stages near_dedup --keep first $d/part-1.jsonl
$TAMIS dedup bucket --work "$w2" --band 0 --shards 2 2>&1 | sed "s|$TMP/||" || true
echo "--- a damaged file is refused"
w3="$TMP/work3"
$TAMIS dedup sign --work "$w3" --shard 0 $opts $d/part-0.jsonl
f="$w3/sign/shard-00000.docs"
python3 -c "
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[-3] ^= 0xFF; open(sys.argv[1], 'wb').write(b)" "$f"
$TAMIS dedup bucket --work "$w3" --band 0 --shards 1 2>&1 | sed "s|$TMP/||" || echo "exit $?"
echo "--- usage"
$TAMIS dedup shuffle --work "$w" 2>&1 || echo "exit $?"
$TAMIS dedup bucket --work "$w" --shards 4 2>&1 || echo "exit $?"
$TAMIS run -q --dedup-step sign --dedup-work "$w" $d/part-0.jsonl 2>&1 || echo "exit $?"
