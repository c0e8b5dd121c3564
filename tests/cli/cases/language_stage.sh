# The language stage on hand-written documents (tests/data/lang/docs.jsonl):
# eleven languages, a document whose given language is wrong, digits only,
# an empty text, and a French page with an English and a German line.
. tests/cli/lib.sh
in=tests/data/lang/docs.jsonl
langs() {
    python3 - "$@" <<'PY'
import json, os, subprocess, sys
d = sys.argv[1]
files = sys.argv[2:] or ["kept.jsonl.zst", "rejected.jsonl.zst"]
for f in files:
    out = subprocess.run(["zstd", "-dc", os.path.join(d, f)], capture_output=True, check=True).stdout
    for r in map(json.loads, out.decode().splitlines()):
        m = r["metadata"]
        s = m["language_score"]
        assert 0 <= s <= 1 and m["language_runner_up"] != m["language"]
        conf = "sure" if s >= 0.9 else "und" if m["language"] == "und" else "unsure"
        extra = ""
        if "language_given" in m: extra += " given=" + m["language_given"]
        if "filter_reason" in m: extra += " rejected=" + m["filter_reason"]
        if "explain" in m: extra += " value=%s threshold=%s" % (m["explain"]["language"]["value"] > 0, m["explain"]["language"]["threshold"])
        if "line_languages" in m:
            extra += " lines=" + ",".join("%d:%s" % (x["line"], x["language"]) for x in m["line_languages"])
        print(f[:4], r["id"], m["language"], conf + extra)
PY
}
for b in tamis cld2; do
    echo "--- --lid-backend $b: tags only"
    $TAMIS run -q --stages language --lid-backend $b $in -o "$TMP/$b"
    langs "$TMP/$b"
    python3 -c "
import json
s = json.load(open('$TMP/$b/summary.json'))
st = [x for x in s['stages'] if x['name'] == 'language'][0]
c, langs = st['counters'], st['languages']
assert sum(langs.values()) == c['tagged'] and c['tagged'] + c['undetermined'] == st['docs_in']
print('summary: tagged', c['tagged'], 'undetermined', c['undetermined'], 'given_differs', c['given_differs'],
      'languages', ' '.join('%s=%d' % kv for kv in sorted(langs.items())))"
done
echo "--- --lang fr,de --explain: the others are rejected as language"
$TAMIS run -q --stages language --lang fr,de --explain $in -o "$TMP/f"
langs "$TMP/f"
counts "$TMP/f"
echo "--- --lang-threshold: the listed languages are kept only at that score or above"
for t in 0.5 0.99 0.9999; do
    $TAMIS run -q --stages language --lang fr,de,ja --lang-threshold $t $in -o "$TMP/t"
    python3 - "$TMP/t" "$TMP/tamis" $t <<'PY'
import json, subprocess, sys
def recs(d, f):
    out = subprocess.run(["zstd", "-dc", d + "/" + f], capture_output=True, check=True).stdout
    return [json.loads(l) for l in out.decode().splitlines()]
t = float(sys.argv[3])
want = {r["id"] for r in recs(sys.argv[2], "kept.jsonl.zst")
        if r["metadata"]["language"] in ("fr", "de", "ja") and r["metadata"]["language_score"] >= t}
got = {r["id"] for r in recs(sys.argv[1], "kept.jsonl.zst")}
assert got == want, (got, want)
assert "fr-given" in got or t > 0.99
print("threshold", t, "kept exactly the fr/de/ja documents scored at least that:", len(got))
PY
done
echo "--- --lid-lines --lang-script"
$TAMIS run -q --stages language --lid-lines --lang-script $in -o "$TMP/l"
langs "$TMP/l" | grep -e fr-mixed -e ' ja ' -e ' ru '
echo "--- --split-by-language: one file per language, the same bytes with -j1 and -j2"
$TAMIS run -q --stages language --split-by-language -j1 $in -o "$TMP/s1"
$TAMIS run -q --stages language --split-by-language -j2 $in -o "$TMP/s2"
ls "$TMP/s1" "$TMP/s1/kept" | sed "s|$TMP/||"
for f in "$TMP/s1/kept/"*; do cmp "$f" "$TMP/s2/kept/$(basename "$f")"; done && echo "split files: -j1 = -j2"
langs "$TMP/s1" kept/fr.jsonl.zst kept/und.jsonl.zst
python3 -c "import json; print('outputs.kept:', json.load(open('$TMP/s1/summary.json'))['outputs']['kept'].replace('$TMP/', ''))"
echo "--- the stages after language use the detected language: stop words of the given (wrong) language, then of the detected one"
for st in gopher_quality language,gopher_quality; do
    $TAMIS run -q --stages $st --gopher-min-words 5 $in -o "$TMP/q"
    echo "$st rejects: $(zstd -dc "$TMP/q/rejected.jsonl.zst" | python3 -c "
import json, sys
print(' '.join(json.loads(l)['id'] + ':' + json.loads(l)['metadata']['filter_reason'] for l in sys.stdin))")"
done
echo "--- usage errors"
$TAMIS run -q --lang french $in -o "$TMP/u" 2>&1 || echo "exit $?"
$TAMIS run -q --lang-threshold 1 $in -o "$TMP/u" 2>&1 || echo "exit $?"
$TAMIS run -q --split-by-language $in -o - 2>&1 || echo "exit $?"
