"""munsell_jax: exact, differentiable CIE xyY <-> Munsell renotation and colour losses in JAX.

The flat public API. Arrays are ``[..., C]`` and broadcast over leading axes
(``[B, H, W, 3]`` images included); options are keyword-only; random keys,
where a function takes one, come first and are named ``key``. Conventions are
colour-science's (see the README): specifications ``[hue, value, chroma,
code]`` with code 1=B ... 10=PB, greys with chroma 0; xyY under illuminant C
with Y in [0, 1]; sRGB gamma-encoded in [0, 1] with its own white, D65.

- conversions and Delta-E: ``munsell_jax.colorimetry`` (xyY, XYZ, Lab, LCHab,
  sRGB, linear RGB, HSV; CIE 1976/1994/2000);
- Munsell: ``munsell_to_xyY`` (exact forward), ``xyY_to_munsell`` (solver),
  notation helpers;
- shipped models (``munsell_jax.hub``): ``shipped_models``, ``load_model``
  (numpy callables, JAX or ONNX), ``load_converter`` and ``approximator``
  (Flax NNX modules);
- colour losses for any JAX model: ``munsell_jax.losses`` (``delta_e_loss``,
  ``munsell_delta_e_loss``, ``charbonnier_loss``, ``ab_huber_loss``,
  ``hsv_loss``, ``colour_histogram_loss``, ``colour_diversity_loss``,
  ``frequency_loss``; ``DeltaELoss``, the Flax NNX layer of ``delta_e_loss``).
"""

from munsell_jax.colorimetry import (
    HSV_to_RGB,
    ILLUMINANT_C_xy,
    ILLUMINANT_D65_xy,
    Lab_to_LCHab,
    Lab_to_sRGB,
    Lab_to_xyY,
    Lab_to_XYZ,
    LCHab_to_Lab,
    RGB_to_HSV,
    XYZ_to_Lab,
    XYZ_to_linear_RGB,
    XYZ_to_sRGB,
    XYZ_to_xyY,
    delta_E,
    delta_E_CIE1976,
    delta_E_CIE1994,
    delta_E_CIE2000,
    delta_E_loss,  # noqa: F401  deprecated for delta_e_loss; importable, not in __all__
    linear_RGB_to_sRGB,
    linear_RGB_to_XYZ,
    sRGB_to_Lab,
    sRGB_to_linear_RGB,
    sRGB_to_XYZ,
    xyY_to_Lab,
    xyY_to_XYZ,
)
from munsell_jax.compilation import enable_compilation_cache
from munsell_jax.hub import approximator, load_converter, load_model, shipped_models
from munsell_jax.inverse import InverseResult, xyY_to_munsell
from munsell_jax.losses import (
    DeltaELoss,
    ab_huber_loss,
    charbonnier_loss,
    colour_diversity_loss,
    colour_histogram_loss,
    delta_e,
    delta_e_loss,
    frequency_loss,
    hsv_loss,
    munsell_delta_e,
    munsell_delta_e_loss,
    soft_histogram,
)
from munsell_jax.notation import (
    HUE_FAMILIES,
    family_code,
    family_name,
    format_munsell,
    from_colour_specification,
    is_grey,
    normalise_specification,
    parse_munsell,
    parse_munsell_array,
    to_colour_specification,
)
from munsell_jax.renotation import (
    luminance_to_value,
    maximum_chroma,
    munsell_to_xyY,
    project_to_renotation,
    renotation_valid,
    value_to_luminance,
)

__version__ = "0.1.0"

__all__ = [
    "DeltaELoss",
    "HSV_to_RGB",
    "HUE_FAMILIES",
    "ILLUMINANT_C_xy",
    "ILLUMINANT_D65_xy",
    "InverseResult",
    "LCHab_to_Lab",
    "Lab_to_LCHab",
    "Lab_to_XYZ",
    "Lab_to_sRGB",
    "Lab_to_xyY",
    "RGB_to_HSV",
    "XYZ_to_Lab",
    "XYZ_to_linear_RGB",
    "XYZ_to_sRGB",
    "XYZ_to_xyY",
    "ab_huber_loss",
    "approximator",
    "charbonnier_loss",
    "colour_diversity_loss",
    "colour_histogram_loss",
    "delta_E",
    "delta_E_CIE1976",
    "delta_E_CIE1994",
    "delta_E_CIE2000",
    "delta_e",
    "delta_e_loss",
    "enable_compilation_cache",
    "family_code",
    "family_name",
    "format_munsell",
    "frequency_loss",
    "from_colour_specification",
    "hsv_loss",
    "is_grey",
    "linear_RGB_to_XYZ",
    "linear_RGB_to_sRGB",
    "load_converter",
    "load_model",
    "luminance_to_value",
    "maximum_chroma",
    "munsell_delta_e",
    "munsell_delta_e_loss",
    "munsell_to_xyY",
    "normalise_specification",
    "parse_munsell",
    "parse_munsell_array",
    "project_to_renotation",
    "renotation_valid",
    "sRGB_to_Lab",
    "sRGB_to_XYZ",
    "sRGB_to_linear_RGB",
    "shipped_models",
    "soft_histogram",
    "to_colour_specification",
    "value_to_luminance",
    "xyY_to_Lab",
    "xyY_to_XYZ",
    "xyY_to_munsell",
]
