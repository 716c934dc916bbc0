"""Calibrated demo data, written the way one-stop-shop systems export it.

The demo is a source of export files, not a stage of the writer: `generate(out_dir, scale, seed)` writes
export-shaped files (Vietnamese headers, dd/mm/yyyy dates, Vietnamese status labels, channel 1/2/3,
booleans as Có/Không, 1/0 or x/blank, fake applicant names and phone numbers the loader must drop) and
returns them per load kind, in load order. `python -m etl demo` then loads every file through the normal
readers and validation, exactly like a real export (docs/demo-data.md).

The modules, by job:
- periods: the time frame (to the last complete month before a fixed "demo today") and the windows in
  which a unit receives dossiers; units: the units of both eras and their profiles; catalogue: procedure
  catalogues and their versions; dossiers: the counts of a unit's window and its dossiers; bad_rows:
  deliberately bad rows; feedback: petitions (PAKN); survey: SIPAS microdata; par: PAR Index scores;
  targets: plan targets; measures: queue tickets, one-stop offices and reform plans;
- calibration: the published facts and the scaling arithmetic; assumptions: year-level trends (plausible,
  not published); calendar: working days, holidays, seasons; sampling: shared random draws; vocabulary:
  fields, procedure names, names, survey questions; styles: each province's export headers and labels;
- files: CSV writing; exports: `generate`, every file per kind.

Calibration: at `scale=1` the published counts are exact; at smaller scales every count shrinks by the
scale and every stated rate stays exact to its stated precision. About 0.05 % extra rows per dossier file
are deliberately bad (date order, unknown unit, unreadable date, unknown status, ...) so the data-quality
page has content; they never touch the calibrated units, and their ids never collide with good rows
(the one exception: rows meant to be quarantined as duplicate ids repeat an id of the same file, after
it).

Generation is vectorised (numpy, polars), one unit-year at a time, so memory stays small at any scale,
and deterministic: every unit-year draws from its own `numpy.random.default_rng([seed, ...])` stream, and
the demo never reads the clock.

`generate_national(out_dir, dossiers, year)` writes, for the national bench only, the catalogues and
monthly dossier exports of every province, commune and department valid in a year (units.national_units),
with drawn profiles and the same drawing and export code: nothing in it is calibrated.
"""

from etl.demo.calibration import DEFAULT_SCALE, DEFAULT_SEED
from etl.demo.exports import LOAD_ORDER, generate, generate_national
from etl.demo.units import NATIONAL_YEAR

__all__ = ["DEFAULT_SCALE", "DEFAULT_SEED", "LOAD_ORDER", "NATIONAL_YEAR", "generate", "generate_national"]
