"""munsell_jax.nn: every architecture builds, counts its parameters and runs a batch."""

import pytest
from flax import nnx

from munsell_jax.cli import main
from munsell_jax.nn import ARCHITECTURES, get_model


def test_committed_table_is_current_and_every_forward_passes(tmp_path):
    from pathlib import Path

    assert main(["architectures", "--out", str(tmp_path / "a.md")]) == 0
    table = (tmp_path / "a.md").read_text()
    assert "FAILED" not in table
    assert sum(
        line.startswith("| from_xyY") or line.startswith("| to_xyY") for line in table.splitlines()
    ) == len(ARCHITECTURES)
    committed = Path(__file__).parents[1] / "results" / "architectures.md"
    assert table == committed.read_text(), (
        "results/architectures.md is stale: run `munsell-jax architectures`"
    )


def test_unknown_family():
    with pytest.raises(ValueError, match="unknown model family"):
        get_model("nope", in_features=3, out_features=4, rngs=nnx.Rngs(0))
