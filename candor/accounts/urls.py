from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from candor.accounts import views
from candor.accounts.forms import AuditedSetPasswordForm

app_name = "accounts"
urlpatterns = [
    path("register/", views.register, name="register"),
    path("code/", views.send_code, name="send_code"),
    path("login/sms/", views.login_sms, name="login_sms"),
    path("password/sms/", views.password_reset_sms, name="password_reset_sms"),
    # By e-mail: Django's own reset views (a signed link that works once).
    path(
        "password/email/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_email.html",
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_sent"),
        ),
        name="password_reset_email",
    ),
    path(
        "password/email/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "password/email/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=AuditedSetPasswordForm,
            success_url=reverse_lazy("login"),
        ),
        name="password_reset_confirm",
    ),
    path("profile/", views.profile, name="profile"),
    path("cancel/", views.cancel, name="cancel"),
    path("cancel/code/", views.cancel_code, name="cancel_code"),
]
