# Airflow with Node.js, so the pgshift DAG's tasks can run the pgshift CLI.
FROM node:24-bookworm-slim AS node

FROM apache/airflow:2.10.3-python3.11
USER root
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
USER airflow
