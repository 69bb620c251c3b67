#!/usr/bin/env bash
# only-env.sh NAME... -- CMD [ARG...]: execs CMD with only the named variables of the caller's
# environment. Unlike `env -i NAME=value CMD`, no value is ever on a command line, where any local
# user could read it (/proc/<pid>/cmdline); the values travel in the environment, which only the
# process's owner can read.
set -euo pipefail
declare -A keep=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do keep["$1"]=1; shift; done
[ "$#" -gt 1 ] || { echo "usage: only-env.sh NAME... -- CMD [ARG...]" >&2; exit 2; }
shift
for name in $(compgen -e); do
  [ -n "${keep[$name]+x}" ] || unset "$name" 2>/dev/null || true
done
exec "$@"
