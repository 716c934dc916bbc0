"""Builds the committed reference files from kept sources: `python -m etl.reference_build units` (make reference).

A development tool: it reads packages of the `dev` extra (vietnamadminunits, shapely); the runtime reads only
the files it writes. Running it again on the same sources writes byte-identical files (a test checks).
"""
