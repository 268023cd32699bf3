"""The statistics as computed before step 9, kept as the reference the fast path must match.

``groups``, ``activity`` and ``cards`` are the pre-step-9 modules of
:mod:`quizcalc.study.stats`, copied unchanged (only their imports point here).
"""
