from __future__ import annotations

import pytest

from rejoinder.services.profiles import _reaches_private_network


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "10.0.0.7", "169.254.169.254",
                                  "192.168.1.1", "::1"])
async def test_private_and_loopback_hosts_are_refused(host):
    assert await _reaches_private_network(host)


async def test_public_address_is_allowed():
    assert not await _reaches_private_network("93.184.215.14")


