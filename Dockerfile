# The dashboard in a container: runtime dependencies only (requirements.txt), static files and
# translations built into the image, gunicorn as a non-root user. See "Run in a container" in README.md.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=dashboard.settings.production \
    VAR_DIR=/app/var \
    PORT=8000 \
    GUNICORN_THREADS=16 \
    WEB_CONCURRENCY=2

WORKDIR /app
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin dashboard

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
# Production settings refuse to load without their variables; these placeholders exist for this
# build step only (collectstatic reads no secret) and are not in the image's environment.
RUN DJANGO_SECRET_KEY=build-only-placeholder-not-a-secret-0123456789abcdefghij \
    SESSION_ENCRYPTION_KEYS=build-only-placeholder-not-a-secret-0123456789 \
    DJANGO_ALLOWED_HOSTS=localhost \
    SCALINGO_AUTH_URL=https://auth.invalid SCALINGO_API_URL=https://api.invalid SCALINGO_BILLING_URL=https://billing.invalid \
    python manage.py collectstatic --noinput -v0 \
    && bin/post_compile \
    && mkdir -p /app/var \
    && chown dashboard:dashboard /app/var

USER dashboard
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "deploy/healthcheck.py"]
# gunicorn binds 0.0.0.0:$PORT and runs $WEB_CONCURRENCY workers by itself; GUNICORN_CMD_ARGS adds options.
CMD ["gunicorn", "dashboard.wsgi", "--threads", "16", "--worker-class", "gthread", "--timeout", "30", "--graceful-timeout", "20", "--no-control-socket"]
