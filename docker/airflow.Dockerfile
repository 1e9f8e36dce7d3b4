# Airflow 3 with Node.js 24, so the etl_pipeline tasks (BashOperator) can run the pgshift CLI.
# The project is mounted at /opt/pgshift; its node_modules is a volume, which starts with this
# image's (empty, group-writable) folder. entrypoint.sh installs and compiles the project when a
# container starts.
ARG AIRFLOW_IMAGE=apache/airflow:3.3.2-python3.12
FROM node:24-bookworm-slim AS node

FROM ${AIRFLOW_IMAGE}
USER root
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
COPY entrypoint.sh /opt/pgshift-entrypoint.sh
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
  && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
  && chmod 0755 /opt/pgshift-entrypoint.sh \
  && mkdir -p /opt/pgshift/node_modules \
  && chown -R airflow:0 /opt/pgshift \
  && chmod -R g+rwX /opt/pgshift
USER airflow
ENTRYPOINT ["/opt/pgshift-entrypoint.sh"]
