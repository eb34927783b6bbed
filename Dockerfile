# Sigap in a container: the wheel is built in one stage and installed, with the releases
# pinned in constraints.txt, into a slim runtime that runs as an unprivileged user.
#   docker build -t sigap .        (compose.yaml does this, with PostgreSQL beside it)

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY constraints.txt ./
RUN pip install --constraint constraints.txt setuptools
COPY pyproject.toml README.md LICENSE ./
COPY app ./app
COPY bot ./bot
COPY catalogue ./catalogue
COPY core ./core
COPY messages ./messages
COPY migrations ./migrations
COPY models ./models
COPY services ./services
RUN pip wheel --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN useradd --system --user-group --create-home --home-dir /var/lib/sigap \
        --shell /usr/sbin/nologin sigap
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    --mount=type=bind,source=constraints.txt,target=/constraints.txt \
    pip install --constraint /constraints.txt /wheels/*.whl
USER sigap
# The working directory holds what Sigap writes when no DATABASE_URL is given (var/sigap.db).
WORKDIR /var/lib/sigap
VOLUME ["/var/lib/sigap"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["sigap", "serve", "--host", "0.0.0.0", "--port", "8000"]
