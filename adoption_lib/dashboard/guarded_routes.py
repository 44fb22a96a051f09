"""Voilà's own routes that ask no token, given one: the preheat query socket and files.

Voilà 0.5 serves ``/voila/query/<kernel_id>`` (a websocket that hands a preheated kernel
its visitor's request, query string and token included) and ``/voila/files/...`` as
plain tornado handlers, outside jupyter_server's authentication. The handlers here are
the same ones with jupyter_server's :class:`JupyterHandler` in front, so that they
resolve the visitor from the token (or its login cookie) like every other route,
refuse anyone without it, and check the Host header. Written here because Voilà has no
setting for it.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.static_file_handler import AllowListFileHandler


class GuardedQuery(WebSocketMixin, RequestInfoSocketHandler, JupyterHandler):
    """The preheat query socket, for a visitor with the token only."""

    write_error = web.RequestHandler.write_error

    def set_default_headers(self) -> None:
        """No page headers on a websocket (as jupyter_server's kernel socket)."""

    async def get(self, *args: Any, **kwargs: Any) -> None:
        """Refuse the upgrade without a user (the token or its cookie)."""
        if self.current_user is None:
            raise web.HTTPError(403)
        await super().get(*args, **kwargs)


class GuardedFiles(JupyterHandler, AllowListFileHandler):
    """Voilà's allow-listed files, for a visitor with the token only."""

    # tornado's plain error page, as Voilà's own file handler gives (jupyter_server's
    # renders a template Voilà's environment does not have)
    write_error = web.RequestHandler.write_error

    async def get(self, path: str, include_body: bool = True) -> None:
        """Refuse without a user; then the allow list decides."""
        if self.current_user is None:
            raise web.HTTPError(403)
        await super().get(path, include_body)


#: Voilà's handler -> the guarded one
GUARDED = {RequestInfoSocketHandler: GuardedQuery, AllowListFileHandler: GuardedFiles}


def guard(handlers: list[Any]) -> list[Any]:
    """Voilà's handler list with its two unguarded handlers replaced by guarded ones.

    A Voilà upgrade that renames them would leave them unguarded: the serve tests
    request both routes without the token and expect 403.
    """
    out = []
    for route in handlers:
        if isinstance(route, tuple) and len(route) >= 2 and route[1] in GUARDED:
            route = (route[0], GUARDED[route[1]], *route[2:])
        out.append(route)
    return out
