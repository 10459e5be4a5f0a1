"""Speed-ups for the Rasa server that keep its behaviour identical (see bench/RESULTS.md).

Rasa 3.6 checks every custom action's response with `jsonschema.validate(result, schema)`,
which first re-validates the (constant) schema against the JSON Schema meta-schema: about
16 ms of CPU per action call on a 2-core machine, more than half of a form turn. Here the
validator is built and its schema checked once per distinct schema, then reused; responses
are validated against the same schema with the same error selection (`best_match`) and the
same error message as before.

Imported by the custom NLU components, so it is active wherever the model is loaded
(`rasa run`, `rasa shell`, `rasa test`, `Agent.load`); the action server never imports it.
"""
import json
from typing import Any, Dict, Text

from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions import action as rasa_action

_VALIDATORS: Dict[Text, Any] = {}


def _validator(schema: Dict[Text, Any]) -> Any:
    key = json.dumps(schema, sort_keys=True, default=repr)
    validator = _VALIDATORS.get(key)
    if validator is None:
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        validator = _VALIDATORS[key] = cls(schema)
    return validator


def _validate_action_result(self: rasa_action.RemoteAction, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result` with a reused validator."""
    try:
        error = exceptions.best_match(_validator(self.action_response_format_spec()).iter_errors(result))
        if error is not None:
            raise error
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{rasa_action.DOCS_BASE_URL}/custom-actions"
        )
        raise e


def install() -> None:
    """Patch Rasa (idempotent)."""
    rasa_action.RemoteAction._validate_action_result = _validate_action_result
