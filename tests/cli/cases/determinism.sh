# the kept and rejected files are byte-identical whatever the thread count
. tests/cli/lib.sh
inputs="tests/data samples"
[ -d "$SHARED/data/crawl" ] && inputs="$inputs $SHARED/data/crawl $SHARED/data/lines" || echo "note: ../shared absent, local data only" >&2
for j in 1 2 3; do
    $TAMIS run -q -j$j $inputs -o "$TMP/j$j"
done
for j in 2 3; do
    cmp "$TMP/j1/kept.jsonl.zst" "$TMP/j$j/kept.jsonl.zst"
    cmp "$TMP/j1/rejected.jsonl.zst" "$TMP/j$j/rejected.jsonl.zst"
done
echo "-j1, -j2 and -j3 outputs are identical"
