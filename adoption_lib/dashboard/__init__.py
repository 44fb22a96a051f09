"""The client dashboard: a selection of the released cube, and Voilà serving it.

* :mod:`~adoption_lib.dashboard.view`: the view of one selection and its widgets;
* :mod:`~adoption_lib.dashboard.waves`: every wave's data and the trend between them;
* :mod:`~adoption_lib.dashboard.serve`: ``adoption serve`` on 127.0.0.1 with a token;
* :mod:`~adoption_lib.dashboard.pool_handout`: a preheated kernel's idle clock restarts
  when a visitor takes it.
"""

# A package's __init__ imports nothing: a light module (the dashboard's, a notebook's)
# must never load its heavy siblings (DuckDB, scipy) by being imported.
__all__ = [
    "guarded_routes",
    "pool_handout",
    "serve",
    "view",
    "waves",
]
