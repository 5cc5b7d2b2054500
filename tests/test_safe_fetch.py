"""Fetching that stays outside (issue 24): `make offline`, `make checksums` and `make linkcheck`
never ask the build machine or its networks for an address a pull request wrote, however it is
spelled, not even after a redirect; they connect to the address they checked, and TLS still
checks the certificate against the host name. A local server on 127.0.0.1 plays both the
allowed test host (OFFLINE_FETCH_HOSTS=127.0.0.1) and the machine an attacker aims at."""

from __future__ import annotations

import http.server
import io
import shutil
import socket
import ssl
import subprocess
from collections import Counter
from contextlib import redirect_stdout
from types import SimpleNamespace

import pytest
import requests

from conftest import run_in_background
from pim import safe_fetch
from pim.fetch import Cache, Downloader, Limits

PDF = b"%PDF-1.4\n% a document\n" + b"7" * 1000


class Handler(http.server.BaseHTTPRequestHandler):
    hits: Counter = Counter()
    hosts: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits[self.path] += 1
        type(self).hosts.append(self.headers.get("Host"))
        port = self.server.server_address[1]
        targets = {"/to-decimal": f"http://2130706433:{port}/report.pdf",
                   "/to-localhost": f"http://localhost:{port}/report.pdf",
                   "/to-metadata": "http://169.254.169.254/latest/meta-data/",
                   "/hop": "/report.pdf"}
        if self.path in targets:
            self.send_response(302)
            self.send_header("Location", targets[self.path])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/report.pdf":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/pdf")
        self.send_header("Content-Length", str(len(PDF)))
        self.end_headers()
        self.wfile.write(PDF)


def serve(server: http.server.HTTPServer):
    server.daemon_threads = True
    run_in_background(server)


@pytest.fixture
def local_server():
    Handler.hits.clear()
    Handler.hosts.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    serve(server)
    yield SimpleNamespace(port=server.server_address[1], hits=Handler.hits, hosts=Handler.hosts)
    server.shutdown()
    server.server_close()


# Every way of writing an address of this machine or its networks that a contributor could use.
REFUSED = [
    "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.1", "0", "localhost",
    "::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::127.0.0.1", "64:ff9b::127.0.0.1", "2002:7f00:1::1",
    "169.254.169.254", "::ffff:169.254.169.254", "2852039166",
    "10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "100.127.255.254",
    "0.0.0.0", "::", "224.0.0.1", "ff02::1", "240.0.0.1", "255.255.255.255",
    "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::ffff:192.168.0.1",
]


@pytest.mark.parametrize("host", REFUSED)
def test_every_spelling_of_a_private_address_is_refused(host):
    with pytest.raises(safe_fetch.RefusedAddress, match=r"^refused: private address \("):
        safe_fetch.checked_address(host, 80)


