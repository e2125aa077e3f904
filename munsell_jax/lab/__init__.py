"""The lab: how munsell_jax trains, evaluates, exports and reports its models.

It imports the core (``munsell_jax``) and never the reverse. Install its
dependencies with the extras of the job (``pip install 'munsell_jax[train]'``,
``[onnx]``, ``[export]``, ``[tune]``, ``[plots]``; ``[all]`` for everything):

- ``data``: samplers and the cached training sets (exact labels);
- ``objectives``: the converters' training losses;
- ``train``: ``train_and_evaluate(config, workdir)`` and ``load_run``;
- ``evaluate``: the one evaluation protocol; ``baselines``: the non-learned rows;
- ``export``: ONNX lowering and parity; ``ship``: a run into the package;
- ``report``, ``tune``, ``demo``, ``experiments`` and the ``munsell-jax`` CLI.
"""
