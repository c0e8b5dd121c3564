# --config FILE: "name = value" lines under the command line's options;
# every threshold is an option; bad files and values are usage errors.
. tests/cli/lib.sh
printf 'x\n' > "$TMP/x.jsonl"
cat > "$TMP/q.conf" <<'CONF'
# thresholds for a small-document corpus
rules = datatrove-current
gopher-min-words = 5        # the file beats the default
gopher-dup-ngrams = 5:0.3,6:0.25
c4-terminal-punct-rule = off
explain = true
CONF
$TAMIS run -q --config "$TMP/q.conf" --gopher-min-words 7 --stages normalize "$TMP/x.jsonl" -o "$TMP/o"
python3 - "$TMP/o/summary.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))["options"]
for k in ("rules", "gopher-min-words", "gopher-dup-ngrams", "c4-terminal-punct-rule", "explain", "gopher-max-words",
          "fineweb-line-punct-thr"):
    print(k, json.dumps(o[k]))
PY
echo "--- the flag wins whatever its place"
$TAMIS run -q --gopher-min-words 9 --config "$TMP/q.conf" --stages normalize "$TMP/x.jsonl" -o "$TMP/p"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["options"]["gopher-min-words"])' "$TMP/p/summary.json"
echo "--- errors"
printf 'gopher-min-wrds = 3\n' > "$TMP/bad1.conf"
printf '\n# ok\nfineweb-char-dup-ratio = lots\n' > "$TMP/bad2.conf"
printf 'config = other.conf\n' > "$TMP/bad3.conf"
printf 'just words\n' > "$TMP/bad4.conf"
for f in bad1 bad2 bad3 bad4; do
    $TAMIS run --config "$TMP/$f.conf" "$TMP/x.jsonl" -o "$TMP/e" 2>&1 | sed "s|$TMP|TMP|g" | head -1
done
$TAMIS run --config "$TMP/missing.conf" "$TMP/x.jsonl" -o "$TMP/e" 2>&1 | sed "s|$TMP|TMP|g" | head -1
$TAMIS run --gopher-top-ngrams 2:0.2,x "$TMP/x.jsonl" -o "$TMP/e" 2>&1 | head -1
$TAMIS run --gopher-max-symbol-word-ratio -1 "$TMP/x.jsonl" -o "$TMP/e" 2>&1 | head -1
$TAMIS run --rules gopher "$TMP/x.jsonl" -o "$TMP/e" 2>&1 | head -1
echo 0
