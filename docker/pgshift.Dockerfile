# pgshift on Node.js 24 (the current LTS): the repository with its dependencies installed and the
# CLI bundled. The compose stack runs the demo data generator in it; the Airflow image below
# copies the same Node.js, so the workers run pgshift on the same runtime.
FROM node:24-bookworm-slim
WORKDIR /opt/pgshift
COPY package.json package-lock.json ./
# Scripts run after the sources are in (the bundle step needs them).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build
USER node
ENTRYPOINT ["./bin/pgshift.js"]
CMD ["--help"]
