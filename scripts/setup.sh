#!/usr/bin/env bash
# Sets fedpg-lab up on a fresh machine: Jupyter (Debian packages, installed when missing and running as
# root), the npm dependencies from the lockfile (npm ci; its "prepare" step builds dist/ and links the
# package under its own name), and the tslab kernel registered in the project-local .jupyter/ data dir.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(jupyter-notebook jupyter-nbconvert jupyter-client)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v jupyter >/dev/null 2>&1 && [ ${#missing[@]} -eq 0 ]; then missing=("${debs[@]}"); fi
if [ ${#missing[@]} -gt 0 ]; then
  if command -v jupyter >/dev/null 2>&1 && ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: using the Jupyter found at $(command -v jupyter)"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: Jupyter is missing. Run:  sudo apt-get install ${missing[*]}" >&2
    echo "       (or: pip install notebook nbconvert jupyter_client), then run this script again." >&2
    exit 1
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error

echo "setup: registering the tslab kernel in .jupyter/"
node_modules/.bin/tsx -e "import { ensureKernel } from './scripts/notebooks'; console.log('JUPYTER_PATH=' + ensureKernel());"
echo "setup: done"
