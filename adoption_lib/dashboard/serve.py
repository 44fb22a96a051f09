"""``adoption serve``: the client dashboard on Voilà, safe by default.

* Bound to 127.0.0.1 unless ``--ip`` says otherwise.
* A token is always required: ``$ADOPTION_TOKEN``, or one generated and printed once. It
  is never a command-line argument (``ps`` would show it), not even to Voilà, which runs
  in this process.
* Off loopback, TLS is required: ``--certfile`` and ``--keyfile``, or an explicit
  ``--behind-tls-proxy`` when a TLS reverse proxy terminates the connection.
* Tracebacks, template and theme overrides are off; only image files may be fetched,
  with the token, like the preheat query socket; on loopback the Host header is checked;
  idle kernels are culled; ``port_retries=0`` (the given port or nothing).
* The engagement reaches the kernel through its environment (``$ADOPTION_ENGAGEMENT``),
  never through a query string.
* Every wave is assessed before the server listens (into the per-user cache the
  kernels read), and one kernel keeps the dashboard already run.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import ssl
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voila.app import Voila

from adoption_lib.config.engagement import load_engagement
from adoption_lib.dashboard.guarded_routes import guard
from adoption_lib.dashboard.pool_handout import restart_idle_clock_on_handout
from adoption_lib.dashboard.waves import dashboard_data
from adoption_lib.errors import InputError
from adoption_lib.reports.run import notebooks_dir

ENGAGEMENT_ENV = "ADOPTION_ENGAGEMENT"
TOKEN_ENV = "ADOPTION_TOKEN"
#: Only images may be fetched from the server's folder (the dashboard embeds its figures).
FILE_ALLOWLIST = r".*\.(png|jpg|jpeg|gif|svg)$"
IDLE_KERNEL_SECONDS = 600
CELL_TIMEOUT_SECONDS = 120


@dataclass
class ServeSettings:
    """Everything ``adoption serve`` starts Voilà with (the token kept out of argv)."""

    notebook: Path
    engagement: Path
    ip: str
    port: int
    token: str
    token_generated: bool
    certfile: Path | None
    keyfile: Path | None
    argv: list[str]

    @property
    def url(self) -> str:
        """The address to open, token included."""
        scheme = "https" if self.certfile else "http"
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{scheme}://{host}:{self.port}/?token={self.token}"


def is_loopback(ip: str) -> bool:
    """Whether an address only accepts connections from this machine."""
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        raise InputError(f"--ip {ip!r} is not an IP address") from None


def serve_settings(
    engagement: str | Path,
    *,
    port: int = 8866,
    ip: str = "127.0.0.1",
    certfile: str | None = None,
    keyfile: str | None = None,
    behind_tls_proxy: bool = False,
    idle_timeout: int = IDLE_KERNEL_SECONDS,
    environ: dict[str, str] | None = None,
) -> ServeSettings:
    """Check the serving options and work out Voilà's settings.

    ``idle_timeout`` is how long (seconds) a visitor's kernel may sit idle with no
    browser connected before it is shut down; culling checks every quarter of that
    (at most every minute).

    Raises
    ------
    InputError
        Off loopback without TLS (or ``--behind-tls-proxy``); a certificate without its
        key; a certificate or key file that does not exist; a bad port or idle timeout.
    """
    env = os.environ if environ is None else environ
    loaded = load_engagement(engagement)
    if not 1 <= port <= 65535:
        raise InputError(f"--port {port}: must be between 1 and 65535")
    if idle_timeout < 5:
        raise InputError(f"--idle-timeout {idle_timeout}: must be at least 5 seconds")
    if bool(certfile) != bool(keyfile):
        raise InputError("--certfile and --keyfile go together")
    for flag, path in (("--certfile", certfile), ("--keyfile", keyfile)):
        if path and not Path(path).is_file():
            raise InputError(f"{flag} {path}: file not found")
    if not is_loopback(ip) and not certfile and not behind_tls_proxy:
        raise InputError(
            f"serving on {ip} sends the client's data over the network: give --certfile "
            "and --keyfile, or --behind-tls-proxy when a TLS reverse proxy is in front"
        )
    token = env.get(TOKEN_ENV, "")
    generated = not token
    token = token or secrets.token_urlsafe(24)
    notebook = notebooks_dir() / "dashboard.ipynb"
    argv = [
        str(notebook),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--VoilaConfiguration.file_allowlist={FILE_ALLOWLIST}",
        # one kernel keeps the dashboard already run, so a visitor waits for no kernel
        # start nor data load; Voilà starts the next one as soon as it is taken, and
        # never culls a kernel waiting in the pool (nor, see pool_handout, one just
        # taken)
        "--VoilaConfiguration.preheat_kernel=True",
        "--template=adoption",  # "lab" without its CDN stylesheets (templates/voila/)
        "--theme=light",
        f"--MappingKernelManager.cull_idle_timeout={idle_timeout}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, idle_timeout // 4))}",
        f"--NotebookClient.timeout={CELL_TIMEOUT_SECONDS}",
    ]
    return ServeSettings(
        notebook,
        loaded.folder,
        ip,
        port,
        token,
        generated,
        Path(certfile) if certfile else None,
        Path(keyfile) if keyfile else None,
        argv,
    )


def serve(settings: ServeSettings) -> None:
    """Run Voilà in this process until interrupted (token and TLS set on the app object)."""

    class SecureVoila(Voila):
        """Voilà with TLS, Host checking and every route behind the token.

        Its standalone ``listen`` passes no ``ssl_options`` to tornado; its settings
        turn Host checking off; two of its routes ask no token.
        """

        def listen(self) -> None:
            if settings.certfile and settings.keyfile:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(str(settings.certfile), str(settings.keyfile))
                plain = type(self.app).listen
                self.app.listen = lambda port, address="", **kw: plain(  # type: ignore[method-assign]
                    self.app, port, address, ssl_options=context, **kw
                )
            super().listen()

        def init_settings(self) -> dict[str, Any]:
            out = super().init_settings()
            # bound to loopback, only a local Host header is answered (DNS rebinding)
            out["allow_remote_access"] = not is_loopback(settings.ip)
            # a kernel handed out after a quiet spell is not culled before it connects
            restart_idle_clock_on_handout(self.kernel_manager)
            return out

        def init_handlers(self) -> list[Any]:
            return guard(super().init_handlers())  # the query socket and files need the token

    os.environ[ENGAGEMENT_ENV] = str(settings.engagement)
    # the dashboard's own Voilà template (no request off the server) is found here
    shipped = str(Path(__file__).resolve().parents[1] / "templates")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        [shipped, *filter(None, [os.environ.get("JUPYTER_PATH")])]
    )
    # Assess every wave now, into the per-user cache the dashboard's kernels read, so
    # that the address is printed only when a visitor would not wait for it.

    print("Preparing the dashboard's data (each wave's client cube)...", flush=True)
    dashboard_data(settings.engagement)
    if settings.token_generated:
        print(f"Token (printed once; set {TOKEN_ENV} to choose your own): {settings.token}")
    # the token is printed only when it was generated: one the consultant chose stays theirs
    address = settings.url if settings.token_generated else settings.url.split("?")[0]
    suffix = "" if settings.token_generated else f" (with ?token= and ${TOKEN_ENV})"
    print(f"Open {address}{suffix}", flush=True)
    sys.argv = ["adoption-serve"]
    SecureVoila.launch_instance(argv=settings.argv, token=settings.token)
