# a 200 MB JSONL line is rejected as too_large without being held in memory,
# and the documents around it are read; --max-doc-bytes sets the cap
. tests/cli/lib.sh
python3 - "$TMP/big.jsonl" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write('{"id": "before", "text": "small"}\n')
    f.write('{"id": "huge", "text": "' + "x" * (200 << 20) + '"}\n')
    f.write('{"id": "after", "text": "small too"}\n')
PY
$TAMIS run --stages normalize,exact_dedup -j2 "$TMP/big.jsonl" -o "$TMP/o" 2>&1 | sed "s|$TMP|TMP|g" | mask
show "$TMP/o" | sed "s|$TMP|TMP|g"
echo "--- --max-doc-bytes 40"
$TAMIS run --stages normalize,exact_dedup --max-doc-bytes 40 tests/data/good/docs.jsonl -o "$TMP/p" 2>&1 | sed "s|$TMP|TMP|g" | mask
counts "$TMP/p" | head -n 2
