"""munsell_jax: exact, differentiable CIE xyY <-> Munsell renotation and colour losses in JAX.

The flat public API. Arrays are ``[..., C]`` and broadcast over leading axes;
options are keyword-only. Conventions are colour-science's (see the README):
specifications ``[hue, value, chroma, code]`` with code 1=B ... 10=PB, greys
with chroma 0; xyY under illuminant C with Y in [0, 1].
"""

from munsell_jax.colorimetry import (
    ILLUMINANT_C_xy,
    ILLUMINANT_D65_xy,
    Lab_to_LCHab,
    Lab_to_xyY,
    Lab_to_XYZ,
    LCHab_to_Lab,
    XYZ_to_Lab,
    XYZ_to_xyY,
    delta_E_CIE1976,
    delta_E_CIE1994,
    delta_E_CIE2000,
    delta_E_loss,
    xyY_to_Lab,
    xyY_to_XYZ,
)
from munsell_jax.export import load_model
from munsell_jax.inverse import InverseResult, xyY_to_munsell
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
    renotation_valid,
    value_to_luminance,
)

__version__ = "0.1.0"

__all__ = [
    "HUE_FAMILIES",
    "ILLUMINANT_C_xy",
    "ILLUMINANT_D65_xy",
    "InverseResult",
    "LCHab_to_Lab",
    "Lab_to_LCHab",
    "Lab_to_XYZ",
    "Lab_to_xyY",
    "XYZ_to_Lab",
    "XYZ_to_xyY",
    "delta_E_CIE1976",
    "delta_E_CIE1994",
    "delta_E_CIE2000",
    "delta_E_loss",
    "family_code",
    "family_name",
    "format_munsell",
    "from_colour_specification",
    "is_grey",
    "load_model",
    "luminance_to_value",
    "maximum_chroma",
    "munsell_to_xyY",
    "normalise_specification",
    "parse_munsell",
    "parse_munsell_array",
    "renotation_valid",
    "to_colour_specification",
    "value_to_luminance",
    "xyY_to_Lab",
    "xyY_to_XYZ",
    "xyY_to_munsell",
]
