"""The demo accounts ``manage.py sandbox_seed`` creates. Their secrets are fixed on purpose,
so demos and tests can sign in with them; they only ever exist in the sandbox."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class DemoAccount:
    key: str
    username: str
    email: str
    password: str | None
    api_token: str
    description: str
    totp_secret: str | None = None

    def __getitem__(self, item: str) -> Any:
        return asdict(self)[item]


TWOFA_TOTP_SECRET = "DEMOTWOFASANDBOXDEMOTWOFASANDBOX"
# Single-use recovery codes of the 2FA account (each works once per seed).
TWOFA_RECOVERY_CODES = ["demo0recov1", "demo0recov2", "demo0recov3"]

DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        key="ordinary",
        username="demo-ordinary",
        email="ordinary@demo.sandbox.test",
        password="demo-ordinary-password",
        api_token="tk-us-j763YMHI_Ljn-TWXKQo7BR2PjnuDnaBBCTSyv9orfTswwHXz",
        description="Card payment, a few invoices, two SSH keys, three tokens, two owned apps "
        "in osc-fr1 and one app it only collaborates on.",
    ),
    DemoAccount(
        key="twofa",
        username="demo-twofa",
        email="twofa@demo.sandbox.test",
        password="demo-twofa-password",
        api_token="tk-us-2ABBFOIAYvlHNJY3Y8pJ5ALQ16yWoTbMaiBiTbE6p1NId2GJ",
        totp_secret=TWOFA_TOTP_SECRET,
        description="2FA (TOTP) on: password login asks for a code; otherwise ordinary.",
    ),
    DemoAccount(
        key="github",
        username="demo-github",
        email="github@demo.sandbox.test",
        password=None,
        api_token="tk-us-dWVj1IkNBmz-wo30H1CaHWpOP6O0uajpb8iVhvY_GO1AoLru",
        description="Created with GitHub (no password, cannot change it); PayPal with prepaid credit.",
    ),
    DemoAccount(
        key="suspended",
        username="demo-suspended",
        email="suspended@demo.sandbox.test",
        password="demo-suspended-password",
        api_token="tk-us-9QtbuLDg8e7JTgP_NrB4nXbnKQ8Ab_qg1heFUCLXiJwFtQw8",
        description="Suspended for an invoice unpaid for 5 days (its SEPA debit failed); SEPA debit.",
    ),
    DemoAccount(
        key="teamadmin",
        username="demo-teamadmin",
        email="teamadmin@demo.sandbox.test",
        password="demo-teamadmin-password",
        api_token="tk-us-U1romcj4E8GJQL8121WCASOOaVVWAYqQN6euVs4JiRyRiWW0",
        description="40 months of invoices plus this month's new one, apps in both regions, "
        "a custom 3XL size, lots of usage, a card expiring this month.",
    ),
    DemoAccount(
        key="empty",
        username="demo-empty",
        email="empty@demo.sandbox.test",
        password="demo-empty-password",
        api_token="tk-us-H2YD77gWNE56YfVU0OtBfjEXu_Sc_GG_QtzvWm1HXSmxEX13",
        description="Brand new: no billing profile (404), no invoices, apps, usage or keys.",
    ),
    DemoAccount(
        key="collaborator",
        username="demo-collaborator",
        email="collaborator@demo.sandbox.test",
        password="demo-collaborator-password",
        api_token="tk-us-mWGK73eM4egkDyx8ihCRjKQvsc5YotKqifvN_NkNckjo_28Y",
        description="Owns no app but collaborates on one of the team admin's: free to delete.",
    ),
]

DEMO_BY_KEY = {account.key: account for account in DEMO_ACCOUNTS}


def demo_account(key: str) -> DemoAccount:
    return DEMO_BY_KEY[key]
