"""`make bench`, in one run: the diff and batching of 100,000 record sets in process
(`cargo bench --bench diff_plan`); r53ctl's start-up time and `check` of 10,000 and 100,000
record sets; its wall time, CPU time, peak memory and requests for preview and push of zones of
1,000 and 10,000 record sets against the local Route 53 API server (moto); a no-change preview of
each zone by r53ctl and by octoDNS side by side; a push of creates and one of modifications
through a proxy that enforces Route 53's token buckets (`bench_push_at_route53_rates` and
`bench_modify_at_route53_rates` in tests/cli_limits.rs); then one summary table.

Usage: python tests/bench.py [--octodns OCTODNS_SYNC] MOTO_SERVER R53CTL [COUNT ...]
  counts default to 1000 10000; without a runnable OCTODNS_SYNC the comparison is left out
Environment:
  R53CTL_BENCH_50K=1      also a no-change preview of 50,000 record sets (pushing them to moto
                          takes ~12 min)
  R53CTL_BENCH_CHANGES=N  changes pushed through the throttling proxy (default 10,000)
  R53CTL_BENCH_MODIFIES=N record sets modified through it (default 2,000: 4,000 change tokens)

Columns of the preview and push table:
  wall s    r53ctl's wall time
  cpu s     r53ctl's own CPU time (user + system)
  peak MiB  r53ctl's peak resident memory
  server s  time between sending each request and its answer: the server's share (moto is slow)
  other s   the rest of the wall time, spent neither computing nor awaiting an answer: mostly
            r53ctl's client-side copy of Route 53's token buckets (it paces ChangeResourceRecordSets
            to 100 change tokens per second after a burst of 1,500), and waiting for a CPU on a
            busy machine
  requests  HTTP requests r53ctl sent, retries included, then how many of each operation

The comparison with octoDNS: `r53ctl preview --expect-no-changes` and `octodns-sync` (no --doit)
against a YAML config equal to the zone, which must plan no change, run alternately on the same
moto zone COMPARE_RUNS times each; medians of whole-process wall, CPU and peak memory, and the
ratios r53ctl/octoDNS (below 1: r53ctl takes less). The machine may be shared: compare ratios
measured in one run, not figures from different runs.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import statistics
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


def run_once(command, env):
    """Runs `command` once under the wrapper; returns its measurements, whatever its exit code."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, GNU_TIME, *command], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def failure(command, result):
    stderr = "\n".join(line for _, line in result["lines"][-10:])
    return (f"{' '.join(command)} failed (exit {result['code']}):\n"
            f"{result['stdout']}\n{stderr}")


def run_measured(command, env):
    """Runs `command` once; returns its measurements, with its requests when it ran --debug."""
    result = run_once(command, env)
    if result["code"] not in (0, 3):
        sys.exit(failure(command, result))
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


def median(results):
    """The median of each whole-process figure of `results`, taken one figure at a time."""
    return {key: statistics.median(r[key] for r in results) for key in ("wall", "cpu", "rss_kib")}


def startup(r53ctl, env, work):
    """Median wall and CPU time and peak memory of commands that never touch the network; returns
    those of `check` of 100,000 record sets."""
    print(f"{'start-up and check, median of runs':<44}{'runs':>5}{'wall ms':>9}{'cpu ms':>9}"
          f"{'peak MiB':>10}")
    commands = [("r53ctl --version", ["--version"], 20)]
    for count, runs in ((10000, 20), (100000, 5)):
        path = os.path.join(work, f"check{count}.json")
        write_config(path, "check.tld", count, 0)
        commands.append((f"r53ctl check, {count} record sets", ["check", "--config", path], runs))
    for label, args, runs in commands:
        figures = median([run_measured([r53ctl, *args], env) for _ in range(runs)])
        print(f"{label:<44}{runs:>5}{figures['wall'] * 1000:>9.1f}{figures['cpu'] * 1000:>9.1f}"
              f"{figures['rss_kib'] / 1024:>10.1f}", flush=True)
    print()
    return figures


