#!/usr/bin/env bash
# Brings this machine to the point where Switchboard runs: npm packages installed and built, Java
# and Maven for the Kafka broker, the local embedding models, PostgreSQL and Redis answering on
# 127.0.0.1. Idempotent; each
# step says what it does. Sourced by scripts/test.sh and scripts/demo.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "missing $* and not root: install it and retry" >&2; exit 1; fi
  say "installing $* with apt-get"
  (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. npm packages: installed when missing or older than the lock file. onnxruntime-node's
#    postinstall would try to download CUDA files; there is no network for that here.
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
say "building"
node scripts/build.mjs

# 2. Java and Maven, for the Kafka broker whose jars come from Maven Central.
command -v java >/dev/null || apt_install openjdk-17-jre-headless
command -v mvn >/dev/null || apt_install maven

# 2b. Headless Chromium for the console's browser tests (driven by playwright-core, which
#     downloads no browser of its own), and a Chinese font so its Chinese screens render.
command -v chromium >/dev/null || apt_install chromium
[ -d /usr/share/fonts/truetype/wqy ] || apt_install fonts-wqy-zenhei

# 3. The local embedding models (ONNX, from Maven Central jars) under .local/models.
bash scripts/fetch-models.sh

# 4. PostgreSQL and Redis on 127.0.0.1 (the machine's own; started here if they are down).
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  say "starting PostgreSQL"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL did not start on 127.0.0.1:5432" >&2; exit 1; }
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
