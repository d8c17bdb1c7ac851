"""No tables of its own: roles are ``auth.Group`` rows (``roles.py``) and second-factor devices
are django-otp's ``TOTPDevice``. The module exists so that ``migrate`` sends this app its
``post_migrate`` signal, on which the roles are synced (``apps.py``)."""
