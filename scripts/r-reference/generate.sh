#!/usr/bin/env bash
# Writes the R reference values that test/stats compares against (test/stats/reference/expected).
# Needs R with the Debian packages r-base-core, r-cran-survival, r-cran-brglm2, r-cran-mass and
# r-cran-jsonlite. Files named lib-*.R hold shared R code that the others source. `npm test` does
# not need R: it reads the committed results.
set -euo pipefail
cd "$(dirname "$0")"
export REFERENCE_DIR
REFERENCE_DIR="$(cd ../../test/stats/reference && pwd)"
export REAL_DATA_DIR
REAL_DATA_DIR="$(cd ../../.. && pwd)/shared/data/real"
Rscript --version
if [ $# -gt 0 ]; then
  scripts=("$@")
else
  mapfile -t scripts < <(ls ./*.R | grep -v -e common.R -e '/lib-')
fi
for script in "${scripts[@]}"; do
  echo "== $script"
  Rscript --vanilla -e "REFERENCE_DIR <- Sys.getenv('REFERENCE_DIR'); REAL_DATA_DIR <- Sys.getenv('REAL_DATA_DIR'); source('common.R'); source('$(basename "$script")')"
done
# jsonlite's layout is not the project's: format the written files as the rest of the repository.
npx prettier --log-level warn --write "$REFERENCE_DIR"
