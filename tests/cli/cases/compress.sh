# --compress changes the suffix and codec of kept and rejected; outputs are
# replaced atomically when the directory already holds a run
. tests/cli/lib.sh
for c in zstd gzip none; do
    $TAMIS run --stages normalize,exact_dedup -q --compress $c tests/data/good -o "$TMP/$c"
    ls "$TMP/$c"
done
zstd -dc "$TMP/zstd/kept.jsonl.zst" > "$TMP/a"
gzip -dc "$TMP/gzip/kept.jsonl.gz" > "$TMP/b"
cmp "$TMP/a" "$TMP/b" && cmp "$TMP/a" "$TMP/none/kept.jsonl" && echo "same records in all three"
$TAMIS run -q --stages normalize samples -o "$TMP/zstd"
ls -a "$TMP/zstd"
counts "$TMP/zstd" > "$TMP/counts"; head -n 1 "$TMP/counts"
