#!/usr/bin/env bash
# `make static`: builds the statically linked, size-optimised r53ctl for FROM scratch containers,
# checks that it is static, within its size budget, runs with an empty environment, and resolves
# a host name in an empty root that holds only /etc/hosts and /etc/resolv.conf (as root, in a
# chroot; otherwise against the host's /etc/hosts).
#
# musl is the preferred C library: static glibc needs NSS modules to resolve host names, which an
# empty root does not have, and is about 1 MB larger. The standard library is rebuilt for size
# (nightly's -Z build-std with optimize_for_size: about 370 KB smaller, panic messages kept) where
# the nightly toolchain, its rust-src and its musl target are there or can be installed; otherwise
# the stable musl build is used, and where the musl target cannot be installed at all, static
# glibc. Each fallback says what it costs; the size budget is enforced on the preferred build.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZE_BUDGET=${SIZE_BUDGET:-2500000}
MUSL=x86_64-unknown-linux-musl
GLIBC=x86_64-unknown-linux-gnu

has_musl() {
  rustup target list --installed 2>/dev/null | grep -qx "$MUSL" \
    || rustup target add "$MUSL" >/dev/null 2>&1
}

has_nightly_build_std() {
  cargo +nightly --version >/dev/null 2>&1 || return 1
  rustup component list --toolchain nightly --installed 2>/dev/null | grep -q '^rust-src' \
    || rustup component add rust-src --toolchain nightly >/dev/null 2>&1 || return 1
  rustup target list --toolchain nightly --installed 2>/dev/null | grep -qx "$MUSL" \
    || rustup target add "$MUSL" --toolchain nightly >/dev/null 2>&1
}

# No PIE (-C relocation-model=static): 75 KB less, at the cost of ASLR for a short-lived CLI
# written in safe Rust.
flags='-C target-feature=+crt-static -C relocation-model=static'
# ring compiles a little C; without musl-gcc the host gcc builds it fine for musl.
export CC_x86_64_unknown_linux_musl="${CC_x86_64_unknown_linux_musl:-$(command -v musl-gcc || echo gcc)}"
enforce_budget=yes
if has_nightly_build_std; then
  target=$MUSL
  RUSTFLAGS="$flags" cargo +nightly build --release --target "$target" \
    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size
elif has_musl; then
  target=$MUSL
  enforce_budget=
  echo "note: nightly with rust-src and the musl target is not available: building with the" >&2
  echo "      stable standard library, about 370 KB larger (the size budget is not enforced)" >&2
  RUSTFLAGS="$flags" cargo build --release --target "$target"
else
  target=$GLIBC
  enforce_budget=
  echo "note: the musl target is not installed and 'rustup target add $MUSL' failed;" >&2
  echo "      building with static glibc: about 1 MB larger, and host names resolve only" >&2
  echo "      where glibc's NSS modules are present (not in an empty FROM scratch root)" >&2
  RUSTFLAGS="$flags" cargo build --release --target "$target"
fi
bin=target/$target/release/r53ctl

kind=$(file -b "$bin")
case "$kind" in
  *"statically linked"*|*"static-pie linked"*) ;;
  *) echo "error: $bin is not statically linked: $kind" >&2; exit 1 ;;
esac
if ldd "$bin" 2>&1 | grep -q '=>'; then
  echo "error: $bin loads shared libraries:" >&2; ldd "$bin" >&2; exit 1
fi
env -i "./$bin" --help >/dev/null
env -i "./$bin" check --config fixtures/config/example.json >/dev/null

# A local endpoint that answers GetHostedZoneCount, reached by a host name.
server_log=$(mktemp)
python3 - >"$server_log" <<'PY' &
import http.server
BODY = (b'<?xml version="1.0"?><GetHostedZoneCountResponse xmlns="https://route53.amazonaws.com/'
        b'doc/2013-04-01/"><HostedZoneCount>7</HostedZoneCount></GetHostedZoneCountResponse>')
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_port, flush=True)
server.handle_request()
PY
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$server_log"; [ -z "${root:-}" ] || rm -rf "$root"' EXIT
for _ in $(seq 50); do [ -s "$server_log" ] && break; sleep 0.1; done
port=$(head -1 "$server_log")
keys=(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIEXAMPLEKEY AWS_EC2_METADATA_DISABLED=true)

if [ "$(id -u)" = 0 ] && [ "$target" = "$MUSL" ]; then
  root=$(mktemp -d)
  mkdir -p "$root/etc"
  echo "127.0.0.1 r53-endpoint.test" >"$root/etc/hosts"
  echo "nameserver 127.0.0.1" >"$root/etc/resolv.conf"
  cp "$bin" "$root/r53ctl"
  where="an empty root (chroot: only /etc/hosts and /etc/resolv.conf)"
  out=$(env -i "${keys[@]}" "$(command -v chroot)" "$root" /r53ctl check-creds r53_main \
    --endpoint "http://r53-endpoint.test:$port" 2>&1)
else
  where="this host's /etc/hosts"
  out=$(env -i "${keys[@]}" "./$bin" check-creds r53_main --endpoint "http://localhost:$port" 2>&1)
fi
echo "$out" | grep -q "hosted zones: 7" \
  || { echo "error: check-creds through a host name failed in $where:" >&2; echo "$out" >&2; exit 1; }

size=$(stat -c %s "$bin")
echo "$bin: $size bytes ($target), statically linked, runs with an empty environment,"
echo "  resolves host names in $where"
if [ "$size" -gt "$SIZE_BUDGET" ]; then
  if [ -n "$enforce_budget" ]; then
    echo "error: $size bytes is over the budget of $SIZE_BUDGET bytes" >&2
    exit 1
  fi
  echo "note: $size bytes is over the budget of $SIZE_BUDGET bytes of the preferred build" >&2
fi
