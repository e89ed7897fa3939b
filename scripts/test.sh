#!/usr/bin/env bash
# The README's test command (`npm test`): installs and starts what the tests need, then runs every
# unit and integration test against the real Kafka, PostgreSQL and Redis. Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-infra.sh

# Start Kafka for the run, and stop it afterwards only if this run started it.
if ! deploy/kafka/kafka.sh status >/dev/null 2>&1; then
  deploy/kafka/kafka.sh start
  trap 'deploy/kafka/kafka.sh stop >/dev/null 2>&1 || true' EXIT
fi

say "type-checking"
npx tsc -p tsconfig.json --noEmit
npx tsc -p services/console/web   # the console's browser app (DOM and JSX settings of its own)
(cd proto && ../node_modules/.bin/buf lint)

# Lint (type-aware rules and the Nx module boundaries: a service importing another service fails
# here) and formatting; a finding fails the run, but the tests still run and report.
status=0
say "linting"
npm run --silent lint || status=1
npm run --silent format:check || status=1

say "running tests"
mkdir -p .local
# The e2e stacks write their services' logs here; only this run's are checked afterwards.
rm -rf .local/test-logs
# The ReDoS suite holds each pattern to a CPU-time budget (50 ms), which the rest of the run's
# workers and e2e stacks inflate two to three times on two cores: it runs first, alone, on a quiet
# machine (when the run is the whole suite; `npm test -- <paths>` runs what it names).
# The unit tests then run on both cores (79 s in one process, 54 s on two workers); the
# integration tests in one process, one e2e stack at a time (a stack's start alone takes ~26 s of CPU).
results=(.local/jest-results.json)
if [[ $# -eq 0 ]]; then
  npx jest --ci --json --outputFile=.local/jest-timing.json test/redos.spec.ts || status=$?
  results+=(.local/jest-timing.json)
  skip=(--testPathIgnorePatterns '/node_modules/' '/dist/' 'test/redos\.spec\.ts')
  npx jest --ci --json --outputFile=.local/jest-unit.json --maxWorkers=2 --selectProjects unit "${skip[@]}" || status=$?
  results+=(.local/jest-unit.json)
  set -- --selectProjects integration "${skip[@]}"
fi
npx jest --ci --json --outputFile=.local/jest-results.json "$@" || status=$?
say "checking the e2e services' logs for customer data and secrets"
node scripts/check-test-logs.mjs || status=1
node -e '
  const runs = process.argv.slice(1).map((file) => require(require("path").resolve(file)));
  const sum = (field) => runs.reduce((n, r) => n + r[field], 0);
  // A suite that fails to load runs no tests; count it as a failure so this line never hides it.
  console.log(`${sum("numPassedTests")} passed, ${sum("numFailedTests") + sum("numRuntimeErrorTestSuites")} failed, ${sum("numPendingTests")} skipped`);
' "${results[@]}" || true
exit $status
