#!/usr/bin/env bash
# What a user of the core gets: `pip install <checkout>` (no extras) into a
# fresh virtual environment, then the public API used from outside the checkout.
# Prints the number of installed packages and fails if any lab-only package came
# with the core or if a shipped model does not load from the installed wheel.
#
#     bash scripts/check_core_install.sh
set -euo pipefail
checkout=$(cd "$(dirname "$0")/.." && pwd)
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -c "$checkout/requirements.lock" "$checkout"
packages=$("$venv/bin/python" -m pip list --format=freeze | grep -vc '^pip=')
echo "packages installed with the core: $packages"
if "$venv/bin/python" -m pip list --format=freeze \
  | grep -iE '^(optuna|scikit-image|matplotlib|jax2onnx|onnx|onnxruntime|tfp-nightly|tensorflow-probability|mlflow)='; then
  echo "a lab-only package came with the core" >&2
  exit 1
fi
cd "$(dirname "$venv")"
"$venv/bin/python" - <<'PY'
import numpy as np

import munsell_jax as mj

assert "site-packages" in mj.__file__, mj.__file__
images = np.random.default_rng(0).uniform(size=(2, 4, 4, 3)).astype(np.float32)
print("delta_e_loss (sRGB):", float(mj.delta_e_loss(images, images[::-1], space="sRGB")))
print("munsell_to_xyY:", np.asarray(mj.munsell_to_xyY(np.array([5.0, 5.0, 10.0, 7.0]))))
print("xyY_to_munsell:", np.asarray(mj.xyY_to_munsell(np.array([0.3, 0.35, 0.2])).specification))
hybrid = mj.xyY_to_munsell(np.array([0.3, 0.35, 0.2]), init="model")
print("xyY_to_munsell(init='model'):", np.asarray(hybrid.specification))
for name in mj.shipped_models():
    width = 3 if name.startswith("from_xyY") else 4
    out = mj.load_model(name, backend="jax")(np.full((2, width), 0.3, np.float32))
    print(f"load_model({name!r}): {out.shape}")
try:
    mj.load_model("to_xyY/exact", backend="onnx")
except ImportError as error:
    print("backend='onnx' without the extra:", error)
PY
