# The user's document, run exactly as the issue says (`tamis run SEED -o OUT`,
# every default stage): the kept text is its clean text, byte for byte but a
# final newline. Then the same with --explain: which lines went, and why.
. tests/cli/lib.sh
need_shared
seed=$SHARED/seed/000_5b2c931548e4c558
$TAMIS run "$seed.txt" -o "$TMP/o" 2>/dev/null
zstd -dc "$TMP/o/kept.jsonl.zst" | python3 -c "
import json, sys
docs = [json.loads(l) for l in sys.stdin]
clean = open('$seed.clean.txt', encoding='utf-8').read()
print('kept documents:', len(docs))
print('kept text is the clean text:', docs[0]['text'].rstrip('\n') == clean.rstrip('\n'))"
$TAMIS run -q --explain "$seed.txt" -o "$TMP/e"
zstd -dc "$TMP/e/kept.jsonl.zst" | python3 -c "
import json, sys
for d in map(json.loads, sys.stdin):
    print('removed_lines:', json.dumps(d['metadata']['removed_lines']))"
echo "--- single pass (--no-lines-corpus): the same"
$TAMIS run -q --no-lines-corpus "$seed.txt" -o "$TMP/s"
zstd -dc "$TMP/o/kept.jsonl.zst" | cmp - "$(zstd -dc "$TMP/s/kept.jsonl.zst" > "$TMP/s.jsonl"; echo "$TMP/s.jsonl")" && echo identical
echo "--- its language, with both backends (the default run tags it; the raw text too)"
zstd -dc "$TMP/o/kept.jsonl.zst" | python3 -c "
import json, sys
m = json.loads(sys.stdin.readline())['metadata']
print('kept text:', m['language'], 'score above 0.9:', m['language_score'] > 0.9)"
for b in tamis cld2; do
    $TAMIS run -q --stages language --lid-backend $b "$seed.txt" -o - | python3 -c "
import json, sys
m = json.loads(sys.stdin.readline())['metadata']
print('$b, raw text:', m['language'], 'score above 0.9:', m['language_score'] > 0.9)"
done
