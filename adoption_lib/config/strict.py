"""The base of every engagement.yml model: unknown keys refused, values frozen."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

#: a share from 0 to 1
Fraction = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    """A model that refuses unknown keys (a typo is an error, not a silent default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
