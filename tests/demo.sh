#!/usr/bin/env bash
# `make demo`: starts a local Route 53 API server (moto) on 127.0.0.1, creates example.tld, then
# runs preview, push and preview again with fixtures/demo/dnsconfig.json. Stops the server on exit.
set -euo pipefail
moto=$1
r53ctl=$2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
"$moto" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done

# moto accepts any key; the creds file reads them from the environment like dnscontrol's.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret
export AWS_ENDPOINT_URL_ROUTE_53="http://127.0.0.1:$port"
run() {
  echo
  echo "\$ r53ctl $*"
  "$r53ctl" --config fixtures/demo/dnsconfig.json --creds fixtures/demo/creds.json "$@"
}
run create-domains
run preview
run push
run preview --expect-no-changes
echo
echo "Demo done: the second preview found nothing left to change."