def write_config(path, domain, count, version):
    with open(path, "w") as f:
        json.dump(config(domain, count, version), f)


def bench_zone(r53ctl, env, work, creds, count):
    """Creates, pushes, previews and changes a zone of `count` record sets, printing a row per
    step; the zone is left holding version 1 of the config."""
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
        write_config(path, domain, count, version)
        print(row(label, measure(r53ctl, args + common, env)), flush=True)


# The octoDNS config: its YAML provider holds the zone's records, its Route 53 provider reads the
# zone from the server named by AWS_ENDPOINT_URL_ROUTE_53 (botocore honours it since 1.31; the
# provider has no endpoint setting of its own).
OCTODNS_CONFIG = """providers:
  config:
    class: octodns.provider.yaml.YamlProvider
    directory: {directory}
    enforce_order: false
  route53:
    class: octodns_route53.Route53Provider
zones:
  {domain}.:
    sources: [config]
    targets: [route53]
"""

COMPARE_RUNS = 3
NO_CHANGES = "No changes were planned"


def octodns_config(work, domain, count, version):
    """Writes an octoDNS config whose zone equals `config(domain, count, version)`; returns its
    path."""
    directory = os.path.join(work, f"octodns-{domain}")
    os.makedirs(directory, exist_ok=True)
    records = config(domain, count, version)["domains"][0]["records"]
    with open(os.path.join(directory, f"{domain}.yaml"), "w") as f:
        for r in records:
            # r53ctl's default TTL is 300; octoDNS's is 3600.
            f.write(f"{r['name']}:\n  type: {r['type']}\n  ttl: 300\n  value: {r['value']}\n")
    path = os.path.join(directory, "octodns.yaml")
    with open(path, "w") as f:
        f.write(OCTODNS_CONFIG.format(directory=directory, domain=domain))
    return path


def octodns_preview(octodns, path, env):
    """One measured `octodns-sync` plan; None, after saying why, when it fails or plans changes."""
    command = [octodns, "--config-file", path]
    result = run_once(command, env)
    if result["code"] != 0:
        print(f"note: the comparison with octoDNS stops: {failure(command, result)}")
        return None
    output = [line for _, line in result["lines"]] + result["stdout"].splitlines()
    if NO_CHANGES not in output:
        plan = "\n".join(output[-40:])
        print(f"note: the comparison with octoDNS stops: it planned changes on a zone equal to "
              f"its config:\n{plan}")
        return None
    return result


def compare_no_change_preview(r53ctl, octodns, env, work, creds, count):
    """Alternates no-change previews of zone bench`count`.tld by r53ctl and by octoDNS; prints and
    returns the medians of each (octoDNS's None when it is not there or fails)."""
    domain = f"bench{count}.tld"
    path = os.path.join(work, f"{domain}.json")
    command = [r53ctl, "preview", "--expect-no-changes", "--config", path, "--creds", creds]
    octodns_path = octodns and octodns_config(work, domain, count, 1)
    octodns_env = dict(env, AWS_DEFAULT_REGION="us-east-1")
    ours, theirs = [], []
    for _ in range(COMPARE_RUNS):
        result = run_measured(command, env)
        if result["code"] != 0:
            sys.exit(failure(command, result))
        ours.append(result)
        if octodns:
            result = octodns_preview(octodns, octodns_path, octodns_env)
            if result is None:
                octodns = None
            else:
                theirs.append(result)
    figures = median(ours), (median(theirs) if octodns else None)
    print(comparison_rows(count, *figures), flush=True)
    return figures


def medians_row(label, m):
    return f"{label:<36}{m['wall']:>8.2f}{m['cpu']:>8.2f}{m['rss_kib'] / 1024:>10.1f}"


