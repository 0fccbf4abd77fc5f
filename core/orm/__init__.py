"""The ORM: declare models with fields, compose them per database, work through an env."""
from . import api, fields
from .environment import SUPERUSER_ID, Environment
from .models import AbstractModel, BaseModel, Model

__all__ = ["api", "fields", "Model", "AbstractModel", "BaseModel", "Environment", "SUPERUSER_ID"]
