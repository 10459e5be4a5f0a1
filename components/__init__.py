"""Custom Rasa NLU components: clinical value extraction and the safety intent guard.

Typing: the project's one style (builtin generics, ``X | None``), with one exception here. Rasa
3.6 checks the annotations of a graph component's methods that it calls (``create``, ``load``,
``train``, ``process``, ``process_training_data``) against its own with ``typing_utils``, which
accepts ``list[Message]`` and ``dict[str, Any]`` but takes ``X | None`` for a type other than
``Optional[X]`` or ``X``: an optional input or output of those methods must be written
``Optional[X]`` (with ``# noqa: UP045``), or `rasa train` refuses the pipeline.
"""
