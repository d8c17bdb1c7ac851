"""SMS gateways: a real adapter for Aliyun SMS and one for Tencent Cloud SMS (``base.gateway()``
picks the configured one), and a simulator of both (``views``) for the demo and the tests.

Configuration (environment variables, read in the ``verification`` block of settings.py):

================================  ==========================================================
``CANDOR_SMS_GATEWAY``            ``aliyun`` (default) or ``tencent``
``CANDOR_SMS_SIGN_NAME``          the approved sign name (签名), default ``Candor``
``CANDOR_SMS_ALIYUN_ENDPOINT``    default ``inprocess://localhost/_sim/sms/aliyun/`` (the
                                  simulator); production: ``https://dysmsapi.aliyuncs.com/``
``CANDOR_SMS_ALIYUN_KEY_ID``      AccessKeyId
``CANDOR_SMS_ALIYUN_KEY_SECRET``  AccessKeySecret
``CANDOR_SMS_ALIYUN_TEMPLATE``    the code template's TemplateCode (``SMS_…``)
``CANDOR_SMS_ALIYUN_NOTICE``      the notice template's TemplateCode
``CANDOR_SMS_TENCENT_ENDPOINT``   default ``inprocess://localhost/_sim/sms/tencent/``;
                                  production: ``https://sms.tencentcloudapi.com/``
``CANDOR_SMS_TENCENT_SECRET_ID``  SecretId
``CANDOR_SMS_TENCENT_SECRET_KEY`` SecretKey
``CANDOR_SMS_TENCENT_APP_ID``     SmsSdkAppId
``CANDOR_SMS_TENCENT_TEMPLATE``   the code template's TemplateId
``CANDOR_SMS_TENCENT_NOTICE``     the notice template's TemplateId
``CANDOR_SMS_TENCENT_REGION``     default ``ap-guangzhou``
================================  ==========================================================

Without keys in the environment both adapters use a laptop key generated once into ``var/``,
which the simulator verifies with; a real provider would refuse it.
"""
