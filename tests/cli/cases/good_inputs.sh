# JSONL (plain and gzip), WET, WARC and a directory of .txt: what is kept and
# rejected, and why; JSON records round-trip with their other fields
. tests/cli/lib.sh
$TAMIS run --stages normalize,exact_dedup -j2 tests/data/good -o "$TMP/o"
show "$TMP/o"
counts "$TMP/o"
echo "--- first kept record, byte for byte"
zstd -dc "$TMP/o/kept.jsonl.zst" | grep "^{\"id\":\"news-1\""
