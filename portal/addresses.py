"""The client's address as the portal counts it (rate limits, login lockout, request ids).

REMOTE_ADDR, or what a proxy in PORTAL_TRUSTED_PROXIES says, never a header anyone else
sent. On the portal floor so that every app that counts by address uses one rule.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

_HEADERS = {"x-forwarded-for": "HTTP_X_FORWARDED_FOR", "x-real-ip": "HTTP_X_REAL_IP"}


def client_address(request: HttpRequest) -> str:
    """The client's address as the rate limits count it.

    Forwarding headers are believed only when REMOTE_ADDR is one of
    PORTAL_TRUSTED_PROXIES (empty by default: never), and only the one header the proxy
    sets (PORTAL_CLIENT_IP_HEADER): a header it merely passes along is the client's own
    word, and a client that can pick its address has no limit.
    - X-Forwarded-For: proxies append the address they saw, so the rightmost address
      that is not one of ours is the client; whatever stands left of it the client wrote.
    - X-Real-IP: the proxy replaces it with the address it saw.
    """
    raw_remote = request.META.get("REMOTE_ADDR") or ""
    remote = _parse(raw_remote)
    if remote is None:
        return raw_remote or "unknown"
    proxies = _trusted_proxies(tuple(settings.PORTAL_TRUSTED_PROXIES))
    if not _trusted(remote, proxies):
        return str(remote)
    header = _header(settings.PORTAL_CLIENT_IP_HEADER)
    value = request.META.get(header, "")
    if header == "HTTP_X_REAL_IP":
        return str(_parse(value) or remote)
    nearest = remote
    for item in reversed(value.split(",")):
        address = _parse(item)
        if address is None:
            # Our proxies write addresses; anything else is not theirs to vouch for.
            break
        if not _trusted(address, proxies):
            return str(address)
        nearest = address
    # Only proxies of ours (a request from inside), or a header that is not the proxy's:
    # the nearest proxy is the address we can vouch for.
    return str(nearest)


def _parse(text: str) -> Address | None:
    """An address as servers and proxies write it: "1.2.3.4", "1.2.3.4:5678", "[::1]:80",
    "::ffff:1.2.3.4". One spelling per address, so a client cannot get a fresh count by
    writing its address differently."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _trusted_proxies(entries: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PORTAL_TRUSTED_PROXIES: {exc}") from exc


def _trusted(address: Address, proxies: tuple[Network, ...]) -> bool:
    return any(address in network for network in proxies)


def _header(name: str) -> str:
    try:
        return _HEADERS[name.strip().lower()]
    except KeyError:
        raise ImproperlyConfigured(
            f"PORTAL_CLIENT_IP_HEADER must be X-Forwarded-For or X-Real-IP, not {name!r}"
        ) from None


def from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the peer is one of our proxies (PORTAL_TRUSTED_PROXIES), whose headers
    (X-Forwarded-For, X-Request-ID) may be believed."""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return False
    return _trusted(remote, _trusted_proxies(tuple(settings.PORTAL_TRUSTED_PROXIES)))
