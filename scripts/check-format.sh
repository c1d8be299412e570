#!/usr/bin/env bash
# Fails when a C++ file differs from what clang-format (with the root .clang-format) would write.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$FANFOLD_ROOT"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' '*.h' '*.cc' | while read -r f; do [ -f "$f" ] && echo "$f"; done)
[ ${#files[@]} -gt 0 ] || exit 0
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/fanfold-format.$$; then
  grep -oE '^[^: ]+\.(cpp|hpp|h|cc):[0-9]+:' /tmp/fanfold-format.$$ | cut -d: -f1 | sort -u | sed 's/^/  /' >&2
  rm -f /tmp/fanfold-format.$$
  die "the files above are not clang-formatted; run: clang-format -i <file>"
fi
rm -f /tmp/fanfold-format.$$
say "formatting ok (${#files[@]} files)"
