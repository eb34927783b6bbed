"""Complaint categories, as data (catalogue/complaint_categories.yaml)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from services.catalogue import DEFAULT_DIRECTORY, LocalizedText, Slug


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Slug
    label: LocalizedText


class _File(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    categories: tuple[Category, ...] = Field(min_length=1)


@lru_cache
def load_categories(directory: Path = DEFAULT_DIRECTORY) -> tuple[Category, ...]:
    path = directory / "complaint_categories.yaml"
    return _File.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).categories


def category(code: str, directory: Path = DEFAULT_DIRECTORY) -> Category | None:
    return next((c for c in load_categories(directory) if c.code == code), None)