def comparison_rows(count, ours, theirs):
    label = f"no-change preview {count}"
    rows = [medians_row(label + ", r53ctl", ours)]
    if theirs:
        rows.append(medians_row(label + ", octoDNS", theirs))
        rows.append(f"{'  ratio r53ctl/octoDNS':<36}{ratio(ours, theirs, 'wall'):>8}"
                    f"{ratio(ours, theirs, 'cpu'):>8}{ratio(ours, theirs, 'rss_kib'):>10}")
    return "\n".join(rows)


def ratio(ours, theirs, key):
    return f"{ours[key] / theirs[key]:.3f}" if theirs[key] else "-"


def preview_50k(r53ctl, env, work, creds):
    """A zone of 50,000 record sets, then r53ctl's no-change previews of it; their medians."""
    count = 50000
    domain = f"bench{count}.tld"
    path = os.path.join(work, f"{domain}.json")
    write_config(path, domain, count, 0)
    common = ["--config", path, "--creds", creds]
    for args in (["create-domains"], ["push", "--force"]):
        run_measured([r53ctl, *args, *common], env)
    figures = median([run_measured([r53ctl, "preview", "--expect-no-changes", *common], env)
                      for _ in range(COMPARE_RUNS)])
    print(medians_row(f"no-change preview {count}, r53ctl", figures), flush=True)
    return figures


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_streamed(command, env=None):
    """Runs a cargo command in the repository, echoing its output; returns its exit code and its
    stdout lines."""
    print(f"$ {' '.join(command)}", flush=True)
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return proc.wait(), lines


def diff_plan_bench():
    """`cargo bench --bench diff_plan`: its diff and batch ms per scenario and its peak memory."""
    code, lines = run_streamed(["cargo", "bench", "--bench", "diff_plan"])
    figures = {"code": code}
    for line in lines:
        for scenario in ("changed zone", "new zone"):
            if line.startswith(scenario):
                figures[scenario] = [float(n) for n in line.split()[-2:]]
        if line.startswith("peak memory of the process:"):
            figures["peak"] = line.split(":", 1)[1].strip()
    print()
    return figures


PUSH_AT_RATES = re.compile(r"push of (.+?) through Route 53's buckets: ([\d.]+) s, fastest "
                           r"allowed ([\d.]+) s, ratio \S+; (\d+) requests, (\d+) throttled")
PUSH_BENCHES = ("bench_push_at_route53_rates", "bench_modify_at_route53_rates")


def push_at_route53_rates(moto):
    """The PUSH_BENCHES, one after the other: their exit code, and per push it printed, what it
    pushed, wall s, fastest allowed s, requests and throttles."""
    code, lines = run_streamed(["cargo", "test", "--release", "--test", "cli_limits", "--",
                                "--ignored", "--nocapture", "--test-threads=1", *PUSH_BENCHES],
                               dict(os.environ, R53CTL_MOTO=moto))
    found = [PUSH_AT_RATES.search(line) for line in lines]
    print()
    return code, [m.groups() for m in found if m]


STATIC_TARGETS = ("x86_64-unknown-linux-musl", "x86_64-unknown-linux-gnu")


def static_binary_size():
    """The size of `make static`'s binary and its target, or None when it has not been built."""
    for target in STATIC_TARGETS:
        path = os.path.join(REPO, "target", target, "release", "r53ctl")
        if os.path.exists(path):
            return os.path.getsize(path), target
    return None


def compared_rows(compared):
    """Summary rows of the no-change previews by r53ctl and octoDNS."""
    rows = []
    for count, (ours, theirs) in compared.items():
        for figure, key, shown in (("CPU", "cpu", "{:.3f} s"), ("wall", "wall", "{:.3f} s"),
                                   ("peak memory", "rss_kib", "{:.1f} MiB")):
            scale = 1024 if key == "rss_kib" else 1
            octodns = shown.format(theirs[key] / scale) if theirs else "not measured"
            rows.append((f"no-change preview, {count} record sets: {figure}",
                         shown.format(ours[key] / scale), octodns,
                         ratio(ours, theirs, key) if theirs else "-"))
    return rows


