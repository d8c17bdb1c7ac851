"""Adapters for outside parties (one per party and protocol) and local simulators that speak
the same protocol, for the demo and the tests. Production points the adapter at the real
endpoint; the simulator is never the real thing."""
