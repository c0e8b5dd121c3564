# make install, then build examples/clean_dir.c against the installed library
# with pkg-config (static and shared), as a user of libtamis would
# (the plain build: MAKEFLAGS from an enclosing sanitizer pass of make check is dropped)
env -u MAKEFLAGS -u MFLAGS -u MAKEOVERRIDES -u MAKELEVEL -u BUILD -u SAN -u OPT -u CC make -s install PREFIX="$TMP/inst" > /dev/null
export PKG_CONFIG_PATH="$TMP/inst/lib/pkgconfig"
cc -Wall -Wextra -Werror examples/clean_dir.c $(pkg-config --cflags tamis) "$TMP/inst/lib/libtamis.a" \
    $(pkg-config --libs --static tamis | sed 's/-ltamis//') -o "$TMP/static"
cc -Wall -Wextra -Werror examples/clean_dir.c $(pkg-config --cflags --libs tamis) -o "$TMP/shared"
"$TMP/static" samples "$TMP/o1"
LD_LIBRARY_PATH="$TMP/inst/lib" "$TMP/shared" samples "$TMP/o2"
cmp "$TMP/o1/kept.jsonl.zst" "$TMP/o2/kept.jsonl.zst" && echo "static and shared builds agree"
test -f "$TMP/inst/share/man/man1/tamis.1" && echo "man page installed"
grep '^prefix=' "$TMP/inst/lib/pkgconfig/tamis.pc" | sed "s|$TMP|TMP|"
