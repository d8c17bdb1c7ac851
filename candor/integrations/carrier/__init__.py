"""The carrier: a real adapter for Kdniao (快递鸟), the aggregator in front of SF, ZTO, YTO and the
other Chinese carriers (``base.gateway()`` is the one orders and fulfillment call), and a
simulator of Kdniao (``views``, ``simulator``) for the demo and the tests.

Configuration (environment variables, read in the ``carrier`` block of settings.py into
``settings.CANDOR_CARRIER``):

==================================  ========================================================
``CANDOR_CARRIER_GATEWAY``          ``kdniao`` (the default and, today, the only one)
``CANDOR_KDNIAO_ENDPOINT``          the instant query (1002); default
                                    ``inprocess://localhost/_sim/carrier/kdniao/api/`` (the
                                    simulator); production:
                                    ``https://api.kdniao.com/Ebusiness/EbusinessOrderHandle.aspx``
``CANDOR_KDNIAO_EORDER_ENDPOINT``   the electronic waybill (1007); default the simulator;
                                    production: ``https://api.kdniao.com/api/EOrderService``
``CANDOR_KDNIAO_BUSINESS_ID``       EBusinessID, the merchant id; default ``1000000``
``CANDOR_KDNIAO_APP_KEY``           AppKey, which signs requests (DataSign) and Kdniao's pushes
``CANDOR_KDNIAO_SHIPPER_CODE``      the carrier used when the caller names none; default ``ZTO``
``CANDOR_CARRIER_PUSH_URL``         where the *simulator* pushes tracking; default
                                    ``inprocess://localhost/fulfillment/carrier/push/``. Real
                                    Kdniao pushes to the callback URL set in its console, which
                                    is that same path on Candor's public address.
``CANDOR_SENDER_NAME``              the sender on every waybill (the warehouse, not a person's
``CANDOR_SENDER_MOBILE``            data): name, a mobile (or a landline/400 number, sent as
``CANDOR_SENDER_PROVINCE``          Kdniao's ``Tel``), province, city, district and street
``CANDOR_SENDER_CITY``              address; defaults: a demo warehouse in Hangzhou
``CANDOR_SENDER_DISTRICT``
``CANDOR_SENDER_ADDRESS``
==================================  ========================================================

Without ``CANDOR_KDNIAO_APP_KEY`` the adapter and the simulator share a laptop key generated
once into ``var/``; real Kdniao would refuse it.
"""
