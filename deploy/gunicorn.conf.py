"""gunicorn configuration: `gunicorn -c deploy/gunicorn.conf.py training_plan.wsgi`.

Workers: 2 × cores + 1 (gunicorn's own advice), overridable with WEB_CONCURRENCY. Bound to the
loopback address: only nginx on the same server talks to it (BEHIND_PROXY=1 trusts its headers).
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Exports and the plan PDF may take several seconds; nginx waits 120 s (proxy_read_timeout).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak in a library never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the application once in the master: faster start, less memory (copy-on-write).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Never trust X-Forwarded-* except from nginx on this machine.
forwarded_allow_ips = "127.0.0.1"
limit_request_line = 8190
