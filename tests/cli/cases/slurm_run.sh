# tamis slurm run on a real single-node Slurm (../shared/slurm): 4 shards of
# the crawl give, concatenated in shard order, the bytes of one tamis run, and
# a merged summary with its totals; a cancelled task, or a shard whose output
# is lost, is redone alone when the same command runs again; other options
# are refused.
# Needs ../shared and root (start-slurm.sh installs and starts the daemons).
. tests/cli/lib.sh
need_shared
slurm_up
root=$(pwd)
m() { sed -E -e "s|$TMP|TMP|g" -e "s|$root|ROOT|g" -e "s|$SHARED|SHARED|g" -e 's/job [0-9]+/job N/g' -e 's/after [0-9:]+/after IDS/'; }
in=$SHARED/data/crawl
opts="--stages normalize,language,gopher_quality"
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
strip = lambda s: [{k: v for k, v in st.items() if k != "seconds"} for st in s["stages"]]
assert strip(a) == strip(b), (strip(a), strip(b))
assert b["shards"] == 4 and len(b["outputs"]["kept"]) == 4
print("summary: totals and stages = the single run's:", b["docs_in"], "in,", b["docs_kept"], "kept")
PY
}
jobs() { # jobs DIR: how many times each shard ran
    for s in 0 1 2 3; do printf 'shard %s ran %s time(s)\n' $s "$(grep -c ': job ' "$1/slurm/logs/shard-0000$s.log")"; done
}
$TAMIS run -q $opts "$in" -o "$TMP/single"
echo "--- submitted held, with --wait; task 1 is cancelled, the rest released: the merge job never runs"
timeout 120 $TAMIS slurm run -q --wait --shards 4 --sbatch-args "--hold" $opts "$in" -o "$TMP/out" \
    > "$TMP/sub" 2> "$TMP/sub.err" &
pid=$!
i=0
until grep -q '^merge job' "$TMP/sub"; do
    i=$((i + 1)); [ $i -lt 240 ] || { echo "no merge job after 60 s"; exit 1; }; sleep 0.25
done
array=$(sed -n 's/^array job \([0-9]*\):.*/\1/p' "$TMP/sub")
merge=$(sed -n 's/^merge job \([0-9]*\):.*/\1/p' "$TMP/sub")
jobids="$array $merge"
timeout 20 scancel "${array}_1"
timeout 20 scontrol release "$array" "$merge"
rc=0; wait $pid || rc=$?
# the merge is cancelled as soon as task 1 is: wait for the other tasks to end
i=0
while [ -n "$(timeout 10 squeue -h -j "$array" 2> /dev/null)" ]; do
    i=$((i + 1)); [ $i -lt 240 ] || { echo "array tasks still running after 60 s"; exit 1; }; sleep 0.25
done
m < "$TMP/sub"; m < "$TMP/sub.err"; echo "exit $rc"
ls "$TMP"/out/shard-0000*/.done | m
[ -e "$TMP/out/summary.json" ] || echo "no summary.json: the merge job did not run"
echo "--- the same command again (without --hold): only shard 1 runs, then the merge"
timeout 300 $TAMIS slurm run -q --wait --shards 4 $opts "$in" -o "$TMP/out" | m
ls "$TMP"/out/shard-0000*/.done | m
same "$TMP/out"
jobs "$TMP/out"
echo "--- shard 2's output is lost: the same command redoes it, and only it"
rm -rf "$TMP/out/shard-00002"
timeout 300 $TAMIS slurm run -q --wait --shards 4 $opts "$in" -o "$TMP/out" | m
same "$TMP/out"
jobs "$TMP/out"
echo "--- other options or shards for the same output directory are refused"
rc=0; $TAMIS slurm run -q --wait --shards 4 --stages normalize "$in" -o "$TMP/out" > "$TMP/o" 2>&1 || rc=$?; m < "$TMP/o"; echo "exit $rc"
rc=0; $TAMIS slurm run -q --wait --shards 3 $opts "$in" -o "$TMP/out" > "$TMP/o" 2>&1 || rc=$?; m < "$TMP/o"; echo "exit $rc"
