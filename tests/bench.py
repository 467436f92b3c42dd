"""`make bench`: r53ctl's wall time, CPU time, peak memory and request count for preview and push
of zones of 1,000 and 10,000 record sets against the local Route 53 API server (moto).

Usage: python tests/bench.py MOTO_SERVER R53CTL
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_moto(moto):
    port = free_port()
    server = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except Exception:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def config(domain, count, version):
    records = [{"name": f"host{i}", "type": "A", "value": f"10.{version}.{i // 256 % 256}.{i % 256}"}
               for i in range(count)]
    return {
        "registrars": {"none": {"type": "NONE"}},
        "dns_providers": {"r53_main": {"type": "ROUTE53"}},
        "domains": [{"name": domain, "registrar": "none", "dns_providers": ["r53_main"],
                     "records": records}],
    }


# Runs one command in a fresh process so getrusage(RUSAGE_CHILDREN) covers that command alone.
WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
requests = sum(1 for l in proc.stderr.splitlines() if l.startswith("debug: request "))
print(json.dumps({"code": proc.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kib": usage.ru_maxrss, "requests": requests, "stderr": proc.stderr[-2000:]}))
"""


def measure(r53ctl, args, env):
    """Runs r53ctl once; returns wall seconds, CPU seconds, peak RSS in KiB and requests sent."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, r53ctl, "--debug", *args], env=env,
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["code"] not in (0, 3):
        sys.exit(f"r53ctl {' '.join(args)} failed ({result['code']}):\n{result['stderr']}")
    return result["wall"], result["cpu"], result["rss_kib"], result["requests"]


def main():
    moto, r53ctl = sys.argv[1], os.path.abspath(sys.argv[2])
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
        print(f"{'step':<34}{'wall s':>9}{'cpu s':>9}{'peak MiB':>10}{'requests':>10}")
        for count in (1000, 10000):
            domain = f"bench{count}.tld"
            path = os.path.join(work, f"{domain}.json")
            common = ["--config", path, "--creds", creds]
            steps = [
                ("create zone", 0, ["create-domains"]),
                (f"push {count} creates", 0, ["push", "--force"]),
                (f"preview {count}, no changes", 0, ["preview"]),
                (f"push {count} modifies", 1, ["push", "--force"]),
            ]
            for label, version, args in steps:
                with open(path, "w") as f:
                    json.dump(config(domain, count, version), f)
                wall, cpu, rss, requests = measure(r53ctl, args + common, env)
                print(f"{label:<34}{wall:>9.2f}{cpu:>9.2f}{rss / 1024:>10.1f}{requests:>10}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
