# the bundled sample (make demo): each document's fate. The user's document
# is rejected by gopher_quality for its truncated teasers (3 of its 8 lines end
# with an ellipsis) until the lines stage removes them; its text reaches the
# rejected file exactly as normalize left it (unchanged).
. tests/cli/lib.sh
$TAMIS run -q --explain samples -o "$TMP/o"
show "$TMP/o"
counts "$TMP/o"
zstd -dc "$TMP/o/rejected.jsonl.zst" | python3 -c "
import json, sys
docs = {d['id']: d for d in map(json.loads, sys.stdin)}
seed = open('samples/000_5b2c931548e4c558.txt', encoding='utf-8').read().rstrip('\n')
d = docs['000_5b2c931548e4c558.txt']
print('seed document:', d['metadata']['stage'], json.dumps(d['metadata']['explain'], sort_keys=True))
print('seed text unchanged:', d['text'] == seed)"
