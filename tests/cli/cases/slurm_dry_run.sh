# tamis slurm run --dry-run: the shards (contiguous in walk order, balanced by
# bytes), the options file and the sbatch scripts, without Slurm; then the
# same chain by hand: each shard list through tamis run --inputs-from, the
# summaries through tamis summary merge, compared with one run over everything.
. tests/cli/lib.sh
root=$(pwd)
m() { sed -e "s|$TMP|TMP|g" -e "s|$TAMIS|TAMIS|g" -e "s|$root|ROOT|g" -e 's/MaxArraySize [0-9][0-9]*/MaxArraySize N/'; }
# x CMD...: its stdout and stderr, masked, then its exit status
x() { rc=0; "$@" > "$TMP/x.out" 2>&1 || rc=$?; m < "$TMP/x.out"; echo "exit $rc"; }
opts="--stages normalize,language"
$TAMIS slurm run --dry-run --shards 3 $opts tests/data/good -o "$TMP/out" > "$TMP/dry"
m < "$TMP/dry"
[ ! -e "$TMP/out" ] && echo "--dry-run wrote nothing"
echo "--- default: about 1 GB per shard, so one shard here; run options go to the tasks' command line"
$TAMIS slurm run --dry-run -j 2 -q --explain --tmp-dir /var/tmp tests/data/good tests/data/lang -o "$TMP/o2" \
    | m | grep -E '^# |^==> |^stages|^explain|run --config'
echo "--- more shards than files: one file each"
$TAMIS slurm run --dry-run --shards 100 tests/data/good -o "$TMP/o3" 2>&1 | m | grep -E 'asked for|^# [0-9]'
echo "--- more shards than MaxArraySize (1001 here): several arrays, task i of each is shard FIRST + i"
mkdir "$TMP/many"
i=0; while [ $i -lt 1003 ]; do : > "$TMP/many/$(printf 'f%04d' $i).txt"; i=$((i + 1)); done
$TAMIS slurm run --dry-run --shards 1003 "$TMP/many" -o "$TMP/o4" 2> /dev/null | m | grep -E '^# (would|[0-9])|^#SBATCH --array|^TMP.many.f1002'
echo "--- usage errors"
x $TAMIS slurm run --dry-run tests/data/good -o -
x $TAMIS slurm run --dry-run tests/data/good
x $TAMIS slurm run --dry-run --rejected r.jsonl tests/data/good -o "$TMP/x"
x $TAMIS slurm run --dry-run --shards 0 tests/data/good -o "$TMP/x"
x $TAMIS slurm run --dry-run - -o "$TMP/x"
x $TAMIS slurm launch
echo "--- the chain by hand: tamis run --inputs-from each list, tamis summary merge"
$TAMIS run -q $opts tests/data/good -o "$TMP/single"
for s in 0 1 2; do
    sed -n "/shard-0000$s.list/,/^==>/p" "$TMP/dry" | sed '1d;$d' > "$TMP/list$s"
    $TAMIS run -q $opts --inputs-from "$TMP/list$s" -o "$TMP/shard-0000$s"
done
for s in 0 1 2; do zstd -qdc "$TMP/shard-0000$s/kept.jsonl.zst"; done > "$TMP/kept"
for s in 0 1 2; do zstd -qdc "$TMP/shard-0000$s/rejected.jsonl.zst"; done > "$TMP/rejected"
zstd -qdc "$TMP/single/kept.jsonl.zst" | cmp - "$TMP/kept" && echo "kept: the shards in order = the single run"
zstd -qdc "$TMP/single/rejected.jsonl.zst" | cmp - "$TMP/rejected" && echo "rejected: the shards in order = the single run"
$TAMIS summary merge "$TMP"/shard-* -o "$TMP/summary.json"
python3 - "$TMP/single/summary.json" "$TMP/summary.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
keys = ["complete", "input_files", "input_bytes", "docs_in", "docs_kept", "docs_rejected", "bytes_in", "bytes_out",
        "rejected_by_reason", "records_skipped"]
for k in keys:
    assert a[k] == b[k], (k, a[k], b[k])
def stages(s):
    return [{k: v for k, v in st.items() if k != "seconds"} for st in s["stages"]]
assert stages(a) == stages(b), (stages(a), stages(b))
assert b["shards"] == 3 and len(b["outputs"]["kept"]) == 3
print("merged summary = single summary:", b["docs_in"], "in,", b["docs_kept"], "kept; stages", [s["name"] for s in b["stages"]])
PY
echo "--- --inputs-from: a line 'PATH<TAB>REL' must end with REL"
printf 'tests/data/good/txt/one.txt\tother.txt\n' > "$TMP/badlist"
x $TAMIS run --inputs-from "$TMP/badlist" -o "$TMP/bad"
x $TAMIS summary merge "$TMP/nothing" -o -
