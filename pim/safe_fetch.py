"""Requests that stay outside the build machine: for `make offline`, `make checksums` and
`make linkcheck`, which ask for addresses a pull request wrote.

Each request's host is resolved once, here, and every address it stands for is checked with the
standard `ipaddress` module: loopback, private (RFC 1918), shared (CGNAT, 100.64/10), link-local
(169.254.169.254, the cloud metadata service), multicast, reserved and unspecified addresses are
refused, also when written inside an IPv6 address (::ffff:127.0.0.1, ::127.0.0.1, 6to4, NAT64).
Odd spellings of an IPv4 address (2130706433, 0x7f000001, 0177.0.0.1, 127.1) need no pattern:
the C library reads them into the address that is checked. The connection then goes to that
checked address (no second lookup that could answer differently), while TLS still checks the
certificate against the host name. Redirects go through the same adapter, so each hop is checked.

OFFLINE_FETCH_HOSTS names hosts that may be private (the tests serve from 127.0.0.1).
"""

from __future__ import annotations

import ipaddress
import os
import socket

import requests
from requests.adapters import HTTPAdapter

# IPv6 ranges that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Not global, yet not all marked so by every Python version: 6to4 relays (RFC 7526).
_ALSO_REFUSED = (ipaddress.ip_network("192.88.99.0/24"), ipaddress.ip_network("100.64.0.0/10"))


class RefusedAddress(requests.RequestException):
    """A host that stands for an address of the build machine or its network."""


def allowed_hosts(environ=os.environ) -> tuple[str, ...]:
    """OFFLINE_FETCH_HOSTS: comma-separated host names that may be private."""
    return tuple(h.strip().lower() for h in environ.get("OFFLINE_FETCH_HOSTS", "").split(",") if h.strip())


def _forms(address: ipaddress.IPv4Address | ipaddress.IPv6Address):
    """The address, and the IPv4 address an IPv6 one carries, if any."""
    yield address
    if address.version == 6:
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (int(address) >> 32 == 0 or address in _NAT64):  # ::a.b.c.d, 64:ff9b::a.b.c.d
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            yield embedded


def is_public(text: str) -> bool:
    """True for an address on the internet, False for one of this machine or its networks."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # fe80::1%eth0: the zone is no part of it
    except ValueError:
        return False
    for form in _forms(address):
        if (not form.is_global or form.is_private or form.is_loopback or form.is_link_local or form.is_multicast
                or form.is_reserved or form.is_unspecified or any(form in net for net in _ALSO_REFUSED
                                                                   if net.version == form.version)):
            return False
    return True


def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` stands for, as the C library reads it (tests replace this)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise requests.ConnectionError(f"NameResolutionError: could not resolve {host!r} ({error})") from None
    return [info[4][0] for info in found if info[0] in (socket.AF_INET, socket.AF_INET6)]


def checked_address(host: str, port: int, allowed: tuple[str, ...] = ()) -> str:
    """The one address to connect to for `host`; RefusedAddress when any address it stands for
    is not public (a name that answers with a private address among public ones is refused too)."""
    addresses = resolve(host, port)
    if not addresses:
        raise requests.ConnectionError(f"NameResolutionError: no address for {host!r}")
    if host.lower() not in allowed:
        for address in addresses:
            if not is_public(address):
                raise RefusedAddress(f"refused: private address ({address})")
    return addresses[0]


class PinnedAdapter(HTTPAdapter):
    """Connects to the address checked above, not to whatever a second lookup would give."""

    def __init__(self, allowed: tuple[str, ...] = ()):
        super().__init__()
        self.allowed = allowed

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        host, port = host_params["host"], host_params["port"]
        scheme = host_params["scheme"]
        if not host:  # never let the C library pick a default (it would be this machine)
            raise requests.exceptions.InvalidURL(f"no host in {request.url!r}")
        address = checked_address(host, port or (443 if scheme == "https" else 80), self.allowed)
        # The server still hears the name it was asked for, and TLS checks its certificate against it.
        request.headers["Host"] = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
        if scheme == "https":
            pool_kwargs["server_hostname"] = host
            pool_kwargs["assert_hostname"] = host
        host_params["host"] = address
        return host_params, pool_kwargs


def session(user_agent: str, allowed: tuple[str, ...] = ()) -> requests.Session:
    """A session whose every request, redirects included, goes through the checks above."""
    result = requests.Session()
    result.headers["User-Agent"] = user_agent
    result.trust_env = False  # no proxy (which would connect for us, unchecked) nor .netrc credentials
    adapter = PinnedAdapter(allowed)
    result.mount("http://", adapter)
    result.mount("https://", adapter)
    return result
