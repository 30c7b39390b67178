"""Benchmark: the Dask executor against the local process pool, whole process and in process.

Usage::

    python bench/dask_bench.py --dir DIR [--repeat R] [--json]

Three measurements over the articles under DIR (the scale corpus is the intended input):

1. **whole process**, interleaved (local, dask, local, dask, ...): a fresh
   ``lintnews check --jobs 2 --no-cache`` against a fresh ``lintnews check --executor dask``
   (which starts its own two-worker local cluster), JSON written to a file; the ratio of
   each pair, with the spread over the pairs. Target: dask within 1.3x of local. Also the
   CPU seconds of all the processes of each run, and the load average after it: on a shared
   machine the wall-clock ratio swings with the other jobs, the CPU ratio much less.
2. **throughput in process** on an already running cluster of 1 and of 2 single-threaded
   worker processes: articles per second once the cluster is up (the cost that matters on
   a long-lived cluster), and the peak memory (max RSS) of each worker.
3. **a projection** for 10 million articles on 64 cores, from the 2-worker throughput per
   core; its assumptions are printed with it.

Both runs' JSON outputs are compared: the script says whether they are identical.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def whole_process(directory: Path, repeat: int, scratch: Path) -> dict:
    local = [sys.executable, "-m", "lintnews", "check", "--jobs", "2", "--no-cache", "--output-format", "json",
             "--output-file", str(scratch / "local.json"), "."]
    dask = [sys.executable, "-m", "lintnews", "check", "--executor", "dask", "--output-format", "json",
            "--output-file", str(scratch / "dask.json"), "."]
    times: dict[str, list[float]] = {"local": [], "dask": []}
    cpu: dict[str, list[float]] = {"local": [], "dask": []}
    loads: list[float] = []
    for _ in range(repeat):
        for name, command in (("local", local), ("dask", dask)):
            before = _children_cpu()
            start = time.perf_counter()
            subprocess.run(command, cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
            cpu[name].append(_children_cpu() - before)  # every process of the run, workers included
            loads.append(os.getloadavg()[0])
    ratios = [d / l for l, d in zip(times["local"], times["dask"])]
    cpu_ratios = [d / l for l, d in zip(cpu["local"], cpu["dask"])]
    identical = (scratch / "local.json").read_bytes() == (scratch / "dask.json").read_bytes()
    return {"local_s": times["local"], "dask_s": times["dask"], "local_cpu_s": cpu["local"], "dask_cpu_s": cpu["dask"],
            "ratio_median": statistics.median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
            "cpu_ratio_median": statistics.median(cpu_ratios), "cpu_ratio_min": min(cpu_ratios),
            "cpu_ratio_max": max(cpu_ratios), "load": [round(load, 1) for load in loads],
            "identical_output": identical}


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def throughput(directory: Path, workers: int) -> dict:
    from distributed import Client, LocalCluster

    from lintnews.dask.session import run
    from lintnews.dask.spec import RunSpec, context
    from lintnews.dask.storage import find_sources
    from lintnews.cli import _config

    os.chdir(directory)
    spec = RunSpec.of(_config(None))
    sources = find_sources(["."], Path(spec.root), context(spec).settings.config.exclude)
    import dask

    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        run(sources[:200], spec)  # warm: every worker has built its rules
        start = time.perf_counter()
        report = run(sources, spec)
        seconds = time.perf_counter() - start
        import resource

        peaks = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    return {"workers": workers, "files": len(sources), "findings": len(report.findings), "seconds": seconds,
            "articles_per_s": len(sources) / seconds,
            "peak_rss_mb_per_worker": sorted(round(peak / 2**20) for peak in peaks.values())}


def projection(two_workers: dict) -> dict:
    per_core = two_workers["articles_per_s"] / 2
    articles, cores = 10_000_000, 64
    return {"articles": articles, "cores": cores, "articles_per_s_per_core": round(per_core),
            "hours": round(articles / (per_core * cores) / 3600, 2),
            "assumptions": "throughput per core as measured here with 2 workers; scaling linear in cores "
                           "(the map step shares nothing; the tree reduction moves only compact summaries); "
                           "storage reads as fast as local disk; duplicate-article judging one summary "
                           "per article on the client (measured here: included in the run)"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    directory = args.dir.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        result = {"whole_process": whole_process(directory, args.repeat, Path(scratch))}
    result["in_process"] = [throughput(directory, workers) for workers in (1, 2)]
    result["projection"] = projection(result["in_process"][1])
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    whole = result["whole_process"]
    print(f"whole process, dask / local --jobs 2: median {whole['ratio_median']:.2f}x "
          f"(min {whole['ratio_min']:.2f}, max {whole['ratio_max']:.2f}; target <= 1.3x); "
          f"identical output: {whole['identical_output']}")
    print(f"  local s: {', '.join(f'{t:.1f}' for t in whole['local_s'])}; "
          f"dask s: {', '.join(f'{t:.1f}' for t in whole['dask_s'])}; load: {whole['load']}")
    print(f"  CPU seconds of all processes, dask / local: median {whole['cpu_ratio_median']:.2f}x "
          f"(min {whole['cpu_ratio_min']:.2f}, max {whole['cpu_ratio_max']:.2f}); "
          f"local {', '.join(f'{t:.1f}' for t in whole['local_cpu_s'])}; "
          f"dask {', '.join(f'{t:.1f}' for t in whole['dask_cpu_s'])}")
    for run in result["in_process"]:
        print(f"in process, {run['workers']} worker(s): {run['files']} articles in {run['seconds']:.1f} s, "
              f"{run['articles_per_s']:.0f} articles/s, peak RSS per worker {run['peak_rss_mb_per_worker']} MB")
    p = result["projection"]
    print(f"projection: {p['articles']:,} articles on {p['cores']} cores: {p['hours']} h "
          f"at {p['articles_per_s_per_core']} articles/s per core ({p['assumptions']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
