"""The client dashboard: a selection of the released cube, and Voilà serving it.

* :mod:`~adoption_lib.dashboard.view`: the view of one selection and its widgets;
* :mod:`~adoption_lib.dashboard.waves`: every wave's data and the trend between them;
* :mod:`~adoption_lib.dashboard.serve`: ``adoption serve`` on 127.0.0.1 with a token.
"""

from adoption_lib.dashboard.serve import serve, serve_settings
from adoption_lib.dashboard.view import build_dashboard, dashboard_view
from adoption_lib.dashboard.waves import dashboard_data

__all__ = ["build_dashboard", "dashboard_data", "dashboard_view", "serve", "serve_settings"]
