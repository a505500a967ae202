"""The procedure's meaning: the YAML model, its validation, conditions, calendar and graph."""
from cpmodel.model.errors import InputError
from cpmodel.model.loader import BUNDLED_PROCEDURE, load_procedure
from cpmodel.model.procedure import Procedure

__all__ = ["BUNDLED_PROCEDURE", "InputError", "Procedure", "load_procedure"]
