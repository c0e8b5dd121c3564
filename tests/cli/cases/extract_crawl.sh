# Every WARC file under ../shared/data/crawl through `tamis run` with the
# default stages: every response record ends in kept or rejected exactly
# once, with a reason; the kept documents are text (no markup left) and
# carry their URL, WARC date and, when the page has one, its title.
. tests/cli/lib.sh
need_shared
for f in $(find "$SHARED/data/crawl" -type f -name '*.warc*' ! -name '*.wat*' ! -name '*.wet*' | sort); do
    name=${f#"$SHARED"/}
    $TAMIS run -q -j2 "$f" -o "$TMP/o" 2>/dev/null
    python3 - "$TMP/o" "$name" <<'PY'
import json, re, subprocess, sys
d, name = sys.argv[1], sys.argv[2]
s = json.load(open(d + "/summary.json"))
rows = lambda p: [json.loads(l) for l in subprocess.run(["zstd", "-dc", p], capture_output=True, check=True).stdout.splitlines()]
kept, rej = rows(d + "/kept.jsonl.zst"), rows(d + "/rejected.jsonl.zst")
ex = [x for x in s["stages"] if x["name"] == "extract"][0]
ok = (s["complete"] and s["docs_in"] == s["docs_kept"] + s["docs_rejected"] == len(kept) + len(rej)
      and all(r["metadata"].get("filter_reason") for r in rej)
      and len({r["id"] for r in kept + rej}) == len(kept) + len(rej))
markup = sum(bool(re.search(r"</?(div|span|p|a|script|style)\b[^>]*>", k["text"])) for k in kept)
has = lambda key: sum(key in k["metadata"] for k in kept)
print(f'{"ok " if ok else "BAD"} {name}: in {s["docs_in"]} kept {len(kept)} '
      f'(url {has("url")}, warc_date {has("warc_date")}, title {has("title")}, markup {markup}) '
      f'rejected {json.dumps(s["rejected_by_reason"], sort_keys=True)}; pages {ex["counters"]["pages"]}')
PY
done
