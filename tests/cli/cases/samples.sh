# the bundled sample (make demo): the user's document comes out unchanged by
# normalize and exact_dedup
. tests/cli/lib.sh
$TAMIS run -q samples -o "$TMP/o"
show "$TMP/o"
counts "$TMP/o"
zstd -dc "$TMP/o/kept.jsonl.zst" | python3 -c "
import json, sys
docs = {d['id']: d['text'] for d in map(json.loads, sys.stdin)}
seed = open('samples/000_5b2c931548e4c558.txt', encoding='utf-8').read().rstrip('\n')
print('seed document kept unchanged:', docs['000_5b2c931548e4c558.txt'] == seed)"
