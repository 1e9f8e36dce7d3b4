# pgshift on Node.js 24 (the current LTS): the repository with its dependencies installed and the
# CLI bundled. The compose stack runs the demo data generator in it; docker/airflow.Dockerfile
# copies Node.js from the same node:24 image, so the Airflow workers run pgshift on this runtime.
FROM node:24-bookworm-slim
WORKDIR /opt/pgshift
COPY . .
# npm ci's prepare script bundles the CLI into dist/.
RUN npm ci --no-audit --no-fund
USER node
ENTRYPOINT ["./bin/pgshift.js"]
CMD ["--help"]
