# --explain adds metadata.explain to rejected records
. tests/cli/lib.sh
$TAMIS run -q --explain --stages normalize,exact_dedup tests/data/good/docs.jsonl -o "$TMP/o"
zstd -dc "$TMP/o/rejected.jsonl.zst"
echo "--- only normalize: duplicates are kept"
$TAMIS run -q --stages normalize tests/data/good/docs.jsonl -o "$TMP/p"
counts "$TMP/p"
