#!/usr/bin/env bash
# Sets fedpg-lab up on a fresh machine: Debian packages (installed when missing and running as root:
# Jupyter for the notebooks, Chromium and DejaVu fonts for static figures and browser checks, NumPy and
# SciPy for the benchmark baselines (bench/ runs Debian's /usr/bin/python3, not a pyenv shim), SLURM and munge for the cluster test, which starts its own two-node cluster),
# the npm dependencies from the lockfile (npm ci), the build of dist/ and the link of the package under its
# own name (`npm run build:link`: not an npm "prepare" script, which would ship in the package and make
# installing it warn about a script whose files are not in it), the tslab kernel and the served copy of plotly.js in the project-local .jupyter/
# data dir, and (in a git checkout) the clean filter that strips notebook outputs from commits
# (scripts/strip-notebook.js, named in .gitattributes).
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(jupyter-notebook jupyter-nbconvert jupyter-client chromium fonts-dejavu-core python3-numpy python3-scipy slurm-wlm munge)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1 && command -v jupyter >/dev/null 2>&1; then
    echo "setup: not a Debian-based machine; using the Jupyter found at $(command -v jupyter)"
    echo "       (static figures need Chromium: set FEDPG_CHROMIUM to its binary)"
  elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]} from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing Debian packages. Run:  sudo apt-get install ${missing[*]}" >&2
    echo "       (elsewhere: pip install notebook nbconvert jupyter_client numpy scipy, and a Chromium with" >&2
    echo "       FEDPG_CHROMIUM=/path/to/chromium), then run this script again." >&2
    exit 1
  fi
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: npm run build:link (dist/, and node_modules/fedpg-lab -> the checkout)"
npm run --silent build:link

echo "setup: registering the tslab kernel and the served plotly.js in .jupyter/"
node_modules/.bin/tsx -e "import { ensureKernel } from './scripts/notebooks'; console.log('JUPYTER_PATH=' + ensureKernel());"

if git rev-parse --git-dir >/dev/null 2>&1; then
  echo "setup: git filter fedpg-strip-notebook (commits keep notebooks without outputs; files on disk keep them)"
  git config filter.fedpg-strip-notebook.clean "node scripts/strip-notebook.js"
  git config filter.fedpg-strip-notebook.smudge cat
fi
echo "setup: done"
