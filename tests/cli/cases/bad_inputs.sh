# broken input: one message per bad record naming FILE:LINE or FILE@OFFSET,
# each such record rejected as malformed, the run goes on and exits 0
. tests/cli/lib.sh
$TAMIS run --stages normalize,exact_dedup -j2 tests/data/bad -o "$TMP/o" 2> "$TMP/err"
echo "exit $?"
grep -v ' docs in, ' "$TMP/err"
show "$TMP/o"
counts "$TMP/o"
