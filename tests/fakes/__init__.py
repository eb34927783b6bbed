"""Fakes of outside platforms that speak their real wire format on loopback."""
