"""Complaint categories (``complaint_categories.yaml`` in the catalogue under CATALOGUE_DIR).

Where no catalogue is at hand (a service filing a complaint, the bot rendering one), the
categories are read from the configured catalogue directory, once per directory."""

from __future__ import annotations

from pathlib import Path

from core.settings import get_settings
from services.catalogue import ComplaintCategory, find_category, load_complaint_categories

Category = ComplaintCategory


def load_categories(directory: Path | None = None) -> tuple[Category, ...]:
    return load_complaint_categories(directory or get_settings().catalogue_dir)


def category(code: str, directory: Path | None = None) -> Category | None:
    return find_category(load_categories(directory), code)
