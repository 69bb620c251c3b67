#!/usr/bin/env bash
# The main job: installs what is missing, starts the whole local stack and the gateway's apps,
# sends SMS through Jasmin to the SMSC simulator and prints each status as it arrives.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prepare
say "starting the gateway's apps"
bash "$ROOT_DIR/scripts/apps.sh" up
say "running the main job"
node --enable-source-maps "$ROOT_DIR/dist/scripts/demo.js"
say "the stack and apps keep running; stop them with: scripts/apps.sh down && infra/stack.sh down"
