"""Candor settings: one file, driven by the environment.

Every value has a safe default for a laptop (SQLite in ``var/``, local-memory cache,
SqliteHuey, keys generated into ``var/``); production overrides them with environment
variables, listed with their defaults in the README's configuration table.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from candor import keys

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CANDOR_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("CANDOR_DEBUG")
SECRET_KEY = os.environ.get("CANDOR_SECRET_KEY") or keys.read_or_create(
    VAR_DIR / "secret_key", keys.new_secret_key
)
# Master keys wrap every per-subject data key (candor.privacy.crypto). Several may be given,
# newest first ("v2:...,v1:..."), so that `candor keys rotate` can re-wrap under the new one.
CANDOR_MASTER_KEYS = env_list("CANDOR_MASTER_KEY") or [
    keys.read_or_create(VAR_DIR / "master_key", keys.new_master_key)
]
ALLOWED_HOSTS = env_list("CANDOR_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CANDOR_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "ninja",
    "csp",
    "candor.privacy",
    "candor.accounts",
    "candor.verification",
    "candor.integrations.sms",  # the SMS simulator's outbox (owner: candor.verification)
    "candor.integrations.payment",  # the payment simulator's trades (owner: candor.integrations.payment)
    "candor.integrations.carrier",  # the carrier simulator's tables (owner: candor.integrations.carrier)
    "candor.identity",
    "candor.addresses",
    "candor.devices",
    "candor.staff",
    "candor.sociallogin",
    "candor.catalog",
    "candor.search",
    "candor.cart",
    "candor.social",
    "candor.orders",
    "candor.payments",
    "candor.fulfillment",
    "candor.inbox",
    "candor.centre",
    "candor.mydata",
    "candor.service",
    "candor.announcements",
    "candor.cookies",
    "candor.storefront",
    "candor.ops",
    # --- third-party login (owner: candor.sociallogin) ---
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "candor.sociallogin.providers.qq",  # allauth has no QQ provider
    # --- staff multi-factor authentication (owner: candor.staff) ---
    "django_otp",
    "django_otp.plugins.otp_totp",
    # --- failed-login lockout (owner: candor.accounts) ---
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "candor.privacy.crypto.KeyCacheMiddleware",
    "candor.accounts.tokens.ApiTokenMiddleware",
    "candor.cookies.middleware.ConsentCookieMiddleware",  # a member's ledger choice on every device
    "django_otp.middleware.OTPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "candor.privacy.middleware.PolicyConsentMiddleware",
    "candor.identity.middleware.GuardianGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "candor.storefront.csp.CSPMiddleware",  # django-csp's, its header built once
    "candor.api.middleware.ApiErrorShapeMiddleware",
    "candor.storefront.middleware.CandorErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "candor.urls"
WSGI_APPLICATION = "candor.wsgi.application"
ASGI_APPLICATION = "candor.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "candor.storefront.context.site",
            ],
        },
    },
]

# {{ field.as_field_group }}: one way to write a form field (label, hint, error) on every page.
FORM_RENDERER = "candor.storefront.forms.FormRenderer"

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL) for a newcomer, PostgreSQL (psycopg 3) when DATABASE_URL is set.
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True)
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("CANDOR_SQLITE_PATH", str(VAR_DIR / "candor.sqlite3")),
            # Persistent per-thread connections are safe on SQLite; WAL lets readers run
            # beside the one writer, and IMMEDIATE transactions take the write lock up front so
            # concurrent writers queue on busy_timeout instead of failing with "locked".
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=5000;"
                    # Deleted rows are overwritten, so erased personal data does not linger
                    # in free pages of the database file.
                    "PRAGMA secure_delete=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache and background jobs ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {"huey_class": "huey.RedisHuey", "name": "candor", "url": REDIS_URL, "immediate": False}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "candor",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

# --- Passwords and sessions -----------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out login before the others
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "storefront:me"
LOGOUT_REDIRECT_URL = "storefront:home"

# --- Transport security (switch on behind TLS) ------------------------------------------------
CANDOR_HTTPS = env_bool("CANDOR_HTTPS")
SECURE_SSL_REDIRECT = CANDOR_HTTPS
SESSION_COOKIE_SECURE = CANDOR_HTTPS
CSRF_COOKIE_SECURE = CANDOR_HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("CANDOR_HSTS_SECONDS", "31536000" if CANDOR_HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = CANDOR_HTTPS
if env_bool("CANDOR_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp 4): same-origin only; no inline script anywhere, which
# is why htmx is served from static/ and the API docs use ninja's bundled swagger files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("CANDOR_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every start without it
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# WhiteNoise serves static files from the app server itself, so the same process works for the
# demo and behind a reverse proxy. Finders: no collectstatic step for a newcomer.
WHITENOISE_USE_FINDERS = True

# --- Logging ---------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CANDOR_LOG_LEVEL", "WARNING")},
    # The Huey consumer installs its own handler; propagating would print every line twice.
    "loggers": {
        "huey": {"level": "INFO", "propagate": False},
        # django-axes writes the account name and the address of every failed login at WARNING:
        # personal data in a log nobody declared. Its errors still reach the log.
        "axes": {"level": "ERROR"},
    },
}

# --- Candor ----------------------------------------------------------------------------------
CANDOR_CONTACT = {
    "email": os.environ.get("CANDOR_CONTACT_EMAIL", "privacy@candor.example"),
    "phone": os.environ.get("CANDOR_CONTACT_PHONE", "400-000-0000"),
    "address": os.environ.get("CANDOR_CONTACT_ADDRESS", ""),
}

# --- Accounts: codes, outside parties, simulators -----------------------------------------------
# The simulators (/_sim/…) and the dev outbox page stand in for SMS gateways, the identity
# authority and WeChat/QQ in the demo and the tests. Production switches them off and points
# each adapter at the real endpoint with real credentials.
CANDOR_SIMULATORS = env_bool("CANDOR_SIMULATORS")  # `make run` and the tests switch them on

# --- accounts (owner: candor.accounts) ---
# Failed password logins lock the account name from that address for 15 minutes after 5
# failures (django-axes). Attempts live in the cache only — Redis when REDIS_URL is set, so
# every worker sees them — and never in a table: they are personal data kept for minutes.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
if not REDIS_URL:
    # Without Redis, a table every worker process shares (``createcachetable``); the keys are
    # axes' hashes of account name and address, so the table lists no one.
    CACHES["axes"] = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "candor_cache"}
    AXES_CACHE = "axes"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "candor.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "code", "phone"]
# App clients' bearer tokens (candor.accounts.tokens).
CANDOR_TOKEN_DAYS = int(os.environ.get("CANDOR_TOKEN_DAYS", "30"))

# --- verification (owner: candor.verification) ---
# One-time codes (candor/verification) and the SMS gateway (candor/integrations/sms, whose
# docstring lists the variables). Endpoints default to the in-process simulator; without keys in
# the environment, one laptop key generated into var/ signs for both adapters.
CANDOR_SMS_GATEWAY = os.environ.get("CANDOR_SMS_GATEWAY", "aliyun")
_SMS_LAPTOP_KEY = keys.read_or_create(VAR_DIR / "sms_simulator_key", keys.new_secret_key)
CANDOR_SMS = {
    "sign_name": os.environ.get("CANDOR_SMS_SIGN_NAME", "Candor"),
    "aliyun": {
        "endpoint": os.environ.get("CANDOR_SMS_ALIYUN_ENDPOINT", "inprocess://localhost/_sim/sms/aliyun/"),
        "key_id": os.environ.get("CANDOR_SMS_ALIYUN_KEY_ID", "candor-laptop"),
        "key_secret": os.environ.get("CANDOR_SMS_ALIYUN_KEY_SECRET") or _SMS_LAPTOP_KEY,
        "templates": {
            "verification_code": os.environ.get("CANDOR_SMS_ALIYUN_TEMPLATE", "SMS_100000001"),
            "notice": os.environ.get("CANDOR_SMS_ALIYUN_NOTICE", "SMS_100000002"),
        },
    },
    "tencent": {
        "endpoint": os.environ.get("CANDOR_SMS_TENCENT_ENDPOINT", "inprocess://localhost/_sim/sms/tencent/"),
        "secret_id": os.environ.get("CANDOR_SMS_TENCENT_SECRET_ID", "candor-laptop"),
        "secret_key": os.environ.get("CANDOR_SMS_TENCENT_SECRET_KEY") or _SMS_LAPTOP_KEY,
        "app_id": os.environ.get("CANDOR_SMS_TENCENT_APP_ID", "1400000001"),
        "region": os.environ.get("CANDOR_SMS_TENCENT_REGION", "ap-guangzhou"),
        "templates": {
            "verification_code": os.environ.get("CANDOR_SMS_TENCENT_TEMPLATE", "100001"),
            "notice": os.environ.get("CANDOR_SMS_TENCENT_NOTICE", "100002"),
        },
    },
}
# E-mail: with the simulators, messages go to a table shown on the dev outbox page
# (/accounts/verification/outbox/); otherwise to SMTP.
EMAIL_BACKEND = (
    "candor.verification.mail.OutboxEmailBackend"
    if CANDOR_SIMULATORS
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("CANDOR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("CANDOR_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("CANDOR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("CANDOR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("CANDOR_EMAIL_TLS")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("CANDOR_EMAIL_FROM", "Candor <no-reply@candor.example>")
# --- carrier (owner: candor.integrations.carrier) ---
# Kdniao (快递鸟) for waybills and tracking (candor/integrations/carrier, whose docstring lists the
# variables). Endpoints default to the in-process simulator; without CANDOR_KDNIAO_APP_KEY one
# laptop key generated into var/ signs for the adapter and the simulator alike.
_KDNIAO_SIM = "inprocess://localhost/_sim/carrier/kdniao/api/"
CANDOR_CARRIER = {
    "gateway": os.environ.get("CANDOR_CARRIER_GATEWAY", "kdniao"),
    "kdniao": {
        "endpoint": os.environ.get("CANDOR_KDNIAO_ENDPOINT", _KDNIAO_SIM),
        "eorder_endpoint": os.environ.get("CANDOR_KDNIAO_EORDER_ENDPOINT", _KDNIAO_SIM),
        "business_id": os.environ.get("CANDOR_KDNIAO_BUSINESS_ID", "1000000"),
        "app_key": os.environ.get("CANDOR_KDNIAO_APP_KEY")
        or keys.read_or_create(VAR_DIR / "kdniao_simulator_key", keys.new_secret_key),
        "shipper_code": os.environ.get("CANDOR_KDNIAO_SHIPPER_CODE", "ZTO"),
    },
    "push_url": os.environ.get("CANDOR_CARRIER_PUSH_URL", "inprocess://localhost/fulfillment/carrier/push/"),
    "sender": {
        "name": os.environ.get("CANDOR_SENDER_NAME", "Candor 仓库"),
        "mobile": os.environ.get("CANDOR_SENDER_MOBILE", "400-000-0000"),
        "province": os.environ.get("CANDOR_SENDER_PROVINCE", "浙江省"),
        "city": os.environ.get("CANDOR_SENDER_CITY", "杭州市"),
        "district": os.environ.get("CANDOR_SENDER_DISTRICT", "西湖区"),
        "address": os.environ.get("CANDOR_SENDER_ADDRESS", "文三路1号"),
    },
}
# --- payment institutions (owner: candor.integrations.payment) ---
# Alipay, WeChat Pay and UnionPay (candor/integrations/payment, whose docstring lists every
# variable). Endpoints default to the in-process simulator. A key or certificate left empty is a
# laptop one, generated into var/payment/ on first use; the simulated institutions sign with
# their own laptop keys there, which a real institution would of course refuse.
_SIM_PAY = "inprocess://localhost/_sim/pay"
_SIM_UNIONPAY = f"{_SIM_PAY}/unionpay/gateway/api"
CANDOR_PAYMENT = {
    "alipay": {
        "gateway": os.environ.get("CANDOR_ALIPAY_GATEWAY", f"{_SIM_PAY}/alipay/gateway.do"),
        "app_id": os.environ.get("CANDOR_ALIPAY_APP_ID", "2021000000000001"),
        "app_private_key": os.environ.get("CANDOR_ALIPAY_APP_PRIVATE_KEY", ""),
        "alipay_public_key": os.environ.get("CANDOR_ALIPAY_PUBLIC_KEY", ""),
    },
    "wechatpay": {
        "endpoint": os.environ.get("CANDOR_WECHATPAY_ENDPOINT", f"{_SIM_PAY}/wechatpay"),
        "appid": os.environ.get("CANDOR_WECHATPAY_APPID", "wxcandor0pay00001"),
        "mchid": os.environ.get("CANDOR_WECHATPAY_MCHID", "1900000001"),
        "serial_no": os.environ.get("CANDOR_WECHATPAY_SERIAL_NO", "5157F09EFDC096DE15EBE81A47057A7200000001"),
        "private_key": os.environ.get("CANDOR_WECHATPAY_PRIVATE_KEY", ""),
        "apiv3_key": os.environ.get("CANDOR_WECHATPAY_APIV3_KEY", ""),
        "public_key": os.environ.get("CANDOR_WECHATPAY_PUBLIC_KEY", ""),
        "public_key_id": os.environ.get(
            "CANDOR_WECHATPAY_PUBLIC_KEY_ID", "PUB_KEY_ID_0119000000012025000000000000000001"
        ),
    },
    "unionpay": {
        "front_url": os.environ.get("CANDOR_UNIONPAY_FRONT_URL", f"{_SIM_UNIONPAY}/frontTransReq.do"),
        "back_url": os.environ.get("CANDOR_UNIONPAY_BACK_URL", f"{_SIM_UNIONPAY}/backTransReq.do"),
        "mer_id": os.environ.get("CANDOR_UNIONPAY_MER_ID", "777290058110048"),
        "sign_key": os.environ.get("CANDOR_UNIONPAY_SIGN_KEY", ""),
        "cert_id": os.environ.get("CANDOR_UNIONPAY_CERT_ID", "40000000001"),
        "root_cert": os.environ.get("CANDOR_UNIONPAY_ROOT_CERT", ""),
        "middle_cert": os.environ.get("CANDOR_UNIONPAY_MIDDLE_CERT", ""),
        "sign_cert_cn": os.environ.get("CANDOR_UNIONPAY_SIGN_CERT_CN", "中国银联股份有限公司"),
        "refund_back_url": os.environ.get("CANDOR_UNIONPAY_REFUND_BACK_URL", ""),
    },
}
# --- identity (owner: candor.identity) ---
# The identity authority (Tencent Cloud FaceID, API 3.0). Production sets the real endpoint
# https://faceid.tencentcloudapi.com/ and its keys; the defaults reach the local simulator.
CANDOR_IDENTITY_ENDPOINT = os.environ.get(
    "CANDOR_IDENTITY_ENDPOINT",
    f"http://127.0.0.1:{os.environ.get('CANDOR_PORT', '8000')}/_sim/identity/"
    if CANDOR_SIMULATORS
    else "https://faceid.tencentcloudapi.com/",
)
CANDOR_IDENTITY_SECRET_ID = os.environ.get("CANDOR_IDENTITY_SECRET_ID", "AKIDcandorsimulator")
CANDOR_IDENTITY_SECRET_KEY = os.environ.get("CANDOR_IDENTITY_SECRET_KEY", "candor-simulator-secret")
CANDOR_IDENTITY_REGION = os.environ.get("CANDOR_IDENTITY_REGION", "")
CANDOR_IDENTITY_TIMEOUT = float(os.environ.get("CANDOR_IDENTITY_TIMEOUT", "10"))
CANDOR_IDENTITY_SIM_STATE = VAR_DIR / "sim_identity.json"  # the simulator's "first seen" pairs (digests)
CANDOR_REALNAME_DAILY_ATTEMPTS = int(os.environ.get("CANDOR_REALNAME_DAILY_ATTEMPTS", "5"))
# A face check passes at a similarity of 70 or more, the threshold the FaceID document advises.
CANDOR_FACE_MIN_SIMILARITY = float(os.environ.get("CANDOR_FACE_MIN_SIMILARITY", "70"))
CANDOR_FACE_MAX_BYTES = 1_500_000  # stays under the in-memory upload and request-body limits
# Days a child's account waits for a guardian's consent before it is erased (C004-23).
CANDOR_GUARDIAN_GRACE_DAYS = int(os.environ.get("CANDOR_GUARDIAN_GRACE_DAYS", "7"))
# --- sociallogin / allauth (owner: candor.sociallogin) ---
# WeChat and QQ login and binding through django-allauth, and nothing else of allauth: Candor's
# own pages register and log in (candor/sociallogin/adapter.py says how allauth is fenced in).
ACCOUNT_ADAPTER = "candor.sociallogin.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "candor.sociallogin.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = True  # no allauth sign-up form: the account name is generated
SOCIALACCOUNT_EMAIL_REQUIRED = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_QUERY_EMAIL = False
SOCIALACCOUNT_STORE_TOKENS = False  # nothing after login needs the platform's tokens (C002-17)
# Apps come from the environment (never from SocialApp rows). Endpoints default to the
# simulators when CANDOR_SIMULATORS is on and to the real platforms otherwise; set
# CANDOR_WECHAT_*_URL / CANDOR_QQ_*_URL to override one (candor/sociallogin/providers/endpoints.py).
SOCIALACCOUNT_PROVIDERS = {
    "weixin": {
        "provider_class": "candor.sociallogin.providers.weixin.provider.WeChatProvider",
        "SCOPE": ["snsapi_login"],
        "APP": {
            "client_id": os.environ.get("CANDOR_WECHAT_APPID", "wxcandor0demo0001"),
            "secret": os.environ.get("CANDOR_WECHAT_SECRET", "candor-demo-wechat-secret"),
        },
        "ENDPOINTS": {
            "authorize": os.environ.get("CANDOR_WECHAT_AUTHORIZE_URL", ""),
            "access_token": os.environ.get("CANDOR_WECHAT_TOKEN_URL", ""),
            "userinfo": os.environ.get("CANDOR_WECHAT_USERINFO_URL", ""),
        },
    },
    "qq": {
        "SCOPE": ["get_user_info"],
        "APP": {
            "client_id": os.environ.get("CANDOR_QQ_APPID", "101000001"),
            "secret": os.environ.get("CANDOR_QQ_APPKEY", "candor-demo-qq-appkey"),
        },
        "ENDPOINTS": {
            "authorize": os.environ.get("CANDOR_QQ_AUTHORIZE_URL", ""),
            "access_token": os.environ.get("CANDOR_QQ_TOKEN_URL", ""),
            "me": os.environ.get("CANDOR_QQ_ME_URL", ""),
            "userinfo": os.environ.get("CANDOR_QQ_USERINFO_URL", ""),
        },
    },
}
# --- staff MFA (owner: candor.staff) ---
# The admin asks every staff user for a TOTP code (candor.staff.sites). The issuer names Candor
# in the authenticator app; the admin never shows a device's secret after enrolment.
OTP_TOTP_ISSUER = "Candor"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# --- addresses, devices (owner: candor.addresses, candor.devices) ---
# How many reverse proxies of ours stand in front of the app: each appends the address it saw
# to X-Forwarded-For, and only those entries are believed for the client's IP (device log).
# 0 (the default): the connection's own address; a client's X-Forwarded-For is ignored.
CANDOR_TRUSTED_PROXY_HOPS = int(os.environ.get("CANDOR_TRUSTED_PROXY_HOPS", "0"))

# --- catalog (owner: candor.catalog) ---
# --- search (owner: candor.search) ---
# --- cart, social (owner: candor.cart, candor.social) ---

# --- orders, payments, fulfillment (owner: candor.orders, candor.payments, candor.fulfillment) ---
# An unpaid purchase closes and gives its stock back after this many minutes.
CANDOR_ORDER_PAY_MINUTES = int(os.environ.get("CANDOR_ORDER_PAY_MINUTES", "30"))
# Shipping: free from this many fen of goods per order, else the flat fee (fen).
CANDOR_SHIPPING_FREE_FROM_FEN = int(os.environ.get("CANDOR_SHIPPING_FREE_FROM_FEN", "9900"))
CANDOR_SHIPPING_FEE_FEN = int(os.environ.get("CANDOR_SHIPPING_FEE_FEN", "800"))
# A delivered order completes on its own after this many days unless the buyer confirms sooner.
CANDOR_ORDER_AUTO_COMPLETE_DAYS = int(os.environ.get("CANDOR_ORDER_AUTO_COMPLETE_DAYS", "10"))
# Abnormal-order check (C001-06): more orders than this within an hour from one account, one
# network address or one device, or one delivery address used by more accounts than this within
# 30 days, holds the order for staff review.
CANDOR_RISK_LIMITS = {
    "account_per_hour": int(os.environ.get("CANDOR_RISK_ACCOUNT_PER_HOUR", "10")),
    "ip_per_hour": int(os.environ.get("CANDOR_RISK_IP_PER_HOUR", "30")),
    "device_per_hour": int(os.environ.get("CANDOR_RISK_DEVICE_PER_HOUR", "20")),
    "accounts_per_address": int(os.environ.get("CANDOR_RISK_ACCOUNTS_PER_ADDRESS", "5")),
}
# Where payment institutions and the carrier post their notifications: this site's own base URL
# as they reach it. The in-process scheme lets the local simulators call this process directly.
CANDOR_PUBLIC_BASE_URL = os.environ.get("CANDOR_PUBLIC_BASE_URL", "inprocess://localhost")

# --- privacy centre (owner: candor.mydata, candor.service) ---
# Data exports: sealed zips in a private directory (never under static or media), deleted when
# their link expires.
CANDOR_EXPORT_DIR = Path(os.environ.get("CANDOR_EXPORT_DIR", str(VAR_DIR / "exports")))
# Days to answer a request, per kind, over the defaults in candor/service/deadlines.py (15; 10
# for questions and complaints), e.g. CANDOR_REQUEST_DAYS="deletion=10,access=15".
CANDOR_REQUEST_DAYS = {
    kind.strip(): int(days)
    for kind, _sep, days in (
        item.partition("=") for item in os.environ.get("CANDOR_REQUEST_DAYS", "").split(",") if "=" in item
    )
}
