"""Research projects built on munsell_jax, outside the core and the lab.

``representations``: the colour-representation experiments (extra
``[representations]``).
"""
