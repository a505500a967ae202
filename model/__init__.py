"""The procedure's meaning: the YAML model, its validation, conditions, calendar and graph."""
from model.errors import InputError
from model.loader import BUNDLED_PROCEDURE, load_procedure
from model.procedure import Procedure

__all__ = ["BUNDLED_PROCEDURE", "InputError", "Procedure", "load_procedure"]
