"""The project's URLs with the share link mounted at the root, as candor/urls.py mounts it
(until it does, these tests add it themselves)."""

from django.urls import include, path

from candor import urls as project
from candor.social.urls import share_urlpatterns

mounted = any(getattr(p, "namespace", None) == "share" for p in project.urlpatterns)
urlpatterns = list(project.urlpatterns)
if not mounted:
    urlpatterns.insert(0, path("", include((share_urlpatterns, "share"))))
handler500 = project.handler500
