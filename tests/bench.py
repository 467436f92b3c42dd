"""`make bench`: r53ctl's start-up time, then its wall time, CPU time, peak memory and requests
for preview and push of zones of 1,000 and 10,000 record sets against the local Route 53 API
server (moto).

Usage: python tests/bench.py MOTO_SERVER R53CTL [COUNT ...]   (counts default to 1000 10000)

Columns:
  wall s    r53ctl's wall time
  cpu s     r53ctl's own CPU time (user + system)
  peak MiB  r53ctl's peak resident memory
  server s  time between sending each request and its answer: the server's share (moto is slow)
  other s   the rest of the wall time, spent neither computing nor awaiting an answer: mostly
            r53ctl's client-side copy of Route 53's token buckets (it paces ChangeResourceRecordSets
            to 100 change tokens per second after a burst of 1,500), and waiting for a CPU on a
            busy machine

`make bench` then runs `bench_push_at_route53_rates` in tests/cli_limits.rs: a push through a proxy
that enforces Route 53's buckets exactly, timed against the fastest those buckets allow.
  requests  HTTP requests r53ctl sent, retries included, then how many of each operation
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# Runs a command in a fresh process, so that getrusage(RUSAGE_CHILDREN) covers that command
# alone, and timestamps each line of its stderr as it arrives. A process forked from Python has
# Python's memory counted in its peak (about 12 MiB), so when GNU time is installed (argv[1]) the
# command runs under it, forked from that small process, and its peak memory comes from there.
WRAPPER = """
import json, resource, subprocess, sys, tempfile, time
gnu_time, command = sys.argv[1], sys.argv[2:]
with tempfile.NamedTemporaryFile("w+") as stdout, tempfile.NamedTemporaryFile("w+") as peak:
    if gnu_time:
        command = [gnu_time, "--format=%M", "--output=" + peak.name, *command]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
    lines = [(time.perf_counter(), line.rstrip("\\n")) for line in proc.stderr]
    code = proc.wait()
    wall = time.perf_counter() - start
    stdout.seek(0)
    tail = stdout.read()[-3000:]
    measured = peak.read().split()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
