# exact_dedup at scale: 200,000 documents over three files (JSONL with blank
# lines, a .txt directory), the index grown many times; every duplicate_of
# must name the first occurrence's position, checked against Python
. tests/cli/lib.sh
python3 - "$TMP" <<'PY'
import json, os, random, sys
tmp = sys.argv[1]
random.seed(7)
os.makedirs(f"{tmp}/in/txt", exist_ok=True)
def text(i): return f"document {i} " + "x" * (i % 13)
with open(f"{tmp}/in/a.jsonl", "w") as f:
    for line in range(1, 120001):
        if line % 997 == 0: f.write("\n"); continue           # blank lines shift line numbers
        f.write(json.dumps({"text": text(random.randrange(90000))}) + "\n")
for k in range(50):
    open(f"{tmp}/in/txt/{k:03}.txt", "w").write(text(random.randrange(90000)))
with open(f"{tmp}/in/b.jsonl", "w") as f:
    for line in range(1, 80001):
        f.write(json.dumps({"text": text(random.randrange(150000))}) + "\n")
PY
$TAMIS run --stages normalize,exact_dedup -q -j2 "$TMP/in" -o "$TMP/o"
zstd -dc "$TMP/o/kept.jsonl.zst" "$TMP/o/rejected.jsonl.zst" | python3 -c "
import json, sys
tmp = sys.argv[1]
first = {}
def pos(p): return p.replace(tmp + '/', '')
order = []
for l in sys.stdin:
    d = json.loads(l)
    order.append(d)
# expected: walk the inputs in the order tamis reads them
import os
exp_first, bad, dups = {}, 0, 0
def feed(where, t):
    global bad, dups
    if t in exp_first: return ('dup', exp_first[t])
    exp_first[t] = where; return ('kept', None)
expect = {}
for line, l in enumerate(open(tmp + '/in/a.jsonl'), 1):
    if l.strip(): expect[tmp + '/in/a.jsonl:%d' % line] = feed(tmp + '/in/a.jsonl:%d' % line, json.loads(l)['text'])
for line, l in enumerate(open(tmp + '/in/b.jsonl'), 1):
    expect[tmp + '/in/b.jsonl:%d' % line] = feed(tmp + '/in/b.jsonl:%d' % line, json.loads(l)['text'])
for k in range(50):
    p = tmp + '/in/txt/%03d.txt' % k
    expect['txt/%03d.txt' % k] = feed(p, open(p).read())
for d in order:
    m = d['metadata']
    want = expect[d['id']]
    got = ('dup', m['duplicate_of']) if m.get('filter_reason') == 'exact_duplicate' else ('kept', None)
    dups += got[0] == 'dup'
    if got != want: bad += 1
print('documents', len(order), 'duplicates', dups, 'wrong', bad)
" "$TMP"
counts "$TMP/o" | sed -n '1,2p'
