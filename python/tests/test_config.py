"""The server config: what it sets, and that it takes the token out of the environment."""

from traitlets.config import Config

from flow_jupyter import config, patches


def test_configure_sets_what_flow_needs(monkeypatch):
    saved = [(p, p.find()) for p in patches.PRIVATE_NAMES]
    monkeypatch.setenv("JUPYTER_TOKEN", "secret")
    monkeypatch.delenv("FLOW_WATCHDOG", raising=False)
    c = Config()
    try:
        config.configure(c)
    finally:
        for p, original in saved:
            if original is not None:
                p.replace(original)
    assert c.IdentityProvider.token == "secret"
    assert c.ZMQChannelsWebsocketConnection.limit_rate is False
    assert c.KernelRestarter.time_to_dead == 1.0
    assert c.ServerApp.open_browser is False
    assert all(v is False for v in c.ServerApp.jpserver_extensions.values())
    import os

    assert "JUPYTER_TOKEN" not in os.environ


def test_config_traits_flow_sets_exist():
    # Config names are not patches, but a renamed trait is silently ignored by traitlets.
    from jupyter_client.restarter import KernelRestarter
    from jupyter_server.auth.identity import IdentityProvider
    from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

    assert "limit_rate" in ZMQChannelsWebsocketConnection.class_trait_names()
    assert "token" in IdentityProvider.class_trait_names()
    assert "time_to_dead" in KernelRestarter.class_trait_names()
