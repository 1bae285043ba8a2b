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

# pg_dump for `manage.py backup`, of the version docker-compose.yml's server runs (16): Debian
# bookworm ships 15, which refuses to dump a newer server. It comes from the PostgreSQL
# project's own repository, whose signing key is fetched over HTTPS at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d -m 0755 /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
        https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && . /etc/os-release \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
        > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && apt-get purge -y --auto-remove curl \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user that cannot modify its own code.
RUN groupadd --system --gid 10001 bloom \
    && useradd --system --uid 10001 --gid bloom --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin bloom

WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .

# The translation catalogues, compiled in pure Python (Babel); the .mo files are not in git.
RUN python scripts/compile-catalogue --force

# Static files are collected at build time with the production storage (hashed names and
# a manifest); whitenoise serves them. The values below only satisfy the settings check:
# nothing connects to a database or broker during collectstatic.
RUN BLOOM_ENV=production SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/unused.sqlite3 REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Writable data: private files (generated PDFs, uploads), shared by web and worker through
# a volume, and the backups `manage.py backup` writes. A new named volume takes its
# directory's ownership.
RUN mkdir -p /data/private /data/backups && chown -R bloom:bloom /data \
    && chmod 0700 /data /data/private /data/backups

USER bloom

EXPOSE 8000

CMD ["gunicorn", "bloom.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000"]
