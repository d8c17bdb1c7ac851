"""One-time codes sent by SMS (and the dev outbox of SMS and e-mail)."""
