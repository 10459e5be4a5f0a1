"""Speed-ups for the Rasa server that keep its behaviour identical (see bench/RESULTS.md).

Opt-in: ``python -m server.rasa`` (the project's ``rasa``, used by scripts/run, scripts/cluster,
scripts/test and the test servers) installs them; ``rasa`` itself runs Rasa's own code. They
were written for Rasa 3.6.21 (``SUPPORTED_RASA``): with any other version ``install()`` leaves
Rasa as it is and logs a warning. Found by profiling (bench/profile-*.txt);
tests/server/test_speedups.py loads the model with and without them and compares the NLU output
for every training and held-out message, and validates hundreds of valid and invalid action
responses both ways.

1. Action-response validation. Rasa 3.6 checks every custom action's response with
   `jsonschema.validate(result, schema)`, which first re-validates the constant schema against
   the JSON Schema meta-schema: about 16 ms of CPU per action call, more than half of a form
   turn. Here the validator is built, and its schema checked, once per schema and then reused.
   Checking the events themselves is the next cost (each event is tried against every event
   type, and the end of a check resets some forty slots), so events already found valid are
   remembered (exact JSON values, at most 20,000) and only the others are checked with the
   rest of the response: the schema checks each event on its own (`items`, nothing across
   events), so a response is valid exactly when that reduced response is. Anything that is
   not plainly valid is checked in full as before, with the same error selection
   (`best_match`) and the same error message.

2. Loading DIET / ResponseSelector models. Rasa builds a model's variables by running one
   training step (`fit`) before it reads the trained weights, which traces the training graph
   and creates the optimizer's state: about half of the server's start-up time and a third of
   its memory. Here the variables are built by a prediction instead, then the trained weights
   are read, the prediction graph is traced anew and the label embeddings recomputed from those
   weights, as Rasa does after loading. Only the optimizer's saved state is left unread, which
   prediction never uses. Fine-tuning (`rasa train --finetune`) and models without a
   prediction example keep Rasa's own loading; dialogue policies (TED) are left alone.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

import rasa
import tensorflow as tf
from jsonschema import ValidationError, exceptions, validators
from rasa.core.actions import action as rasa_action
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

SUPPORTED_RASA = "3.6.21"
_VALIDATORS: dict[Any, tuple[Any, bool]] = {}
_VALID_EVENTS: OrderedDict[Any, None] = OrderedDict()
_VALID_EVENTS_MAX = 20_000
_STOCK_LOAD = RasaModel.__dict__["load"]


def _validator(spec_function: Any) -> tuple[Any, bool]:
    """The validator of a response schema, and whether its events are checked one by one."""
    found = _VALIDATORS.get(spec_function)
    if found is None:
        schema = spec_function()
        cls = validators.validator_for(schema)
        cls.check_schema(schema)
        events = schema.get("properties", {}).get("events")
        per_event = (
            set(schema) == {"type", "properties"}
            and schema["type"] == "object"
            and isinstance(events, dict)
            and set(events) == {"type", "items"}
            and events["type"] == "array"
            and isinstance(events["items"], dict)
        )
        found = _VALIDATORS[spec_function] = (cls(schema), per_event)
    return found


def _frozen(value: Any) -> Any:
    """A hashable copy of a plain JSON value that keeps its exact types (TypeError otherwise)."""
    kind = type(value)
    if kind is dict:
        if not all(type(key) is str for key in value):
            raise TypeError("non-string key")
        return ("object", tuple(sorted((key, _frozen(item)) for key, item in value.items())))
    if kind is list:
        return ("array", tuple(_frozen(item) for item in value))
    if kind in (str, int, float, bool) or value is None:
        return (kind.__name__, value)
    raise TypeError(kind.__name__)


def _known_valid(validator: Any, result: Any) -> bool:
    """True if `result` is valid, checking only the events not seen valid before; False means
    "check it in full"."""
    if type(result) is not dict or type(result.get("events")) is not list:
        return False
    try:
        keys = [_frozen(event) for event in result["events"]]
    except (TypeError, RecursionError):
        return False
    new = [
        (key, event) for key, event in zip(keys, result["events"], strict=True) if key not in _VALID_EVENTS
    ]
    if not validator.is_valid({**result, "events": [event for _, event in new]}):
        return False
    for key in keys:
        _VALID_EVENTS[key] = None
        _VALID_EVENTS.move_to_end(key)
    while len(_VALID_EVENTS) > _VALID_EVENTS_MAX:
        _VALID_EVENTS.popitem(last=False)
    return True


def _validate_action_result(self: rasa_action.RemoteAction, result: dict[str, Any]) -> bool:
    """`RemoteAction._validate_action_result` with a reused validator and known-valid events."""
    try:
        # `action_response_format_spec` is a static method returning a constant schema
        validator, per_event = _validator(type(self).action_response_format_spec)
        if per_event and _known_valid(validator, result):
            return True
        error = exceptions.best_match(validator.iter_errors(result))
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


def _load(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load` for prediction: variables built by inference instead of a training step."""
    if finetune_mode or predict_data_example is None or not issubclass(cls, DIET):
        return _STOCK_LOAD.__func__(
            cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
        )
    model = cls(*args, **kwargs)
    learning_rate = kwargs.get("config", {}).get(LEARNING_RATE, 0.001)
    run_eagerly = kwargs.get("config", {}).get(RUN_EAGERLY)
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate), run_eagerly=run_eagerly)
    model.run_inference(predict_data_example)  # creates every variable prediction uses
    model.load_weights(model_file_name).expect_partial()  # the optimizer's state stays unread
    # forget what the first prediction derived from the initial weights: the traced graph holds
    # the label embeddings it computed, so trace again and recompute them from the trained ones
    model._tf_predict_step = None
    model.prepared_for_prediction = False
    model.all_labels_embed = None
    model.run_inference(predict_data_example)  # as Rasa does: trace the prediction graph now
    return model


def install() -> bool:
    """Patch Rasa if it is the version these were written for (idempotent); whether it did."""
    if rasa.__version__ != SUPPORTED_RASA:
        logger.warning(
            f"server/speedups.py was written for Rasa {SUPPORTED_RASA}; this is Rasa {rasa.__version__}: "
            f"the speed-ups are not installed (Rasa's own code runs). Check the patched functions "
            f"against this version and update SUPPORTED_RASA."
        )
        return False
    rasa_action.RemoteAction._validate_action_result = _validate_action_result
    RasaModel.load = classmethod(_load)
    return True
