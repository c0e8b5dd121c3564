#!/bin/sh
# demo-report.sh DIR -- what `make demo` prints after the run: where the
# outputs are, and each document with its fate.
set -eu
dir=$1
echo
echo "Outputs in $dir/:"
ls -l "$dir" | sed 1d | awk '{print "  " $NF " (" $5 " bytes)"}'
echo
python3 - "$dir" <<'PY'
import json, subprocess, sys
d = sys.argv[1]
s = json.load(open(d + "/summary.json"))
print(f"{s['docs_in']} documents in: {s['docs_kept']} kept, {s['docs_rejected']} rejected")
for kind in ("kept", "rejected"):
    data = subprocess.run(["zstd", "-dc", f"{d}/{kind}.jsonl.zst"], capture_output=True, check=True).stdout
    for line in data.decode().splitlines():
        r = json.loads(line)
        m = r.get("metadata", {})
        why = f" ({m['stage']}:{m['filter_reason']}" + (f", duplicate of {m['duplicate_of']})" if "duplicate_of" in m else ")") if kind == "rejected" else ""
        text = r["text"].replace("\n", " ")
        print(f"  {kind:8} {r['id']}{why}: {text[:60]}{'...' if len(text) > 60 else ''}")
print(f"\nRead them with: zstd -dc {d}/kept.jsonl.zst | head")
print(f"What was removed and why, with examples and charts (one file, works offline): {d}/report.html")
PY
