"""munsell_jax.nn: every architecture builds, counts its parameters and runs a batch."""

import pytest
from flax import nnx

from munsell_jax.cli import main
from munsell_jax.nn import ARCHITECTURES, architectures_table, get_model


def test_table_lists_every_architecture_and_every_forward_passes():
    table = architectures_table()
    assert "FAILED" not in table
    assert len(table.strip().splitlines()) == 2 + len(ARCHITECTURES)


def test_committed_table_is_current(tmp_path):
    from pathlib import Path

    assert main(["architectures", "--out", str(tmp_path / "a.md")]) == 0
    committed = Path(__file__).parents[1] / "results" / "architectures.md"
    assert (tmp_path / "a.md").read_text() == committed.read_text(), (
        "results/architectures.md is stale: run `munsell-jax architectures`"
    )


def test_unknown_family():
    with pytest.raises(ValueError, match="unknown model family"):
        get_model("nope", in_features=3, out_features=4, rngs=nnx.Rngs(0))
