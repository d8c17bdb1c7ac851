"""The simulated payment institutions, under /_sim/pay/ (only with CANDOR_SIMULATORS)."""

from django.urls import path

from candor.integrations.payment import sim_alipay, sim_unionpay, sim_wechatpay, views

app_name = "sim_pay"
urlpatterns = [
    path("alipay/gateway.do", sim_alipay.gateway, name="alipay_gateway"),
    path("wechatpay/v3/pay/transactions/native", sim_wechatpay.native, name="wechatpay_native"),
    path("wechatpay/v3/refund/domestic/refunds", sim_wechatpay.refunds, name="wechatpay_refunds"),
    path("unionpay/gateway/api/frontTransReq.do", sim_unionpay.front, name="unionpay_front"),
    path("unionpay/gateway/api/backTransReq.do", sim_unionpay.back, name="unionpay_back"),
    # The pay page of every institution; for WeChat Pay, what scanning the code_url opens.
    path("trade/<str:token>/", views.trade_page, name="trade"),
]
