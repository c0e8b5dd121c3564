# every usage error: one message, the hint, exit 1, nothing written
. tests/cli/lib.sh
try() { set +e; "$@" 2>&1; echo "exit $?"; set -e; }
try $TAMIS
try $TAMIS frobnicate
try $TAMIS run tests/data/good
try $TAMIS run -o "$TMP/o"
try $TAMIS run --bogus tests/data/good -o "$TMP/o"
try $TAMIS run -j zero tests/data/good -o "$TMP/o"
try $TAMIS run -j 0 tests/data/good -o "$TMP/o"
try $TAMIS run --threads tests/data/good
try $TAMIS run --compress lz4 tests/data/good -o "$TMP/o"
try $TAMIS run --compress gzip --compress-level 12 tests/data/good -o "$TMP/o"
try $TAMIS run --max-doc-bytes 12Q tests/data/good -o "$TMP/o"
try $TAMIS run --stages extract,normalize --max-html-bytes 0 tests/data/good -o "$TMP/o"
try $TAMIS run --lines-threshold 1 tests/data/good -o "$TMP/o"
try $TAMIS run --stages normalise tests/data/good -o "$TMP/o"
try $TAMIS run --explain=yes tests/data/good -o "$TMP/o"
try $TAMIS run - - -o "$TMP/o"
try $TAMIS run tests/data/good -o - --rejected -
try $TAMIS run tests/data/no-such-dir -o "$TMP/o"
test ! -e "$TMP/o" && echo "no output directory was created"
