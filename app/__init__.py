"""Sigap: the web application, its settings, database wiring and command line."""
