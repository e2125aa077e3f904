#!/usr/bin/env bash
# The GPU check in one command, for the GPU machine (no network there):
#
#     bash benchmarks/gpu.sh [extra gpu.py arguments]
#
# Finds a python whose JAX sees the GPU, installs what it lacks from a wheelhouse,
# and runs benchmarks/gpu.py under a time limit. The report goes to $OUT/gpu.md
# when $OUT is set (the device tool's output folder; the log beside it as
# $OUT/gpu.log), else to results/benchmarks/gpu.md. Copy it there afterwards.
#
# Wheelhouse: the first of $WHEELHOUSE, build/wheels, .whl that exists (all
# git-ignored; the device tool must be told to carry it, e.g. carry=["build/wheels"]).
#
# 1. The nvidia-h200 image already has python3 (3.12) with JAX 0.11 and its CUDA 13
#    plugin, flax, optax, orbax-checkpoint, scipy, tqdm, numpy, absl-py and PyYAML
#    (/work/.library/device/KINDS.md), but not colour-science (the renotation data)
#    nor ml_collections (the configs). Both are pure Python and small; prepare them
#    here with:
#
#      python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
#          --implementation cp --platform manylinux_2_28_x86_64 \
#          --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#          -d build/wheels colour-science==0.4.7 ml_collections
#
#    Any other non-JAX wheel put there (say a pinned flax or optax) is installed too
#    and wins over the image's copy.
#
# 2. A GPU machine with no JAX at all needs the whole stack, CUDA wheels included
#    (several GB: far over the 64 MiB the device tool carries, so only for a machine
#    you copy files to yourself):
#
#      python3 -m pip download --only-binary=:all: --python-version 3.12 \
#          --implementation cp --platform manylinux_2_28_x86_64 \
#          --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
#          -d build/wheels "jax[cuda12]" flax optax orbax-checkpoint ml_collections \
#          tqdm scipy numpy colour-science==0.4.7
#
#    This script then makes a virtual environment in /tmp from it.
#
# Environment: PYTHON (a python to try first), WHEELHOUSE, GPU_CHECK_TIMEOUT (seconds
# for gpu.py, default 470), GPU_CHECK_BUDGET (gpu.py --budget, default 420),
# GPU_CHECK_ALLOW_CPU=1 (accept a CPU-only JAX: to try this script without a GPU,
# e.g. `GPU_CHECK_ALLOW_CPU=1 PYTHON=.venv/bin/python OUT=/tmp/g bash benchmarks/gpu.sh --quick`).

set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
REPO=$(pwd)
LIMIT=${GPU_CHECK_TIMEOUT:-470}
BUDGET=${GPU_CHECK_BUDGET:-420}
if [ -n "${OUT:-}" ]; then
    REPORT="$OUT/gpu.md"
    LOG="$OUT/gpu.log"
else
    REPORT="results/benchmarks/gpu.md"
    LOG="/tmp/gpu_check.log"
fi

WHEELS=""
for dir in ${WHEELHOUSE:-} build/wheels .whl; do
    if [ -d "$dir" ] && compgen -G "$dir/*.whl" >/dev/null; then
        WHEELS=$(cd "$dir" && pwd)
        break
    fi
done

gpu_jax() {  # does python "$1" import a JAX that sees a GPU (any JAX with GPU_CHECK_ALLOW_CPU=1)?
    "$1" -c 'import jax, os, sys
sys.exit(jax.default_backend() != "gpu" and os.environ.get("GPU_CHECK_ALLOW_CPU") != "1")' \
        >/dev/null 2>&1
}

PY=""
for candidate in ${PYTHON:-} python3 /opt/torch/.venv/bin/python3 python; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if gpu_jax "$candidate"; then
        PY=$(command -v "$candidate")
        break
    fi
done

if [ -z "$PY" ]; then
    if [ -z "$WHEELS" ]; then
        echo "gpu.sh: no python here imports a JAX that sees a GPU, and there is no" >&2
        echo "wheelhouse (build/wheels); see the comment at the top of this script" >&2
        exit 2
    fi
    echo "gpu.sh: no GPU JAX found; installing the wheelhouse $WHEELS into /tmp/munsell-gpu-venv"
    python3 -m venv /tmp/munsell-gpu-venv || exit 2
    /tmp/munsell-gpu-venv/bin/python -m pip install -q --no-index --find-links "$WHEELS" \
        "jax[cuda12]" flax optax orbax-checkpoint ml_collections tqdm scipy numpy \
        colour-science || exit 2
    PY=/tmp/munsell-gpu-venv/bin/python
    gpu_jax "$PY" || { echo "gpu.sh: the installed JAX sees no GPU" >&2; exit 2; }
elif [ -n "$WHEELS" ]; then
    # JAX stays the machine's (it matches its CUDA); the rest of the wheelhouse goes first.
    mapfile -t extra < <(ls "$WHEELS"/*.whl | grep -Ev '/(jax|jaxlib|jax_cuda[^/]*|jax_plugins|nvidia_[^/]*)-[^/]*\.whl$')
    if [ "${#extra[@]}" -gt 0 ]; then
        echo "gpu.sh: installing ${#extra[@]} wheel(s) from $WHEELS into /tmp/munsell-gpu-site"
        "$PY" -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
            --target /tmp/munsell-gpu-site "${extra[@]}" || exit 2
        export PYTHONPATH="/tmp/munsell-gpu-site${PYTHONPATH:+:$PYTHONPATH}"
    fi
fi
export PYTHONPATH="$REPO${PYTHONPATH:+:$PYTHONPATH}"  # munsell_jax from this checkout
export PYTHONUNBUFFERED=1

missing=$("$PY" - <<'EOF'
import importlib

needs = {
    "jax": "jax", "flax": "flax", "optax": "optax", "orbax.checkpoint": "orbax-checkpoint",
    "ml_collections": "ml_collections", "colour": "colour-science==0.4.7", "tqdm": "tqdm",
    "scipy": "scipy", "numpy": "numpy",
}
lacking = []
for module, package in needs.items():
    try:
        importlib.import_module(module)
    except Exception:
        lacking.append(package)
print(" ".join(lacking))
EOF
)
if [ -n "$missing" ]; then
    echo "gpu.sh: $PY lacks: $missing" >&2
    echo "put their wheels in build/wheels (command at the top of this script) and carry it" >&2
    exit 2
fi

echo "gpu.sh: $PY ($("$PY" -c 'import jax; print("jax", jax.__version__, jax.devices())'))"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total \
    --format=csv,noheader
mkdir -p "$(dirname "$REPORT")"
timeout --kill-after=15 "$LIMIT" "$PY" benchmarks/gpu.py --out "$REPORT" --budget "$BUDGET" \
    "$@" 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "gpu.sh: gpu.py ran past ${LIMIT} s and was stopped; $REPORT holds what it measured"
fi
echo "gpu.sh: report $REPORT, log $LOG (exit $status)"
exit "$status"
