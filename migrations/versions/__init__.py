"""Alembic's revisions; a package so that the wheel carries them (Alembic skips this file)."""
