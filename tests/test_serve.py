"""``adoption serve``: safe defaults, checked without and with a running server."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from voila.app import Voila

import adoption_lib.dashboard.serve as serve_module
from adoption_lib.dashboard.serve import FILE_ALLOWLIST, serve_settings
from adoption_lib.errors import InputError


def test_loopback_by_default_with_a_generated_token(demo_dir: Path) -> None:
    settings = serve_settings(demo_dir, environ={})
    assert settings.ip == "127.0.0.1" and settings.token_generated and len(settings.token) >= 24
    assert settings.url == f"http://127.0.0.1:8866/?token={settings.token}"
    assert all(settings.token not in arg for arg in settings.argv)  # never on a command line
    for flag in (
        "--Voila.port_retries=0",
        "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.allow_template_override=NO",
        "--VoilaConfiguration.allow_theme_override=NO",
        f"--VoilaConfiguration.file_allowlist={FILE_ALLOWLIST}",
    ):
        assert flag in settings.argv


def test_idle_timeout_sets_culling(demo_dir: Path) -> None:
    argv = serve_settings(demo_dir, idle_timeout=40, environ={}).argv
    assert "--MappingKernelManager.cull_idle_timeout=40" in argv
    assert "--MappingKernelManager.cull_interval=10" in argv
    assert "--MappingKernelManager.cull_interval=60" in serve_settings(demo_dir, environ={}).argv
    with pytest.raises(InputError, match="--idle-timeout 2: must be at least 5 seconds"):
        serve_settings(demo_dir, idle_timeout=2, environ={})


def test_token_from_the_environment(demo_dir: Path) -> None:
    settings = serve_settings(demo_dir, environ={"ADOPTION_TOKEN": "s3cret-token-value"})
    assert settings.token == "s3cret-token-value" and not settings.token_generated


def test_off_loopback_needs_tls_or_a_proxy(demo_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="give --certfile and --keyfile, or --behind-tls-proxy"):
        serve_settings(demo_dir, ip="0.0.0.0", environ={})
    assert serve_settings(demo_dir, ip="0.0.0.0", behind_tls_proxy=True, environ={}).ip == "0.0.0.0"
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    with pytest.raises(InputError, match="--certfile and --keyfile go together"):
        serve_settings(demo_dir, ip="0.0.0.0", certfile=str(cert), environ={})
    with pytest.raises(InputError, match=r"--keyfile .*missing\.pem: file not found"):
        serve_settings(
            demo_dir,
            ip="0.0.0.0",
            certfile=str(cert),
            keyfile=str(tmp_path / "missing.pem"),
            environ={},
        )
    with pytest.raises(InputError, match="not an IP address"):
        serve_settings(demo_dir, ip="example.com", environ={})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str, token: str | None = None) -> int:
    """The status of a GET, without following redirects; with ``token``, follow them
    (carrying the token) and give the final status."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # report the redirect itself
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for _ in range(5):
        try:
            with opener.open(url, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            location = error.headers.get("Location")
            if token is None or error.code not in (301, 302, 307, 308) or not location:
                return error.code
            base = url.split("/", 3)
            url = f"{base[0]}//{base[2]}{location}"
            url += ("&" if "?" in url else "?") + f"token={token}"
    return 0


def _start(demo_dir: Path, *extra: str) -> tuple[subprocess.Popen, int, str]:
    """Start `adoption serve` on a free port; wait until it listens (127.0.0.1 only)."""
    port = _free_port()
    token = "test-token-" + os.urandom(6).hex()
    exe = Path(sys.executable).with_name("adoption")
    process = subprocess.Popen(
        [str(exe), "serve", str(demo_dir), "--port", str(port), *extra],
        env={**os.environ, "ADOPTION_TOKEN": token},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 240  # the server assesses every wave before it listens
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, port, token
        time.sleep(0.3)
    process.kill()
    pytest.fail(
        "adoption serve did not start: " + (process.stdout.read() if process.stdout else "")
    )


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(demo_dir: Path):
    process, port, token = _start(demo_dir)
    yield f"http://127.0.0.1:{port}", token
    _stop(process)


def test_off_loopback_a_request_without_the_token_is_refused(demo_dir: Path) -> None:
    # bound to every interface (behind a TLS proxy); probed on 127.0.0.1 only
    process, port, token = _start(demo_dir, "--ip", "0.0.0.0", "--behind-tls-proxy")
    try:
        assert _status(f"http://127.0.0.1:{port}/") in (302, 401, 403)
        assert _status(f"http://127.0.0.1:{port}/?token={token}") == 200
    finally:
        _stop(process)


def test_tls_with_certfile_and_keyfile(demo_dir: Path, tmp_path: Path) -> None:
    import ssl

    openssl = shutil.which("openssl")
    assert openssl, "Debian's openssl is needed to make a test certificate"
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    process, port, token = _start(demo_dir, "--certfile", str(cert), "--keyfile", str(key))
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with urllib.request.urlopen(
            f"https://127.0.0.1:{port}/?token={token}", context=context, timeout=60
        ) as response:
            assert response.status == 200
        with pytest.raises(OSError):  # plain HTTP is not served (reset or refused)
            urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=10)
    finally:
        _stop(process)


def test_server_requires_the_token(server) -> None:
    base, token = server
    assert _status(f"{base}/") in (302, 401, 403)
    assert _status(f"{base}/?token=wrong") in (302, 401, 403)
    assert _status(f"{base}/?token={token}") == 200


def _get(base: str, path: str, headers: dict[str, str]) -> int:
    """The status of one GET with the given headers (no redirect followed)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_preheat_query_socket_needs_the_token(server) -> None:
    # Voilà's /voila/query/<kernel> hands a preheated kernel its visitor's request,
    # token included: without the token the websocket upgrade is refused
    base, token = server
    kernel = "0b0e6f36-2f1c-4b5e-9d3f-2a8f0c7d1e11"
    upgrade = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    }
    assert _get(base, f"/voila/query/{kernel}", upgrade) in (302, 403)
    assert _get(base, f"/voila/query/{kernel}?token=wrong", upgrade) in (302, 403)
    assert _get(base, f"/voila/query/{kernel}?token={token}", upgrade) == 101


def test_files_need_the_token_even_when_allow_listed(server) -> None:
    base, token = server
    assert _get(base, "/voila/files/picture.png", {}) in (302, 403)  # to the login, or refused
    assert _get(base, f"/voila/files/picture.png?token={token}", {}) == 404  # not there


def test_a_foreign_host_header_is_refused_on_loopback(server) -> None:
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 gets nothing back
    base, token = server
    assert _get(base, f"/?token={token}", {"Host": "evil.example"}) == 403
    assert _get(base, f"/?token={token}", {"Host": base.removeprefix("http://")}) == 200


@pytest.mark.parametrize(
    "path",
    [
        "engagement.yml",
        "exports/roster.csv",
        "exports/usage/LoginHistory.csv",
        "private/hmac.key",
        "../../examples/northwind/engagement.yml",
    ],
)
def test_engagement_files_cannot_be_fetched(server, path: str) -> None:
    base, token = server
    for prefix in ("voila/files", "files", "voila/static"):
        assert _status(f"{base}/{prefix}/{path}?token={token}", token) in (403, 404), (
            prefix,
            path,
        )


@pytest.mark.browser
def test_dashboard_renders_filters_and_withholds(server, browser, artifacts: Path) -> None:
    base, token = server
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    requests: list[str] = []  # every request the page makes: nothing leaves the machine
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base}/?token={token}")
    page.wait_for_selector(".kpis[data-selection='(all)|(all)']", timeout=90_000)
    assert page.locator("text=Traceback").count() == 0
    assert page.locator("text=Error").count() == 0
    titles = page.locator(".panel h2").all_inner_texts()
    assert titles == [
        "Motivation mix",
        "Barrier heat map by department",
        "4+1 Keys scorecard",
        "Weekly adoption curve",
        "Adoption segments",
        "Trend across waves",  # the demo has a day90 wave
        "Action plan",
    ]
    assert page.locator(".kpis").get_attribute("data-wave") == "day90"
    assert page.locator("h1").count() == 1 and "Northwind" in page.locator("h1").inner_text()
    assert page.locator(".panel svg polyline").count() >= 1
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    before = page.locator(".kpis").inner_text()
    plan_before = page.locator(".plan").inner_text()
    heat_before = page.locator(".heat").inner_text()
    page.locator("select").first.select_option("Service")
    page.wait_for_selector(".kpis[data-selection='Service|(all)']", timeout=10_000)
    assert "100\nLicensed users" in page.locator(".kpis").inner_text()
    assert page.locator(".kpis").inner_text() != before
    assert page.locator(".heat .selected").count() > 0 and page.locator(".heat").inner_text() == (
        heat_before
    )  # the same departments, the chosen one outlined
    page.locator("select").nth(2).select_option("baseline")  # the wave selector
    page.wait_for_selector(".kpis[data-wave='baseline'][data-selection='Service|(all)']")
    assert "79%" in page.locator(".kpis").inner_text()  # Service, active in 30 days at baseline
    page.locator("select").first.select_option("Field Sales")
    page.wait_for_selector(".kpis[data-selection='Field Sales|(all)']", timeout=10_000)
    assert page.locator(".plan").inner_text() != plan_before  # fewer actions reach Field Sales
    page.locator("select").nth(1).select_option("executive")
    page.wait_for_selector(".withheld[data-selection='Field Sales|executive']", timeout=10_000)
    assert "Too few people to show" in page.locator(".withheld").inner_text()
    assert page.locator(".panel").count() == 0 and page.locator(".kpi").count() == 0
    page.screenshot(path=str(artifacts / "dashboard-withheld.png"))
    page.close()
    outside = [u for u in requests if not u.startswith((base, "data:", "blob:"))]
    assert len(requests) > 5 and outside == [], outside  # no font, script or image elsewhere


@pytest.mark.parametrize("chosen", [True, False])
def test_the_token_is_printed_only_when_generated(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, chosen: bool
) -> None:
    launched: dict[str, str] = {}
    monkeypatch.setattr(sys, "argv", list(sys.argv))  # serve() sets both for Voilà
    monkeypatch.setenv("ADOPTION_ENGAGEMENT", "")
    monkeypatch.setattr(serve_module, "dashboard_data", lambda engagement: None)
    monkeypatch.setattr(
        Voila, "launch_instance", classmethod(lambda cls, argv, token: launched.update(token=token))
    )
    environ = {"ADOPTION_TOKEN": "a-token-the-consultant-chose"} if chosen else {}
    settings = serve_settings(demo_dir, environ=environ)
    serve_module.serve(settings)
    printed = capsys.readouterr().out
    assert launched["token"] == settings.token  # Voilà gets it either way
    assert "Open http://127.0.0.1:8866/" in printed
    assert (settings.token in printed) is (not chosen)
