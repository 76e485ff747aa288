# Upstander image: CPU-only, models shipped in the image, SQLite by default. The same image runs every
# role of compose.yaml (api, Celery worker, beat): only the command differs. Untested here (no container
# engine on the development machines); it installs exactly what `pip install .` installs in the tests.
FROM python:3.11-slim

# MALLOC_*: two heap arenas and an eager trim keep long-running processes' memory flat (service/analyze.py).
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
    UPSTANDER_DATA_DIR=/data MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install --no-cache-dir .
COPY models ./models
ENV UPSTANDER_MODELS_DIR=/app/models
RUN useradd --create-home upstander && mkdir -p /data && chown upstander /data
USER upstander
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# The API by default; compose.yaml runs `upstander worker --concurrency N` and `upstander worker --beat-only`
# from this image, with their own health checks.
CMD ["upstander", "serve", "--host", "0.0.0.0", "--port", "8000"]
