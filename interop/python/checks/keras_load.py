"""Loading a Keras file while recording what Keras warned about."""
import logging
import warnings

import keras


def load_model_with_warnings(path):
    """``keras.saving.load_model(path)``; returns the model and the messages of
    every warning, and of every log record at level WARNING or above, that
    loading gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        logging.getLogger().addHandler(handler)
        try:
            model = keras.saving.load_model(path)
        finally:
            logging.getLogger().removeHandler(handler)
    messages = [str(w.message) for w in caught] + [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    return model, messages
