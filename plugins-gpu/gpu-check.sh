#!/bin/sh
# Runs the GPU plugin for real on a machine with an NVIDIA GPU and driver, and prints what it saw:
#   plugins-gpu/gpu-check.sh [OUTPUT_DIR]
# 1. the JNA bindings against the real libnvidia-ml.so.1 (and libnvtx3interop.so.1 if present):
#    NvmlTest / NvtxTest, whose "real" tests are skipped elsewhere;
# 2. the shipped runtime (distribution/target/weft): weft:workers lists the GPUs, a profile of a small
#    graph is written as a trace and a report, and the trace is checked for GPU counter tracks;
#    then a scheduler and a worker process started with --resources GPU=auto: what the worker offers;
# 3. if Nsight Systems (nsys) is on the PATH and NVTX is found, the same run under nsys, and the
#    NVTX ranges it recorded (one per task, named by key).
# Put its output in plugins-gpu/README.md. Needs a built tree: mvn -B package -DskipTests (add -o
# where ~/.m2 already holds the dependencies). MVN_OPTS (default -o) is passed to the Maven run of step 1.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(dirname "$here")
out=${1:-$root/plugins-gpu/target/gpu-check}
mkdir -p "$out"
weft="$root/distribution/target/weft"

echo "== machine"
uname -a
if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=index,name,driver_version,memory.total,utilization.gpu,temperature.gpu,power.draw --format=csv
else
    echo "nvidia-smi not found: this machine has no NVIDIA driver; the checks below show the no-GPU path"
fi
ldconfig -p 2>/dev/null | grep -E "libnvidia-ml.so.1|libnvtx3interop" || echo "(no libnvidia-ml.so.1 / libnvtx3interop on the linker path)"

echo "== 1. JNA bindings against the real libraries"
(cd "$root" && mvn -B ${MVN_OPTS--o} -q test -pl plugins-gpu -am -Dtest='NvmlTest,NvtxTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=info 2>&1 | grep -E "real NVML|SKIPPED|Tests run|FAIL" || true)
grep -h "testcase\|skipped" "$root"/plugins-gpu/target/surefire-reports/TEST-*.xml | sed 's/^ *//' | head -20

if [ ! -x "$weft/bin/weft" ]; then
    echo "no runtime at $weft: build it first (mvn -B -o package -DskipTests)" >&2
    exit 2
fi

cat > "$out/graph.json" <<'JSON'
{"tasks": {"slow-1": {"fn": "sleep", "args": [300]}, "slow-2": {"fn": "sleep", "args": [300]},
           "slow-3": {"fn": "sleep", "args": [300]}, "slow-4": {"fn": "sleep", "args": [300]},
           "total": {"fn": "sum", "args": [[1, 2, 3]]}},
 "keys": ["slow-1", "slow-2", "slow-3", "slow-4", "total"]}
JSON
script="weft:workers
weft:profile start
weft:submit $out/graph.json
weft:profile stop
weft:profile status
weft:profile trace $out/trace.json
weft:profile report $out/report.html
weft:plugins
"

echo "== 2. the runtime: GPUs in weft:workers, a profile with GPU counters"
printf '%s' "$script" | "$weft/bin/weft" local --workers 2 2>&1 | tee "$out/console.txt"
grep -h "GPU" "$weft/data/log/weft.log" | tail -5 || true
echo "GPU counter tracks in the trace:"
tracks=$(grep -o '"name":"GPU [0-9]* [a-z ]*"' "$out/trace.json" | sort | uniq -c || true)
echo "${tracks:-  none (no GPU found)}"
echo "trace: $out/trace.json   report: $out/report.html"

echo "== 2b. a worker process with --resources GPU=auto"
"$weft/bin/weft" scheduler --port 0 --no-console > "$out/scheduler.txt" 2>&1 &
scheduler_pid=$!
address=
for _ in $(seq 1 120); do
    address=$(grep -o 'scheduler at tcp://[0-9.]*:[0-9]*' "$out/scheduler.txt" | head -1 | cut -d' ' -f3 || true)
    [ -n "$address" ] && break
    sleep 0.5
done
if [ -n "$address" ]; then
    "$weft/bin/weft" worker "$address" --name gpu-check --resources GPU=auto --no-console > "$out/worker.txt" 2>&1 &
    worker_pid=$!
    offered=
    for _ in $(seq 1 120); do
        offered=$(grep -h 'GPU=auto: offering' "$weft"/data/worker-$worker_pid/log/weft.log 2>/dev/null | tail -1 || true)
        [ -n "$offered" ] && break
        sleep 0.5
    done
    echo "${offered:-the worker logged no GPU=auto line within 60 s: see $out/worker.txt}"
    kill "$worker_pid" 2>/dev/null || true
    wait "$worker_pid" 2>/dev/null || true
else
    echo "the scheduler printed no address within 60 s: see $out/scheduler.txt"
fi
kill "$scheduler_pid" 2>/dev/null || true
wait "$scheduler_pid" 2>/dev/null || true

echo "== 3. NVTX ranges under Nsight Systems"
if command -v nsys >/dev/null 2>&1; then
    printf '%s' "$script" | nsys profile -t nvtx --force-overwrite true -o "$out/weft-nsys" "$weft/bin/weft" local --workers 2 \
        > "$out/nsys-console.txt" 2>&1 || true
    nsys stats --report nvtx_sum "$out/weft-nsys.nsys-rep" 2>&1 | head -30 || true
else
    echo "nsys not found: NVTX ranges not checked (install Nsight Systems to see tasks on the GPU timeline)"
fi
