#!/usr/bin/env bash
# Print the path of a working Python interpreter of the given minor version (e.g. 3.10),
# or explain how to get one and exit 1. Order: $PYTHON<MAJ><MIN>, pyenv, PATH.
set -u
want="$1"
var="PYTHON${want/./}"
works() { [ -n "$1" ] && "$1" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; }
if [ -n "${!var:-}" ]; then
  if works "${!var}"; then echo "${!var}"; exit 0; fi
  echo "error: $var=${!var} is not a working Python $want" >&2; exit 1
fi
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -t. -k3 -n -r); do
    cand="$(pyenv root)/versions/$v/bin/python$want"
    if works "$cand"; then echo "$cand"; exit 0; fi
  done
fi
for cand in "python$want" "/usr/bin/python$want" "/usr/local/bin/python$want"; do
  p="$(command -v "$cand" 2>/dev/null)"
  if works "$p"; then echo "$p"; exit 0; fi
done
cat >&2 <<MSG
error: Python $want was not found.
  This project needs Python 3.10 (for Rasa 3.6) and Python 3.12 (for the web app).
  Install it with pyenv ('pyenv install $want'), or your system's package manager
  (e.g. 'apt-get install python$want python$want-venv'), or point $var at an interpreter:
      make $var=/path/to/python$want ...
MSG
exit 1