@pytest.mark.parametrize("host", ["93.184.215.14", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_are_kept_as_they_are(host):
    assert safe_fetch.checked_address(host, 443) == host


def test_a_name_with_one_private_address_among_public_ones_is_refused(monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolve", lambda host, port: ["8.8.8.8", "10.1.1.1"])
    with pytest.raises(safe_fetch.RefusedAddress, match=r"\(10\.1\.1\.1\)"):
        safe_fetch.checked_address("mixed.example", 443)


def test_a_host_named_in_offline_fetch_hosts_may_be_private():
    assert safe_fetch.checked_address("127.0.0.1", 80, ("127.0.0.1",)) == "127.0.0.1"
    assert safe_fetch.allowed_hosts({"OFFLINE_FETCH_HOSTS": " 127.0.0.1 , Docs.Local"}) == ("127.0.0.1", "docs.local")


FORMS = ["127.1", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "localhost", "127.0.0.1"]


@pytest.mark.parametrize("host", FORMS)
def test_a_product_file_on_the_build_machine_is_listed_as_refused_and_never_asked(tmp_path, local_server, host):
    url = f"http://{host}:{local_server.port}/report.pdf"
    downloader = Downloader(Cache(tmp_path / "cache"), Limits())  # no OFFLINE_FETCH_HOSTS: the real setting
    outcome = downloader.get(url)
    assert (outcome.status, outcome.reason) == ("failed", "refused: private address (" +
                                                 ("::ffff:127.0.0.1" if "::" in host else "127.0.0.1") + ")")
    assert local_server.hits == Counter()  # not a single request reached the machine
    again = Downloader(Cache(tmp_path / "cache"), Limits())
    assert again.get(url) == outcome and again.requests == 0  # cached like any failure (OFFLINE_REFRESH=1 asks again)


@pytest.mark.parametrize("path", ["/to-decimal", "/to-localhost", "/to-metadata"])
def test_a_redirect_to_a_private_address_is_refused_at_that_hop(tmp_path, local_server, path):
    limits = Limits.from_environment({"OFFLINE_FETCH_HOSTS": "127.0.0.1"})  # only the first hop's host
    downloader = Downloader(Cache(tmp_path / "cache"), limits)
    outcome = downloader.get(f"http://127.0.0.1:{local_server.port}{path}")
    assert outcome.status == "failed"
    assert outcome.reason.startswith("refused: private address ("), outcome.reason
    assert local_server.hits == Counter({path: 1})  # the document behind the redirect was not asked for


def test_each_hop_is_resolved_once_and_connected_to_the_checked_address(tmp_path, local_server, monkeypatch):
    asked = []

    def resolver(host, port):  # a name the system cannot resolve: only the pinned address can work
        asked.append((host, port))
        return ["127.0.0.1"]

    system_lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):  # what the connection itself looks up
        system_lookups.append(host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(safe_fetch, "resolve", resolver)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    limits = Limits.from_environment({"OFFLINE_FETCH_HOSTS": "docs.pim.invalid"})
    outcome = Downloader(Cache(tmp_path / "cache"), limits).get(f"http://docs.pim.invalid:{local_server.port}/hop")
    assert outcome.ok and outcome.size == len(PDF)
    assert asked == [("docs.pim.invalid", local_server.port)] * 2  # two hops, one lookup each
    assert "docs.pim.invalid" not in system_lookups and "127.0.0.1" in system_lookups  # no second lookup
    assert local_server.hosts == [f"docs.pim.invalid:{local_server.port}"] * 2  # the server heard the name


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """A self-signed certificate for docs.pim.test (openssl, as the machine has it)."""
    folder = tmp_path_factory.mktemp("tls")
    openssl = shutil.which("openssl")
    assert openssl, "openssl is needed to make a test certificate"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=docs.pim.test",
                    "-addext", "subjectAltName=DNS:docs.pim.test", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    return folder


@pytest.fixture
def tls_server(tls_files, local_server):
    names = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files / "cert.pem", tls_files / "key.pem")
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    serve(server)
    yield SimpleNamespace(port=server.server_address[1], names=names, cert=str(tls_files / "cert.pem"))
    server.shutdown()
    server.server_close()


def test_https_to_a_pinned_address_sends_the_name_and_checks_the_certificate_for_it(tls_server, monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolve", lambda host, port: ["127.0.0.1"])
    session = safe_fetch.session("test", ("docs.pim.test", "other.pim.test"))
    session.verify = tls_server.cert
    response = session.get(f"https://docs.pim.test:{tls_server.port}/report.pdf", timeout=5)
    assert response.content == PDF
    assert tls_server.names == ["docs.pim.test"]  # SNI: the name, not the pinned address
    with pytest.raises(requests.exceptions.SSLError):  # the certificate is not for this name
        session.get(f"https://other.pim.test:{tls_server.port}/report.pdf", timeout=5)


def test_make_checksums_lists_a_private_address_as_refused_and_leaves_the_file_alone(tmp_path, local_server,
                                                                                     monkeypatch):
    from conftest import ROOT, write_data_project
    from pim.checksums import main

    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    url = f"http://0x7f000001:{local_server.port}/report.pdf"
    path = project / "products" / "local.md"
    text = ("---\ntitle: Local\nsummary: A file on the build machine.\ntype: guidance\npublished: \"2022-03\"\n"
            f"producers: [pim-community]\neditions:\n  - language: en\n    files:\n"
            f"      - {{label: Report, format: PDF, url: \"{url}\"}}\n---\n\nBody.\n")
    path.write_text(text, encoding="utf-8")
    monkeypatch.delenv("OFFLINE_FETCH_HOSTS", raising=False)
    monkeypatch.chdir(project)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main([str(project)]) == 0  # the run goes on, like any file that could not be fetched
    assert f"products/local.md:10: {url}: refused: private address (127.0.0.1)" in out.getvalue()
    assert path.read_text(encoding="utf-8") == text and local_server.hits == Counter()
