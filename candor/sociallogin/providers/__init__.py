"""Candor's WeChat and QQ providers for allauth: endpoints from settings, profiles cut down."""
