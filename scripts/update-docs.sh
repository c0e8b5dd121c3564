#!/bin/sh
# update-docs.sh TAMIS -- regenerates what is generated from the options
# table: docs/tamis.1 and the option list in README.md (between the
# options:begin/end markers). tests/cli/cases/docs_current.sh checks both.
set -eu
tamis=$1
"$tamis" --man > docs/tamis.1
"$tamis" --help | sed -n '/^Input options:/,/^Outputs/p' | sed '$d' > docs/.options.tmp
python3 - <<'PY'
import re
opts = open("docs/.options.tmp").read()
readme = open("README.md").read()
block = "<!-- options:begin -->\n```text\n" + opts + "```\n<!-- options:end -->"
readme = re.sub(r"<!-- options:begin -->.*?<!-- options:end -->", lambda m: block, readme, flags=re.S)
open("README.md", "w").write(readme)
PY
rm -f docs/.options.tmp
