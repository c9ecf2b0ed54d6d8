#!/usr/bin/env bash
# Fails when any C source or header is off the house style (.clang-format).
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files '*.c' '*.h')
[ -n "$files" ] || exit 0
if ! clang-format --dry-run --Werror $files; then
  echo "clang-format: the files above are off style; run: clang-format -i \$(git ls-files '*.c' '*.h')" >&2
  exit 1
fi
echo "clang-format: $(echo "$files" | wc -l) files in style"
