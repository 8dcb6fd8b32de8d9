"""The switch for the sandbox's alternative answers."""

import pytest

from sandbox import behaviours


@pytest.fixture
def registered():
    name = behaviours.register("test-only-variant", "used by this test module only")
    yield name
    behaviours.reset()
    behaviours.KNOWN.pop(name, None)


def test_it_is_off_by_default_and_on_when_enabled(registered):
    assert behaviours.active(registered) is False
    behaviours.enable(registered)
    assert behaviours.active(registered) is True
    behaviours.reset()
    assert behaviours.active(registered) is False


def test_it_reads_the_setting(registered, settings):
    settings.SANDBOX_BEHAVIOURS = "other, test-only-variant"
    assert behaviours.active(registered) is True


def test_it_refuses_an_unknown_name():
    with pytest.raises(KeyError):
        behaviours.enable("no-such-behaviour")
    with pytest.raises(KeyError):
        behaviours.active("no-such-behaviour")


def test_the_control_endpoint_switches_behaviours(registered, upstream, client):
    import httpx

    url = f"{upstream.url}/sandbox/_control/behaviours"
    answer = httpx.put(url, json={"enabled": [registered]}).json()["behaviours"]
    assert answer["enabled"] == [registered]
    assert behaviours.active(registered) is True
    assert httpx.put(url, json={"enabled": ["nope"]}).status_code == 422
    httpx.delete(url)
    assert behaviours.active(registered) is False