rss_kib = int(measured[-1]) if gnu_time and measured else usage.ru_maxrss
print(json.dumps({"code": code, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kib": rss_kib, "lines": lines, "stdout": tail}))
"""


def find_gnu_time():
    """The path of GNU time, or "" when it is not installed."""
    path = shutil.which("time") or "/usr/bin/time"
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=5)
    except OSError:
        return ""
    return path if "GNU" in out.stdout + out.stderr else ""


GNU_TIME = find_gnu_time()

REQUEST = "debug: request "
RESPONSE = "debug: response "


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(moto):
    port = free_port()
    server = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(endpoint + "/", timeout=1)
            return server, endpoint
        except OSError:
            time.sleep(0.1)
    server.kill()
    sys.exit(f"moto did not answer on {endpoint} within 15 seconds")


def config(domain, count, version):
    records = [{"name": f"host{i}", "type": "A", "value": f"10.{version}.{i // 256 % 256}.{i % 256}"}
               for i in range(count)]
    return {
        "registrars": {"none": {"type": "NONE"}},
        "dns_providers": {"r53_main": {"type": "ROUTE53"}},
        "domains": [{"name": domain, "registrar": "none", "dns_providers": ["r53_main"],
                     "records": records}],
    }


def operation(line):
    """`ListResourceRecordSets` of `debug: request GET http://… (ListResourceRecordSets)`."""
    return line.rsplit("(", 1)[-1].rstrip(")")


def request_stats(lines):
    """Requests sent, per operation in order of first use, and seconds spent awaiting answers.

    r53ctl sends one request at a time per zone, so each request line is answered by the next
    debug line when that is a response line (a transport error has none)."""
    requests, by_operation, server = 0, {}, 0.0
    debug = [(t, line) for t, line in lines if line.startswith("debug: ")]
    for (sent, line), (answered, following) in zip(debug, debug[1:] + [(None, "")]):
        if not line.startswith(REQUEST):
            continue
        requests += 1
        by_operation[operation(line)] = by_operation.get(operation(line), 0) + 1
        if following.startswith(RESPONSE):
            server += answered - sent
    return requests, by_operation, server


def measure(r53ctl, args, env):
    """Runs `r53ctl --debug ARGS` once; returns its measurements."""
    return run_measured([r53ctl, "--debug", *args], env)


def run_measured(command, env):
    """Runs `command` once; returns its measurements."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, GNU_TIME, *command], env=env,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] not in (0, 3):
        stderr = "\n".join(line for _, line in result["lines"][-10:])
        sys.exit(f"{' '.join(command)} failed (exit {result['code']}):\n"
                 f"{result['stdout']}\n{stderr}")
    requests, by_operation, server = request_stats(result["lines"])
    result.update(requests=requests, by_operation=by_operation, server=server)
    return result


HEADER = (f"{'step':<28}{'wall s':>8}{'cpu s':>8}{'peak MiB':>10}{'server s':>10}{'other s':>9}"
          f"{'requests':>10}  by operation")


def row(label, m):
    other = max(m["wall"] - m["server"] - m["cpu"], 0.0)
    operations = ", ".join(f"{n} {op}" for op, n in m["by_operation"].items())
    return (f"{label:<28}{m['wall']:>8.2f}{m['cpu']:>8.2f}{m['rss_kib'] / 1024:>10.1f}"
            f"{m['server']:>10.2f}{other:>9.2f}{m['requests']:>10}  {operations}")


def startup(r53ctl, env, work, runs=20):
    """Median wall and CPU time and peak memory of commands that never touch the network."""
    path = os.path.join(work, "check10000.json")
    with open(path, "w") as f:
        json.dump(config("check.tld", 10000, 0), f)
    print(f"{'start-up, median of ' + str(runs) + ' runs':<40}{'wall ms':>9}{'cpu ms':>9}"
          f"{'peak MiB':>10}")
    for label, args in (("r53ctl --version", ["--version"]),
                        ("r53ctl check, 10000 record sets", ["check", "--config", path])):
        results = sorted((run_measured([r53ctl, *args], env) for _ in range(runs)),
                       key=lambda m: m["wall"])
        median = results[len(results) // 2]
        print(f"{label:<40}{median['wall'] * 1000:>9.1f}{median['cpu'] * 1000:>9.1f}"
              f"{median['rss_kib'] / 1024:>10.1f}", flush=True)
    print()


def bench_zone(r53ctl, env, work, creds, count):
    domain = f"bench{count}.tld"
    path = os.path.join(work, f"{domain}.json")
    common = ["--config", path, "--creds", creds]
    steps = [
        ("create zone", 0, ["create-domains"]),
        (f"push {count} creates", 0, ["push", "--force"]),
        (f"preview {count}, no changes", 0, ["preview"]),
        (f"preview {count} modifies", 1, ["preview"]),
        (f"push {count} modifies", 1, ["push", "--force"]),
        (f"preview {count}, no changes", 1, ["preview", "--expect-no-changes"]),
    ]
    for label, version, args in steps:
        with open(path, "w") as f:
            json.dump(config(domain, count, version), f)
        print(row(label, measure(r53ctl, args + common, env)), flush=True)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    moto, r53ctl = sys.argv[1], os.path.abspath(sys.argv[2])
    counts = [int(c) for c in sys.argv[3:]] or [1000, 10000]
    if not GNU_TIME:
        print("note: GNU time is not installed; peak MiB includes the Python wrapper's ~12 MiB")
    server, endpoint = start_moto(moto)
    try:
        work = tempfile.mkdtemp(prefix="r53ctl-bench-")
        env = dict(os.environ, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                   AWS_ENDPOINT_URL_ROUTE_53=endpoint, AWS_EC2_METADATA_DISABLED="true",
                   HOME=work)
        creds = os.path.join(work, "creds.json")
        with open(creds, "w") as f:
            json.dump({"r53_main": {"TYPE": "ROUTE53"}}, f)
        os.chmod(creds, 0o600)
        startup(r53ctl, env, work)
        print(HEADER, flush=True)
        for count in counts:
            bench_zone(r53ctl, env, work, creds, count)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
