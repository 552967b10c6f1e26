import os

from django.core.wsgi import get_wsgi_application
from django.urls import resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klaster.web.settings")
application = get_wsgi_application()
# Import every view (and the numeric libraries behind them) now, not on the first request: with
# `gunicorn --preload` that happens once, before the workers fork, instead of costing the first
# visitor of each worker about six seconds.
resolve("/")
