# --help, -h and `run --help` print the same generated help on stdout
$TAMIS --help > "$TMP/a"
$TAMIS -h > "$TMP/b"
$TAMIS run --help > "$TMP/c"
cmp "$TMP/a" "$TMP/b" && cmp "$TMP/a" "$TMP/c"
cat "$TMP/a"
