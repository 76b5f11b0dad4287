"""Production serving: `gunicorn 'backend:create_app()'` reads this file.

Scoring is CPU-bound Python, so one worker process per core; each worker loads the
model once, when it starts. A couple of threads per worker keep it busy while a
request waits on a fetched page. Override any setting with GUNICORN_CMD_ARGS.

Set SENSATIONALISM_REDIS_URL for more than one worker: rate limits (and the
result cache) are then shared through Redis; without it each worker counts its
own clients, and N workers let N times the limit through.
"""

import multiprocessing
import os

bind = os.environ.get("SENSATIONALISM_BIND", "127.0.0.1:8000")
workers = multiprocessing.cpu_count()
threads = 2
worker_class = "gthread"
# Above the app's own budgets (fetch 10 s, then extraction and scoring 10 s),
# which answer 504 first; gthread workers do not hit this for a busy request.
timeout = 30
graceful_timeout = 20
# Request bodies (up to 5 MB of HTML) are capped by the app (MAX_CONTENT_LENGTH).
accesslog = "-"
