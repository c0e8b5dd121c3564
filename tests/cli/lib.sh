# lib.sh -- helpers for CLI cases (sourced). Paths are relative to the repo root.
# show DIR: kept and rejected records, one line each: id, stage:reason, text (shortened)
show() {
    python3 - "$@" <<'PY'
import glob, gzip, json, os, subprocess, sys
d = sys.argv[1]
def records(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], capture_output=True, check=True).stdout
    elif path.endswith(".gz"):
        data = gzip.open(path).read()
    else:
        data = open(path, "rb").read()
    return [json.loads(l) for l in data.decode().splitlines()]
for kind in ("kept", "rejected"):
    for path in sorted(glob.glob(os.path.join(d, kind + ".jsonl*"))):
        for r in records(path):
            m = r.get("metadata") if isinstance(r.get("metadata"), dict) else {}
            why = f'{m.get("stage")}:{m.get("filter_reason")}' if kind == "rejected" else "kept"
            extra = f' dup_of={m["duplicate_of"]}' if "duplicate_of" in m else ""
            print(f'{kind[:4]} {r.get("id")} {why}{extra} {json.dumps(r.get("text", ""), ensure_ascii=False)[:70]}')
PY
}
# counts DIR: the summary's accounting, and a check that it adds up
counts() {
    python3 - "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
assert s["docs_in"] == s["docs_kept"] + s["docs_rejected"], "accounting broken"
assert sum(s["rejected_by_reason"].values()) == s["docs_rejected"], "reasons do not add up"
print("complete", s["complete"], "in", s["docs_in"], "kept", s["docs_kept"], "rejected", s["docs_rejected"])
print("reasons", json.dumps(s["rejected_by_reason"], sort_keys=True))
print("skipped", json.dumps(s["records_skipped"], sort_keys=True))
for st in s["stages"]:
    print("stage", st["name"], "in", st["docs_in"], "rejected", st["docs_rejected"], json.dumps(st.get("counters", {}), sort_keys=True))
PY
}
need_shared() {
    if [ ! -d "$SHARED/data" ]; then echo "skipped: ../shared is absent (needs $SHARED/data)" >&2; exit 77; fi
}
# mask: hides the timing figures of the closing line ("0.00 s (3.3 MB/s)")
mask() { sed -E 's/[0-9.]+ MB in [0-9.]+ s \([0-9.]+ MB\/s\)/N MB in T s (R MB\/s)/'; }
# slurm_up: a single-node Slurm for this case ($SHARED/slurm/start-slurm.sh):
# skips (77) without root or when it cannot start; cases take turns through a
# lock; at exit, the jobs named in $jobids are cancelled and Slurm is stopped
# if this case started it.
slurm_up() {
    if [ "$(id -u)" != 0 ]; then echo "skipped: needs root to start Slurm with $SHARED/slurm/start-slurm.sh" >&2; exit 77; fi
    exec 9>/var/tmp/tamis-slurm-tests.lock
    flock 9
    slurm_started=0 jobids=
    trap slurm_cleanup EXIT
    trap 'exit 130' INT TERM
    if ! timeout 5 scontrol ping > /dev/null 2>&1; then
        slurm_started=1
        if ! timeout 180 "$SHARED/slurm/start-slurm.sh" > "$TMP/start.log" 2>&1; then
            echo "skipped: $SHARED/slurm/start-slurm.sh failed: $(tail -n 1 "$TMP/start.log")" >&2
            exit 77
        fi
    fi
}
slurm_cleanup() {
    [ -z "$jobids" ] || timeout 20 scancel $jobids 2> /dev/null || true
    [ "$slurm_started" = 0 ] || timeout 60 "$SHARED/slurm/stop-slurm.sh" > /dev/null 2>&1 || true
}
