"""Payment institutions: real adapters for Alipay (``alipay``), WeChat Pay API v3
(``wechatpay``) and UnionPay's online gateway 5.1.0 (``unionpay``) behind one interface
(``base``: ``gateway(name).start / verify_notice / notice_ack / refund``), and a simulator of all
three (``simulator``, ``sim_*``, ``views``) for the demo and the tests, under ``/_sim/pay/``.

Configuration (environment variables, read in the payment block of settings.py into
``settings.CANDOR_PAYMENT``). A key or certificate is PEM text, a path to a PEM file, or bare
base64 as the institutions' tools print it; left empty, a laptop key is generated into
``var/payment/`` on first use (and the simulated institution's own key beside it), which only
the simulator accepts.

====================================  =======================================================
``CANDOR_ALIPAY_GATEWAY``             default ``inprocess://localhost/_sim/pay/alipay/gateway.do``;
                                      production ``https://openapi.alipay.com/gateway.do``
``CANDOR_ALIPAY_APP_ID``              the app's APPID
``CANDOR_ALIPAY_APP_PRIVATE_KEY``     the app's private key (RSA2), signs Candor's requests
``CANDOR_ALIPAY_PUBLIC_KEY``          Alipay's public key (支付宝公钥), verifies notifications
                                      and answers
``CANDOR_WECHATPAY_ENDPOINT``         default ``inprocess://localhost/_sim/pay/wechatpay``;
                                      production ``https://api.mch.weixin.qq.com``
``CANDOR_WECHATPAY_APPID``            the appid bound to the merchant number
``CANDOR_WECHATPAY_MCHID``            the merchant number (商户号)
``CANDOR_WECHATPAY_SERIAL_NO``        the serial number of the merchant API certificate
``CANDOR_WECHATPAY_PRIVATE_KEY``      the merchant API private key (apiclient_key.pem)
``CANDOR_WECHATPAY_APIV3_KEY``        the 32-character APIv3 key, decrypts notifications
``CANDOR_WECHATPAY_PUBLIC_KEY``       the WeChat Pay public key (微信支付公钥)
``CANDOR_WECHATPAY_PUBLIC_KEY_ID``    its id, ``PUB_KEY_ID_…`` (the ``Wechatpay-Serial`` it signs with)
``CANDOR_UNIONPAY_FRONT_URL``         default ``inprocess://localhost/_sim/pay/unionpay/gateway/api/
                                      frontTransReq.do``; production ``https://gateway.95516.com/
                                      gateway/api/frontTransReq.do``
``CANDOR_UNIONPAY_BACK_URL``          the same for ``backTransReq.do`` (refunds)
``CANDOR_UNIONPAY_MER_ID``            the merchant number (merId)
``CANDOR_UNIONPAY_SIGN_KEY``          the private key of the merchant's signing certificate
                                      (exported from its .pfx)
``CANDOR_UNIONPAY_CERT_ID``           that certificate's serial number in decimal (certId)
``CANDOR_UNIONPAY_ROOT_CERT``         UnionPay's root certificate (acp_prod_root.cer)
``CANDOR_UNIONPAY_MIDDLE_CERT``       UnionPay's middle certificate (acp_prod_middle.cer)
``CANDOR_UNIONPAY_SIGN_CERT_CN``      the name UnionPay's signing certificate must carry, default
                                      ``中国银联股份有限公司`` (test environment: ``00040000:SIGN``)
``CANDOR_UNIONPAY_REFUND_BACK_URL``   where UnionPay posts refund results; default
                                      ``CANDOR_PUBLIC_BASE_URL`` + ``/payments/notify/unionpay/``
====================================  =======================================================

The buyer's browser is sent to a relative ``/_sim/pay/…`` address when an endpoint is
in-process, to the institution's own page otherwise (``base.browser_url``). WeChat Pay uses
Native payment: ``PayStart.qr`` is the ``weixin://`` code the buyer scans with WeChat; with the
simulator, ``PayStart.url`` is the page that scanning it would open (``sim_wechatpay.scan_url``).
"""
