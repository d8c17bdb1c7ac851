"""WeChat and QQ login and binding through django-allauth."""
