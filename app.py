"""WSGI entry point: `app = create_app()` (gunicorn app:app, flask --app app)."""

import gc

from tracker import create_app

app = create_app()

# What the app has built by now (modules, models, templates' environment) lives as long as the process:
# frozen, the collector's full sweeps no longer walk it, which set the tail of the pages that allocate most.
gc.freeze()
