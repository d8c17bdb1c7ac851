"""WeChat and QQ OAuth 2.0 simulators."""
