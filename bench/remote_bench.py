"""Benchmark lintnews.remote: unique image URLs over many host names against a local server with latency.

The server runs in a child process (its own interpreter, so it does not share the checker's GIL)
on 127.0.0.1, answers every request after ``--latency`` seconds with a small PNG (206 to a Range)
and counts the requests. Host names ``host00.bench`` ... are mapped to 127.0.0.1 by the resolver
seam; nothing leaves the machine.

Run 1 checks every URL with an empty cache; run 2 checks them again with a new checker on the same
cache folder and must make zero requests. The ideal time of run 1 is

    requests x latency / min(concurrency, hosts x per_host)

(and never less than requests / (hosts x per_host_rate), the per-host rate limit). Target: within
1.5x of the ideal.

    python bench/remote_bench.py [--urls 2000] [--hosts 20] [--latency 0.05] [--concurrency 32]
                                 [--per-host 4] [--rate 100] [--order grouped|interleaved] [--json]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(2000)


def serve(latency: float) -> None:
    """The child process: print the port, serve until stdin closes."""
    lock = threading.Lock()
    counts = {"requests": 0, "connections": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 30

        def log_message(self, format, *args):
            pass

        def setup(self):
            super().setup()
            with lock:
                counts["connections"] += 1

        def do_GET(self):
            if self.path == "/__stats":
                body = json.dumps(counts).encode()
                ctype = "application/json"
            else:
                with lock:
                    counts["requests"] += 1
                time.sleep(latency)
                body, ctype = PNG, "image/png"
            status = 200
            if self.headers.get("Range", "").startswith("bytes=0-") and ctype == "image/png":
                end = int(self.headers["Range"][8:])
                body, status = body[:end + 1], 206
            # one write, as a production server would (headers and body apart meet Nagle and delayed ACKs)
            head = f"HTTP/1.1 {status} OK\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
            self.wfile.write(head.encode("ascii") + body)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()                                   # the parent closes stdin when done
    server.shutdown()


def server_counts(port: int) -> dict:
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/__stats")
    data = json.loads(conn.getresponse().read())
    conn.close()
    return data


def run(urls, port, options, cache_dir):
    from lintnews.remote import RemoteChecker

    before = server_counts(port)
    started = time.perf_counter()
    with RemoteChecker(cache_dir=cache_dir, **options) as checker:
        for url in urls:
            checker.submit(url)
        states = {}
        for url in urls:
            state = checker.result(url).state
            states[state] = states.get(state, 0) + 1
    seconds = time.perf_counter() - started
    after = server_counts(port)
    return {"seconds": round(seconds, 3), "requests": after["requests"] - before["requests"],
            "connections": after["connections"] - before["connections"], "states": states}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--rate", type=float, default=100.0, help="per_host_rate (requests/second per host)")
    parser.add_argument("--order", choices=("grouped", "interleaved"), default="grouped",
                        help="grouped: all URLs of one host, then the next (the hard case for a scheduler)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        return serve(args.serve)

    child = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", str(args.latency)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(child.stdout.readline())
        hosts = [f"host{n:02d}.bench" for n in range(args.hosts)]
        if args.order == "grouped":
            pairs = [(n * args.hosts // args.urls, n) for n in range(args.urls)]
        else:
            pairs = [(n % args.hosts, n) for n in range(args.urls)]
        urls = [f"http://{hosts[h]}:{port}/img/{n}.png" for h, n in pairs]
        mapping = {host: ["127.0.0.1"] for host in hosts}
        options = {"concurrency": args.concurrency, "per_host": args.per_host, "per_host_rate": args.rate,
                   "allow_private": True, "allowed_ports": (80, 443, port), "timeout": 10.0,
                   "resolver": lambda host, _port: mapping[host]}
        effective = min(args.concurrency, args.hosts * args.per_host)
        ideal = args.urls * args.latency / effective
        rate_bound = args.urls / (args.hosts * args.rate) if args.rate > 0 else 0.0
        ideal = max(ideal, rate_bound)
        with tempfile.TemporaryDirectory() as cache_dir:
            first = run(urls, port, options, cache_dir)
            second = run(urls, port, options, cache_dir)
    finally:
        child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
    ratio = first["seconds"] / ideal
    report = {"urls": args.urls, "hosts": args.hosts, "latency": args.latency, "concurrency": args.concurrency,
              "per_host": args.per_host, "per_host_rate": args.rate, "order": args.order,
              "effective_concurrency": effective, "ideal_seconds": round(ideal, 3),
              "first": first, "ratio": round(ratio, 3), "within_target": ratio <= 1.5, "cached": second}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"{args.urls} URLs over {args.hosts} hosts, {args.latency * 1000:.0f} ms latency, "
              f"concurrency {args.concurrency}, per_host {args.per_host}, per_host_rate {args.rate:g}/s "
              f"({args.order})")
        print(f"run 1 (empty cache): {first['seconds']:.2f} s, {first['requests']} requests on "
              f"{first['connections']} connections, states {first['states']}")
        print(f"  ideal {ideal:.2f} s (effective concurrency {effective}); ratio {ratio:.2f} "
              f"({'within' if ratio <= 1.5 else 'over'} the 1.5x target)")
        print(f"run 2 (from the cache): {second['seconds']:.3f} s, {second['requests']} requests, "
              f"states {second['states']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
