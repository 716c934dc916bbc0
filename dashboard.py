"""Entry point: `streamlit run dashboard.py` (what `make run` ends in).

Every page runs in one frame (ui/navigation.py): the vi/en switch, the access gate (the sign-in screen,
"no access", or who is signed in, per CCHC_ACCESS_MODE: docs/security.md), the demo-data label and the
time the data were published, then the page the address names. The page registry, with a stable URL slug
per page (the same in both languages: permalinks survive translated titles), is ui/navigation.py's PAGES.
"""

from ui import navigation

navigation.main()
