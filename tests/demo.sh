#!/usr/bin/env bash
# `make demo`: starts a local Route 53 API server (moto) on 127.0.0.1, creates the zone
# example.tld, then runs preview, push and preview again with fixtures/demo/dnsconfig.json.
# Needs only bash and python3 (moto comes from `make`'s venv). Stops the server on exit.
#
# Usage: tests/demo.sh MOTO_SERVER R53CTL
set -euo pipefail
moto=$1
r53ctl=$(realpath "$2")
root=$(cd "$(dirname "$0")/.." && pwd)

# A scratch directory holding dnsconfig.json and creds.json, the names r53ctl looks for by
# default; creds.json gets mode 600 as r53ctl asks of a file that may hold secrets.
work=$(mktemp -d)
log="$work/moto.log"
cp "$root/fixtures/demo/dnsconfig.json" "$work/dnsconfig.json"
install -m 600 "$root/fixtures/demo/creds.json" "$work/creds.json"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$moto" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

# Waits up to 15 s for the server to answer anything over HTTP.
if ! python3 - "$port" <<'EOF'; then
import sys, time, urllib.error, urllib.request
for _ in range(150):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=1)
        sys.exit(0)
    except urllib.error.HTTPError:
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
  echo "error: the local Route 53 API server did not start; its log:" >&2
  cat "$log" >&2
  exit 1
fi

# moto accepts any key; creds.json reads them from the environment, like dnscontrol's.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret
export AWS_ENDPOINT_URL_ROUTE_53="http://127.0.0.1:$port"
cd "$work"

say() {
  printf '\n# %s\n' "$@"
}

run() {
  echo "\$ r53ctl $*"
  "$r53ctl" "$@"
}

say "A local Route 53 API answers on $AWS_ENDPOINT_URL_ROUTE_53 (AWS_ENDPOINT_URL_ROUTE_53)." \
  "dnsconfig.json is fixtures/demo/dnsconfig.json; creds.json reads keys from the environment."
say "Create the hosted zone; Route 53 gives it four name servers."
run create-domains
say "Preview: what push would change. Nothing is sent."
run preview
say "Push: the same changes, sent in one atomic request."
run push
say "Preview again: the zone now matches the config (exit 3 if anything were left)."
run preview --expect-no-changes
say "Demo done: the second preview found nothing left to change."
