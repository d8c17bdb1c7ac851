"""What third-party login keeps about a person, and who the login platforms are.

C002-09: logging in with WeChat or QQ records the platform's name and the login time; C001-18:
the platform's avatar and nickname can be bound. allauth's models hold that: a
``SocialAccount`` row per bound platform keeps the platform's user id (``uid``, an openid that
is only meaningful to Candor's app id), the platform name (``provider``), the bind and last
login times, and ``extra_data`` — which ``candor.sociallogin.adapter`` cuts down to
``{"nickname", "avatar"}`` before anything is saved, so the rest of the platform's profile
(gender, region, unionid, …) never reaches the database.

allauth's ``EmailAddress`` is declared here too because allauth owns the table; the accounts
app uses it for e-mail verification. Tokens are not stored (``SOCIALACCOUNT_STORE_TOKENS`` is
off), and apps come from settings, so ``SocialToken`` and ``SocialApp`` stay empty.
"""

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from django.utils.translation import gettext_lazy as _

from candor.privacy import retention, taxonomy
from candor.privacy.datamap import OnErasure, Pi, exempt, register
from candor.privacy.third_parties import ThirdParty, register_third_party

register(
    SocialAccount,
    subject="user",
    fields={
        # An openid is a pseudonym scoped to Candor's app id: it identifies the account on the
        # platform but opens nothing elsewhere, so it is not the sensitive "account + password".
        "uid": Pi(
            taxonomy.NETWORK_IDENTITY,
            purposes=[taxonomy.REGISTRATION],
            sensitive=False,
            mask="generic",
            label=_("platform user id"),
        ),
        "provider": Pi(
            taxonomy.NETWORK_IDENTITY,
            purposes=[taxonomy.REGISTRATION],
            sensitive=False,
            label=_("login platform"),
        ),
        "extra_data": Pi(
            taxonomy.BASIC,
            purposes=[taxonomy.REGISTRATION, taxonomy.DISPLAY],
            label=_("nickname and avatar granted by the platform"),
        ),
        "last_login": Pi(
            taxonomy.ONLINE_ACTIVITY,
            purposes=[taxonomy.REGISTRATION, taxonomy.TRANSACTION_SECURITY],
            label=_("last login with the platform"),
        ),
        "date_joined": Pi(taxonomy.ONLINE_ACTIVITY, purposes=[taxonomy.REGISTRATION], label=_("bound at")),
    },
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    label=_("Third-party login bindings"),
)

register(
    EmailAddress,
    subject="user",
    fields={"email": Pi(taxonomy.BASIC, purposes=[taxonomy.REGISTRATION], required=False, mask="email")},
    not_personal={},
    retention=retention.while_account(),
    on_erasure=OnErasure.DELETE,
    label=_("E-mail addresses"),
)

exempt(
    SocialToken,
    reason="OAuth tokens are not stored (SOCIALACCOUNT_STORE_TOKENS = False); the table stays empty",
)
exempt(
    SocialApp,
    reason="Candor's own client registrations at WeChat and QQ; about no one, and configured in settings",
)

WECHAT = register_third_party(
    ThirdParty(
        name=_("WeChat Login"),
        operator=_("Shenzhen Tencent Computer Systems Co., Ltd."),
        function=_("log in with WeChat and bind a WeChat account"),
        data_items=[_("WeChat nickname"), _("WeChat avatar"), _("openid (WeChat user id for Candor)")],
        policy_url="https://weixin.qq.com/cgi-bin/readtemplate?lang=zh_CN&t=weixin_agreement&s=privacy",
        recipient=taxonomy.LOGIN_PLATFORM,
        method=_("OAuth 2.0 server-to-server call after you authorize on WeChat's page"),
    )
)
QQ = register_third_party(
    ThirdParty(
        name=_("QQ Connect"),
        operator=_("Shenzhen Tencent Computer Systems Co., Ltd."),
        function=_("log in with QQ and bind a QQ account"),
        data_items=[_("QQ nickname"), _("QQ avatar"), _("openid (QQ user id for Candor)")],
        policy_url="https://privacy.qq.com/",
        recipient=taxonomy.LOGIN_PLATFORM,
        method=_("OAuth 2.0 server-to-server call after you authorize on QQ's page"),
    )
)
