"""我的—收藏 under ``/me/favorites/`` (``urlpatterns``), and the public share link, which the
project mounts at the site root (``share_urlpatterns``, namespace ``share``)::

    path("", include((share_urlpatterns, "share"))),   # /s/<token>/  ->  share:open
"""

from django.urls import path

from candor.social import views

app_name = "social"
urlpatterns = [
    path("", views.favorites_page, name="favorites"),
    path("add/", views.favorite_add, name="favorite_add"),
    path("remove/", views.favorite_remove, name="favorite_remove"),
    path("follows/", views.follows_page, name="follows"),
    path("follows/merchant/", views.follow_merchant, name="follow_merchant"),
    path("follows/merchant/remove/", views.unfollow_merchant, name="unfollow_merchant"),
    path("follows/member/", views.follow_member, name="follow_member"),
    path("follows/member/remove/", views.unfollow_member, name="unfollow_member"),
    path("shares/", views.shares_page, name="shares"),
    path("shares/new/", views.share_create, name="share_create"),
    path("shares/<int:share_id>/delete/", views.share_delete, name="share_delete"),
]

# Mounted at the root by candor/urls.py: the link carries a random token and nothing else.
share_urlpatterns = [
    path("s/<str:token>/", views.share_open, name="open"),
]
