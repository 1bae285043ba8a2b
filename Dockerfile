# Bloom production image: gunicorn serving bloom.wsgi; the same image runs the Celery worker
# and beat (see docker-compose.yml). TLS is terminated by a reverse proxy in front.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BLOOM_VAR_DIR=/data \
    BLOOM_PRIVATE_ROOT=/data/private

# WeasyPrint's native libraries and a font for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user that cannot modify its own code.
RUN groupadd --system --gid 10001 bloom \
    && useradd --system --uid 10001 --gid bloom --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin bloom

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# Static files are collected at build time with the production storage (hashed names and
# a manifest); whitenoise serves them. The values below only satisfy the settings check:
# nothing connects to a database or broker during collectstatic.
RUN BLOOM_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/unused.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Writable data: private files (generated PDFs, uploads), shared by web and worker through
# a volume. A new named volume takes this directory's ownership.
RUN mkdir -p /data/private && chown -R bloom:bloom /data && chmod 0700 /data /data/private

USER bloom

EXPOSE 8000

CMD ["gunicorn", "bloom.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000"]