def r53ctl_rows(figures):
    """Summary rows of what r53ctl alone was measured doing, as (figure, value)."""
    large, check, diff = figures.get("preview_50k"), figures["check_100k"], figures["diff_plan"]
    rows = [("no-change preview, 50000 record sets: peak memory",
             f"{large['rss_kib'] / 1024:.1f} MiB" if large else "not run (R53CTL_BENCH_50K=1)"),
            ("check, 100000 record sets: wall, peak memory",
             f"{check['wall']:.3f} s, {check['rss_kib'] / 1024:.1f} MiB")]
    for scenario in ("changed zone", "new zone"):
        ms = diff.get(scenario)
        rows.append((f"diff_plan, 100000 sets, {scenario}: diff + batching",
                     f"{ms[0]:.0f} + {ms[1]:.0f} ms" if ms else f"not in its output (exit {diff['code']})"))
    rows.append(("diff_plan: peak memory of the bench process", diff.get("peak", "-")))
    code, pushes = figures["push"]
    for pushed, wall, bound, requests, throttled in pushes:
        rows.append((f"push of {pushed} at Route 53's rates: wall",
                     f"{float(wall):.2f} s (fastest allowed {float(bound):.1f} s)"))
        rows.append(("same: requests, throttled", f"{requests}, {throttled} throttled"))
    if len(pushes) < len(PUSH_BENCHES):
        rows.append(("push at Route 53's rates", f"failed (exit {code})"))
    size = static_binary_size()
    rows.append(("make static: binary size",
                 f"{size[0]:,} bytes ({size[1]})" if size else "not built (make static)"))
    return rows


def summary(figures):
    """The one table `make bench` ends with: the figures of the issue "At the limits"."""
    rows = compared_rows(figures["compared"]) + [(a, b, "", "") for a, b in r53ctl_rows(figures)]
    width = max(len(r[0]) for r in rows) + 2
    lines = [f"{'summary':<{width}}{'r53ctl':<40}{'octoDNS':<16}r53ctl/octoDNS"]
    lines += [f"{a:<{width}}{b:<40}{c:<16}{d}".rstrip() for a, b, c, d in rows]
    return "\n".join(lines)


def find_octodns(path):
    """`path` when it is a runnable octodns-sync; otherwise None, after saying so."""
    if path and os.access(path, os.X_OK):
        return path
    print(f"note: octoDNS is not installed ({path or 'no --octodns given'}): the bench runs "
          "without the comparison with it")
    return None


def main():
    args = sys.argv[1:]
    octodns = None
    if args[:1] == ["--octodns"] and len(args) > 1:
        octodns, args = args[1], args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    moto, r53ctl = args[0], os.path.abspath(args[1])
    counts = [int(c) for c in args[2:]] or [1000, 10000]
    octodns = find_octodns(octodns)
    if not GNU_TIME:
        print("note: GNU time is not installed; peak MiB includes the Python wrapper's ~12 MiB")
    figures = {"diff_plan": diff_plan_bench(), "compared": {}}
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
        figures["check_100k"] = startup(r53ctl, env, work)
        print(HEADER, flush=True)
        for count in counts:
            bench_zone(r53ctl, env, work, creds, count)
        print(f"\n{'median of ' + str(COMPARE_RUNS) + ' runs each, alternated':<36}{'wall s':>8}"
              f"{'cpu s':>8}{'peak MiB':>10}")
        for count in counts:
            figures["compared"][count] = compare_no_change_preview(r53ctl, octodns, env, work,
                                                                   creds, count)
        if os.environ.get("R53CTL_BENCH_50K"):
            figures["preview_50k"] = preview_50k(r53ctl, env, work, creds)
        print()
    finally:
        server.terminate()
        server.wait()
    figures["push"] = push_at_route53_rates(moto)
    print(summary(figures))
    if figures["diff_plan"]["code"] or figures["push"][0]:
        sys.exit("error: a cargo bench step failed (see above)")


if __name__ == "__main__":
    main()
