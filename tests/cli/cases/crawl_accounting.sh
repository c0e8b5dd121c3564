# every file under ../shared/data/crawl (13 WET files broken on purpose among
# them): every document ends in exactly one of kept or rejected
. tests/cli/lib.sh
need_shared
for f in $(find "$SHARED/data/crawl" -type f | sort); do
    name=${f#"$SHARED"/}
    $TAMIS run --stages normalize,exact_dedup -q -j2 "$f" -o "$TMP/o" 2>/dev/null
    python3 - "$TMP/o" "$name" <<'PY'
import json, subprocess, sys
d, name = sys.argv[1], sys.argv[2]
s = json.load(open(d + "/summary.json"))
n = lambda p: len(subprocess.run(["zstd", "-dc", p], capture_output=True, check=True).stdout.splitlines())
kept, rej = n(d + "/kept.jsonl.zst"), n(d + "/rejected.jsonl.zst")
ok = s["complete"] and s["docs_in"] == s["docs_kept"] + s["docs_rejected"] == kept + rej and kept == s["docs_kept"]
print(f'{"ok " if ok else "BAD"} {name}: in {s["docs_in"]} kept {kept} rejected {rej} '
      f'{json.dumps(s["rejected_by_reason"], sort_keys=True)} skipped {json.dumps(s["records_skipped"], sort_keys=True)}')
PY
done
