# tamis slurm dedup on a real single-node Slurm (../shared/slurm): the lines
# stage's corpus counts and near_dedup across 4 shards of the crawl as
# dependent jobs (lines, lines-merge, sign, bucket, cluster, apply, merge)
# gives, concatenated in shard order, the bytes of one tamis run over
# everything, and a merged summary with its totals; a cancelled sign task, or
# an apply shard whose output is lost, is redone alone when the same command
# runs again; other options, or an output directory of tamis slurm run, are
# refused. Needs ../shared and root (start-slurm.sh installs and starts the daemons).
. tests/cli/lib.sh
need_shared
slurm_up
root=$(pwd)
m() { sed -E -e "s|$TMP|TMP|g" -e "s|$root|ROOT|g" -e "s|$SHARED|SHARED|g" -e 's/job [0-9]+/job N/g' -e 's/after [0-9:]+/after IDS/'; }
in=$SHARED/data/crawl
opts="--stages lines,near_dedup"
same() { # same DIR: the shards' outputs, in order, equal the single run's
    for k in kept rejected; do
        for s in 0 1 2 3; do zstd -qdc "$1/shard-0000$s/$k.jsonl.zst"; done > "$TMP/$k"
        zstd -qdc "$TMP/single/$k.jsonl.zst" | cmp - "$TMP/$k" && echo "$k: the 4 shards in order = the single run"
    done
    python3 - "$TMP/single/summary.json" "$1/summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for k in ["complete", "input_files", "input_bytes", "docs_in", "docs_kept", "docs_rejected", "bytes_in", "bytes_out",
          "rejected_by_reason", "records_skipped"]:
    assert a[k] == b[k], (k, a[k], b[k])
# each stage's counts; the single run's near_dedup also reports its corpus pass, which apply does not make
keep = ("name", "docs_in", "docs_rejected", "counters")
strip = lambda s: [{k: st.get(k) for k in keep} for st in s["stages"]]
assert strip(a) == strip(b), (strip(a), strip(b))
assert b["shards"] == 4 and len(b["outputs"]["kept"]) == 4
nd = [st for st in b["stages"] if st["name"] == "near_dedup"][0]
print("summary: totals and stages = the single run's:", b["docs_in"], "in,", b["docs_kept"], "kept,",
      nd["docs_rejected"], "near duplicates,", nd["counters"]["clusters"], "clusters")
PY
}
tasks() { # tasks DIR: how many times each task ran
    l=$1/slurm/logs
    printf 'lines: %s, lines-merge: %s, sign: %s, bucket: %s, cluster: %s, apply:' \
        "$(cat "$l"/lines-0*.log | grep -c ': job ')" "$(grep -c ': job ' "$l/lines-merge.log")" \
        "$(cat "$l"/sign-*.log | grep -c ': job ')" "$(cat "$l"/bucket-*.log | grep -c ': job ')" \
        "$(grep -c ': job ' "$l/cluster.log")"
    for s in 0 1 2 3; do printf ' %s' "$(grep -c ': job ' "$l/apply-0000$s.log")"; done
    echo
}
$TAMIS run -q $opts "$in" -o "$TMP/single"
echo "--- submitted held, with --wait; sign task 1 is cancelled, the rest released: nothing after sign runs"
timeout 120 $TAMIS slurm dedup -q --wait --shards 4 --sbatch-args "--hold" $opts "$in" -o "$TMP/out" \
    > "$TMP/sub" 2> "$TMP/sub.err" &
pid=$!
i=0
until grep -q '^merge job' "$TMP/sub"; do
    i=$((i + 1)); [ $i -lt 240 ] || { echo "no merge job after 60 s"; exit 1; }; sleep 0.25
done
jobids=$(sed -n 's/^[a-z-]* job \([0-9]*\):.*/\1/p' "$TMP/sub" | tr '\n' ' ')
sign=$(sed -n 's/^sign job \([0-9]*\):.*/\1/p' "$TMP/sub")
timeout 20 scancel "${sign}_1"
timeout 20 scontrol release $jobids || true
rc=0; wait $pid || rc=$?
# the later jobs are cancelled as soon as task 1 is: wait for the other sign tasks to end
i=0
while [ -n "$(timeout 10 squeue -h -j "$sign" 2> /dev/null)" ]; do
    i=$((i + 1)); [ $i -lt 240 ] || { echo "sign tasks still running after 60 s"; exit 1; }; sleep 0.25
done
m < "$TMP/sub"; m < "$TMP/sub.err"; echo "exit $rc"
ls "$TMP/out/dedup-work/sign" | grep done
ls "$TMP/out" | grep -E '^shard-|summary' || echo "no apply output, no summary.json"
jobids=
echo "--- the same command again (without --hold): sign 1, then every later step"
timeout 300 $TAMIS slurm dedup -q --wait --shards 4 $opts "$in" -o "$TMP/out" | m
same "$TMP/out"
tasks "$TMP/out"
echo "--- shard 2's output is lost: the same command redoes its apply, and only it, then the merge"
rm -rf "$TMP/out/shard-00002"
timeout 300 $TAMIS slurm dedup -q --wait --shards 4 $opts "$in" -o "$TMP/out" | m
same "$TMP/out"
tasks "$TMP/out"
echo "--- other options or shards for the same output directory are refused, and so is tamis slurm run"
x() { rc=0; "$@" > "$TMP/o" 2>&1 || rc=$?; m < "$TMP/o"; echo "exit $rc"; }
x $TAMIS slurm dedup -q --wait --shards 4 --stages normalize,lines,near_dedup "$in" -o "$TMP/out"
x $TAMIS slurm dedup -q --wait --shards 4 --minhash-bands 10 $opts "$in" -o "$TMP/out"
x $TAMIS slurm dedup -q --wait --shards 3 $opts "$in" -o "$TMP/out"
x $TAMIS slurm run -q --wait --shards 4 $opts "$in" -o "$TMP/out"
