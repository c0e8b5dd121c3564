# the bundled sample (make demo): each document's fate. The user's document
# loses its three truncated teasers to the lines stage and is kept: its text
# is the clean text the user gave (tests/data/seed), a final newline aside.
. tests/cli/lib.sh
$TAMIS run -q --explain samples -o "$TMP/o"
show "$TMP/o"
counts "$TMP/o"
zstd -dc "$TMP/o/kept.jsonl.zst" | python3 -c "
import json, sys
docs = {d['id']: d for d in map(json.loads, sys.stdin)}
clean = open('tests/data/seed/000_5b2c931548e4c558.clean.txt', encoding='utf-8').read().rstrip('\\n')
d = docs['000_5b2c931548e4c558.txt']
print('seed removed_lines:', json.dumps(d['metadata']['removed_lines']))
print('seed text is the clean text:', d['text'].rstrip('\\n') == clean)"
