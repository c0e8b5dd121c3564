# the man page and the README's option list are generated from the options
# table: they must match what this binary says
$TAMIS --man | cmp - docs/tamis.1 && echo "docs/tamis.1 is current"
$TAMIS --help | sed -n '/^Input options:/,/^Outputs/p' | sed '$d' > "$TMP/help-options"
sed -n '/<!-- options:begin -->/,/<!-- options:end -->/p' README.md | sed '1,2d;$d' | sed '$d' > "$TMP/readme-options"
cmp "$TMP/help-options" "$TMP/readme-options" && echo "README options are current"
