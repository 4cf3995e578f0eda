from payments.tests.fixtures import (  # noqa: F401 - fixtures for this package's tests
    apiv3_key,
    dev,
    eager_relay,
    fake,
    merchant,
    no_fake_left_running,
    platform,
    wechat,
)
