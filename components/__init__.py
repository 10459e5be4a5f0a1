"""Custom Rasa NLU components: clinical value extraction and the safety intent guard."""
