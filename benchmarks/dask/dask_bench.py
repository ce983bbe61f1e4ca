"""Dask distributed's side of two Weft workloads, to run beside `benchmarks/run` on the same machine.

    python3 benchmarks/dask/dask_bench.py noop --tasks 10000 [--repeats 3] [--processes] [--saturation inf]
    python3 benchmarks/dask/dask_bench.py tree --leaves 10000 [--repeats 3] [--processes] [--saturation inf]

Needs Dask distributed (Debian: `apt-get install python3-distributed`, Dask 2022.12.1). Like
`benchmarks/run`, a local cluster of 2 workers x 1 thread (in this process unless --processes),
queuing at Dask's default worker-saturation 1.1, work stealing on, a warm-up, then timed runs:

  noop  N independent no-op tasks submitted at once (client.map), timed until all are in memory;
  tree  inc(i) over N leaves, then add over pairs level by level to one root, sent as one graph,
        timed until the root's value is back (2N - 1 tasks).

Prints `name: value` lines as `benchmarks/run` does: each run's rate, then the median.
"""
import argparse
import logging
import statistics
import time

import dask
from distributed import Client, LocalCluster, wait


def noop(x):
    return x


def inc(x):
    return x + 1


def add(a, b):
    return a + b


def run_noop(client, n):
    start = time.perf_counter()
    futures = client.map(noop, range(n), pure=False)
    wait(futures)
    elapsed = time.perf_counter() - start
    del futures
    return n, elapsed


def run_tree(client, leaves, salt):
    graph, level = {}, []
    for i in range(leaves):
        graph[f"inc-{salt}-{i}"] = (inc, i)
        level.append(f"inc-{salt}-{i}")
    depth = 0
    while len(level) > 1:
        above = []
        for i in range(0, len(level) - 1, 2):
            key = f"add-{salt}-{depth}-{i}"
            graph[key] = (add, level[i], level[i + 1])
            above.append(key)
        if len(level) % 2:
            above.append(level[-1])
        level, depth = above, depth + 1
    start = time.perf_counter()
    root = client.get(graph, level[0])
    elapsed = time.perf_counter() - start
    expected = leaves * (leaves + 1) // 2
    if root != expected:
        raise SystemExit(f"tree: root is {root}, expected {expected}")
    return len(graph), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=["noop", "tree"])
    parser.add_argument("--tasks", type=int, default=10000, help="noop: tasks (default 10000)")
    parser.add_argument("--leaves", type=int, default=10000, help="tree: leaves (default 10000)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1000, help="no-op tasks run untimed first (default 1000)")
    parser.add_argument("--processes", action="store_true", help="workers in their own processes")
    parser.add_argument("--saturation", default="1.1", help="worker-saturation: 1.1 (Dask's default) or inf")
    args = parser.parse_args()

    dask.config.set({"distributed.scheduler.worker-saturation": float(args.saturation),
                     "distributed.scheduler.work-stealing": True})
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=args.processes,
                           dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    client.wait_for_workers(2)
    print(f"# Dask distributed {dask.__version__}, 2 workers x 1 thread, processes={args.processes}, "
          f"worker-saturation {args.saturation}")
    try:
        run_noop(client, args.warmup)
        rates = []
        for r in range(args.repeats):
            tasks, elapsed = (run_noop(client, args.tasks) if args.workload == "noop"
                              else run_tree(client, args.leaves, r))
            rates.append(tasks / elapsed)
            print(f"# run {r + 1}: {tasks} tasks in {elapsed:.3f} s, {tasks / elapsed:.0f} tasks/s")
        print(f"tasks_per_s: {statistics.median(rates):.0f}")
    finally:
        client.close()
        cluster.close()


if __name__ == "__main__":
    main()
