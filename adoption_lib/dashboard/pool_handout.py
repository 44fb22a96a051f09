"""A preheated kernel handed to a visitor starts its idle clock at the hand-out.

Voilà never culls a kernel waiting in its pool, but the moment it hands one out, the
culler sees a kernel whose last activity was when the dashboard finished running,
which is as long ago as the pool has been waiting, with no browser connected yet. A
visitor who arrives after a quiet spell longer than the idle timeout is given that
kernel, and the culler (every quarter of the timeout) can shut it down before the
browser's websocket connects: the page then shows the widgets' text instead of the
dashboard. Written here because Voilà 0.5 has no setting for it.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from typing import Any


def restart_idle_clock_on_handout(kernel_manager: Any) -> None:
    """Make every kernel the pool hands out count as active from that moment.

    Parameters
    ----------
    kernel_manager
        Voilà's preheating kernel manager (``Voila.kernel_manager``): its
        ``get_rendered_notebook`` returns ``(render_task, rendered_cells, kernel_id)``
        and its ``get_kernel(kernel_id)`` the kernel whose ``last_activity`` the
        culler reads.
    """
    handout = kernel_manager.get_rendered_notebook

    @functools.wraps(handout)
    async def handout_fresh(*args: Any, **kwargs: Any) -> Any:
        handed = await handout(*args, **kwargs)
        kernel_id = handed[2]
        # the culler subtracts last_activity from an aware UTC now (jupyter_server._tz)
        kernel_manager.get_kernel(kernel_id).last_activity = datetime.now(UTC)
        return handed

    kernel_manager.get_rendered_notebook = handout_fresh
