# tamis slurm dedup --dry-run: the shards, the options file, the sbatch scripts
# of the chain (lines, lines-merge, sign, bucket, cluster, apply, merge) and the sbatch commands
# that would link them, without Slurm; then the files it printed written out
# and the scripts run by hand, task by task as Slurm would run them: the
# shards in order equal one run over everything, with near-duplicates across
# shards removed; a rerun would submit only what is not done.
. tests/cli/lib.sh
root=$(pwd)
m() { sed -e "s|$TMP|TMP|g" -e "s|$TAMIS|TAMIS|g" -e "s|$root|ROOT|g" -e 's/MaxArraySize [0-9][0-9]*/MaxArraySize N/'; }
# x CMD...: its stdout and stderr, masked, then its exit status
x() { rc=0; "$@" > "$TMP/x.out" 2>&1 || rc=$?; m < "$TMP/x.out"; echo "exit $rc"; }
# four files; copies of the first article are in the first and second, of the second in the third
mkdir "$TMP/nd"
split -l 4 -d --additional-suffix=.jsonl tests/data/neardup/docs.jsonl "$TMP/nd/part-"
opts="--stages normalize,lines,near_dedup"
$TAMIS slurm dedup --dry-run --shards 4 $opts "$TMP/nd" -o "$TMP/out" > "$TMP/dry" 2> /dev/null
m < "$TMP/dry"
[ ! -e "$TMP/out" ] && echo "--dry-run wrote nothing"
echo "--- the printed files written out; each script run as Slurm would, task i with SLURM_ARRAY_TASK_ID=i"
mkdir -p "$TMP/out/shards" "$TMP/out/slurm/logs"
awk '/^==> .* <==$/ { f = $2; next } /^# would run: / { f = ""; next } f != "" { print > f }' "$TMP/dry"
s=0; while [ $s -lt 4 ]; do SLURM_ARRAY_TASK_ID=$s sh "$TMP/out/slurm/dedup-lines.sbatch" 0; s=$((s + 1)); done
sh "$TMP/out/slurm/dedup-lines-merge.sbatch"
s=0; while [ $s -lt 4 ]; do SLURM_ARRAY_TASK_ID=$s sh "$TMP/out/slurm/dedup-sign.sbatch" 0; s=$((s + 1)); done
b=0; while [ $b -lt 14 ]; do SLURM_ARRAY_TASK_ID=$b sh "$TMP/out/slurm/dedup-bucket.sbatch" 0; b=$((b + 1)); done
sh "$TMP/out/slurm/dedup-cluster.sbatch"
s=0; while [ $s -lt 4 ]; do SLURM_ARRAY_TASK_ID=$s sh "$TMP/out/slurm/dedup-apply.sbatch" 0; s=$((s + 1)); done
sh "$TMP/out/slurm/merge.sbatch"
$TAMIS run -q $opts "$TMP/nd" -o "$TMP/single"
for k in kept rejected; do
    for s in 0 1 2 3; do zstd -qdc "$TMP/out/shard-0000$s/$k.jsonl.zst"; done > "$TMP/$k"
    zstd -qdc "$TMP/single/$k.jsonl.zst" | cmp - "$TMP/$k" && echo "$k: the 4 shards in order = the single run"
done
python3 - "$TMP/single/summary.json" "$TMP/out/summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ["complete", "docs_in", "docs_kept", "docs_rejected", "bytes_in", "bytes_out", "rejected_by_reason"]:
    assert a[k] == b[k], (k, a[k], b[k])
keep = ("name", "docs_in", "docs_rejected", "counters")
strip = lambda s: [{k: st.get(k) for k in keep} for st in s["stages"]]
assert strip(a) == strip(b), (strip(a), strip(b))
print("merged summary = single summary:", b["docs_in"], "in,", b["docs_kept"], "kept,", b["rejected_by_reason"])
PY
python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l); m = r["metadata"]
    print("rejected", r["id"], m["filter_reason"], "duplicate_of", m.get("duplicate_of"))' "$TMP/rejected" | m
echo "--- everything done: a rerun would submit only the merge; shard 2 lost: its apply, then the merge"
$TAMIS slurm dedup --dry-run --shards 4 $opts "$TMP/nd" -o "$TMP/out" 2> /dev/null | m | grep -E '^# [0-9]|^# would'
rm -rf "$TMP/out/shard-00002"
$TAMIS slurm dedup --dry-run --shards 4 $opts "$TMP/nd" -o "$TMP/out" 2> /dev/null | m | grep -E '^# [0-9]|^# would'
echo "--- more shards than MaxArraySize (1001 here): several sign and apply arrays, task i of each is shard FIRST + i"
mkdir "$TMP/many"
i=0; while [ $i -lt 1003 ]; do : > "$TMP/many/$(printf 'f%04d' $i).txt"; i=$((i + 1)); done
$TAMIS slurm dedup --dry-run --shards 1003 --minhash-bands 4 --stages near_dedup "$TMP/many" -o "$TMP/o4" 2> /dev/null \
    | m | grep -E '^# (would|[0-9])|^#SBATCH --array'
echo "--- lines without near_dedup: lines, lines-merge, apply"
$TAMIS slurm dedup --dry-run --shards 4 --stages lines "$TMP/nd" -o "$TMP/o5" 2> /dev/null | m | grep -E '^# (would|[0-9])'
echo "--- usage errors"
x $TAMIS slurm dedup --dry-run --no-lines-corpus tests/data/good -o "$TMP/x"
x $TAMIS slurm dedup --dry-run --stages normalize,language tests/data/good -o "$TMP/x"
x $TAMIS slurm dedup --dry-run --stages near_dedup --dedup-step sign tests/data/good -o "$TMP/x"
x $TAMIS slurm run --dry-run --dedup-work "$TMP/w" tests/data/good -o "$TMP/x"
x $TAMIS slurm dedup --dry-run --stages near_dedup tests/data/good -o -
x $TAMIS slurm dedup --dry-run --stages near_dedup - -o "$TMP/x"
x $TAMIS slurm dedup --dry-run --wait --stages near_dedup tests/data/good -o "$TMP/x"
