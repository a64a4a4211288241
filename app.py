"""WSGI entry point: `app = create_app()` (gunicorn app:app, flask --app app)."""

from tracker import create_app

app = create_app()
