"""The payment institutions Candor hands a purchase to (C000-08), for the third-party list.

What each receives is the allowlist the purchase's declaration shares with
``taxonomy.PAYMENT_INSTITUTION`` (``candor/orders/personal_data.py``): the purchase number, the
amount and a subject line that names no one — WeChat Pay included, whose Native (QR code)
payment Candor uses because its H5 payment would need the buyer's network address. The
simulator's own tables (``SimTrade``, ``SimRefund``) hold what a merchant sends and nothing
about a person, so they declare nothing.
"""

from django.utils.translation import gettext_lazy as _

from candor.privacy import taxonomy
from candor.privacy.third_parties import ThirdParty, register_third_party

_FUNCTION = _("Collect the amount you pay for a purchase, and refund it")
_METHOD = _("Your browser is sent to its payment page; server-to-server API calls and notifications")
_PURCHASE = (_("purchase number"), _("amount"), _("order subject line (names no one)"))

register_third_party(
    ThirdParty(
        name=_("Alipay"),
        operator=_("Alipay (China) Internet Technology Co., Ltd."),
        function=_FUNCTION,
        data_items=_PURCHASE,
        policy_url="https://render.alipay.com/p/c/k2cx0tg8",
        recipient=taxonomy.PAYMENT_INSTITUTION,
        method=_METHOD,
    )
)
register_third_party(
    ThirdParty(
        name=_("WeChat Pay"),
        operator=_("Tenpay Payment Technology Co., Ltd."),
        function=_FUNCTION,
        data_items=_PURCHASE,
        policy_url="https://weixin.qq.com/cgi-bin/readtemplate?lang=zh_CN&t=weixin_agreement&s=privacy",
        recipient=taxonomy.PAYMENT_INSTITUTION,
        method=_("You scan a QR code with WeChat; server-to-server API calls and notifications"),
    )
)
register_third_party(
    ThirdParty(
        name=_("UnionPay online payment"),
        operator=_("China UnionPay Co., Ltd."),
        function=_FUNCTION,
        data_items=_PURCHASE,
        policy_url="https://www.unionpay.com/",
        recipient=taxonomy.PAYMENT_INSTITUTION,
        method=_METHOD,
    )
)
