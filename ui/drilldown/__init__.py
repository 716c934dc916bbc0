"""The drill-down page's four rooms, one module each: from a unit's total down to what it is made of.

    ROOMS[index].show(room)      index: 766 | par | sipas | papi; room: the year and what the page chose

- service_766: total, band and rank → six groups → metrics → the procedures (or fields) that cost the most
  points on a chosen metric (procedure_cost_766).
- par_index: index, score and rank → areas → the criteria of a chosen area.
- sipas: the overall index with its 95 % interval and n → elements with intervals; estimates from fewer than
  30 respondents read "không đủ mẫu"; the 2022 instrument change is noted.
- papi: the province's total and rank → dimensions → sub-dimensions, the best province alongside.

Each room reads its filters (bound to the URL), fetches its queries and shows its charts (ui/charts/,
one builder module per index); pages/chi-so.py chooses the index and the year and opens the room.
"""

from ui.drilldown import papi, par_index, service_766, sipas
from ui.drilldown.room import INDEX_INDICATOR, INDEXES, Room

ROOMS = {"766": service_766, "par": par_index, "sipas": sipas, "papi": papi}

__all__ = ["INDEXES", "INDEX_INDICATOR", "ROOMS", "Room"]
