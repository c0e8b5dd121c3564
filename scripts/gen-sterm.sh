#!/bin/sh
# Prints the Sentence_Terminal ranges of Unicode's PropList.txt as C rows for
# src/text/uni.c (developer step; Debian package unicode-data).
set -eu
f=${1:-/usr/share/unicode/PropList.txt}
grep 'Sentence_Terminal' "$f" | awk '{ r = $1; if (index(r, "..")) { split(r, a, /\.\./) } else { a[1] = r; a[2] = r }
    printf "    {0x%s, 0x%s},\n", a[1], a[2] }'
