# The lines stage on a small hand-written site (tests/data/lines/site.jsonl):
# three articles of one site share a menu, a share bar, a newsletter prompt,
# a cookie banner, a footer and teasers cut mid-sentence; a tag page has
# nothing but those; one page comes from another site.
. tests/cli/lib.sh
in=tests/data/lines/site.jsonl
lines() {
    python3 - "$1" <<'PY'
import json, subprocess, sys
for kind in ("kept", "rejected"):
    out = subprocess.run(["zstd", "-dc", f"{sys.argv[1]}/{kind}.jsonl.zst"], capture_output=True, check=True).stdout
    for d in map(json.loads, out.decode().splitlines()):
        m = d["metadata"]
        gone = " ".join(f'{x["line"]}:{x["reason"]}' for x in m.get("removed_lines", []))
        print(kind[:4], d["id"], m.get("filter_reason", "-"), "|", gone)
        if kind == "kept":
            for l in d["text"].split("\n"):
                print("     ", l[:80])
PY
}
$TAMIS run -q --explain $in -o "$TMP/o"
lines "$TMP/o"
counts "$TMP/o"
python3 -c "
import json
s = json.load(open('$TMP/o/summary.json'))
st = [x for x in s['stages'] if x['name'] == 'lines'][0]
print('corpus pass: docs', st['corpus_pass']['docs'], 'distinct keys', st['corpus_pass']['distinct_keys'])
c = st['counters']
assert c['lines_removed'] == sum(v for k, v in c.items() if k.startswith('removed_')), 'reasons do not add up'
print('removed lines add up:', c['lines_removed'], 'of', c['lines'])"
echo "--- one pass: without the corpus, repeated lines are evidence only within a document"
$TAMIS run -q --explain --no-lines-corpus $in -o "$TMP/n"
lines "$TMP/n" | grep -v '^      '
echo "--- --lines-threshold 0.999: only the surest lines go"
$TAMIS run -q --explain --lines-threshold 0.999 $in -o "$TMP/t"
lines "$TMP/t" | grep -v '^      '
echo "--- the same bytes with 1 or 2 threads, and from stdin (spooled for the two passes)"
$TAMIS run -q --explain -j1 $in -o "$TMP/j1"
$TAMIS run -q --explain -j2 $in -o "$TMP/j2"
$TAMIS run -q --explain -j2 --tmp-dir "$TMP" - -o "$TMP/in" < $in
for f in kept.jsonl.zst rejected.jsonl.zst; do
    cmp "$TMP/j1/$f" "$TMP/o/$f" && cmp "$TMP/j2/$f" "$TMP/o/$f" && echo "$f: -j1 = -j2"
    zstd -dc "$TMP/in/$f" | cmp - "$(zstd -dc "$TMP/o/$f" > "$TMP/x"; echo "$TMP/x")" && echo "$f: stdin = file"
done
ls "$TMP" | grep -c tamis-stdin || true
