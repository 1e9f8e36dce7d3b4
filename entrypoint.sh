#!/usr/bin/env bash
# Entrypoint of the Airflow containers (docker-compose.yml): waits for the servers the stack
# needs, migrates Airflow's database, sets up the admin login and the warehouse pool, installs
# and compiles the pgshift project, then runs the Airflow component it was given.
#   entrypoint.sh api-server | scheduler | dag-processor | triggerer | celery-worker
set -euo pipefail

component="${1:-}"
case "$component" in
  api-server | scheduler | dag-processor | triggerer) command=(airflow "$component") ;;
  celery-worker) command=(airflow celery worker) ;;
  *)
    echo "entrypoint.sh: unknown component '${component}'; use api-server, scheduler, dag-processor, triggerer or celery-worker" >&2
    exit 1
    ;;
esac

project_dir="${PGSHIFT_PROJECT_DIR:-/opt/pgshift}"
# host:port pairs, space-separated (docker-compose.yml sets them for the local stack).
wait_for="${PGSHIFT_WAIT_FOR:-}"
wait_seconds="${PGSHIFT_WAIT_SECONDS:-120}"

# .env switches to a real source, S3 or Redshift by setting a variable to nothing (the S3
# endpoint, say): pgshift must see it unset, not empty.
for name in PGSHIFT_S3_ENDPOINT PGSHIFT_WAREHOUSE_URL PGSHIFT_REDSHIFT_SECRET_ARN PGSHIFT_PII_KEY AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY; do
  if [ -z "${!name:-}" ]; then unset "$name"; fi
done

wait_for_port() {
  local host="${1%:*}" port="${1##*:}" waited=0
  until (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null; do
    if [ "$waited" -ge "$wait_seconds" ]; then
      echo "entrypoint.sh: ${host}:${port} did not answer within ${wait_seconds}s; check that service's log" >&2
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}

for address in $wait_for; do wait_for_port "$address"; done

setup() {
  airflow db migrate

  # The simple auth manager (Airflow 3's default) reads users from [core]
  # simple_auth_manager_users and their passwords from a JSON file it otherwise generates
  # (https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/auth-manager/simple/index.html).
  # The FAB auth manager keeps users in the database and creates them with `airflow users create`
  # (https://airflow.apache.org/docs/apache-airflow-providers-fab/stable/cli-ref.html).
  local admin_user="${AIRFLOW_ADMIN_USER:-admin}" admin_password="${AIRFLOW_ADMIN_PASSWORD:-admin}"
  case "${AIRFLOW__CORE__AUTH_MANAGER:-}" in
    *fab*)
      airflow users create --username "$admin_user" --password "$admin_password" --role Admin \
        --firstname Admin --lastname User --email "${admin_user}@localhost" || true
      ;;
    *)
      local passwords="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-${AIRFLOW_HOME:-/opt/airflow}/simple_auth_manager_passwords.json.generated}"
      ADMIN_USER="$admin_user" ADMIN_PASSWORD="$admin_password" python3 -c \
        'import json, os, sys; json.dump({os.environ["ADMIN_USER"]: os.environ["ADMIN_PASSWORD"]}, open(sys.argv[1], "w"))' "$passwords"
      ;;
  esac

  # Warehouse-writing pgshift commands share the target's run lock: one slot is enough.
  airflow pools set "${PGSHIFT_AIRFLOW_POOL:-pgshift_warehouse}" "${PGSHIFT_AIRFLOW_POOL_SLOTS:-1}" \
    "pgshift commands that write to the warehouse (they queue on its run lock)"

  cd "$project_dir"
  # node_modules is a volume of its own: install when package-lock.json changed since the last
  # install, so the containers starting together install once.
  local lock_hash
  lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ "$(cat node_modules/.pgshift-lock-hash 2>/dev/null || true)" != "$lock_hash" ]; then
    npm ci --no-audit --no-fund
    echo "$lock_hash" >node_modules/.pgshift-lock-hash
  fi
  # The DAG reads its tasks from target/manifest.json.
  ./bin/pgshift.js compile
}

mkdir -p "$project_dir/.pgshift"
# All components start together: one sets up at a time, the others then find it done.
(
  flock 9
  setup
) 9>"$project_dir/.pgshift/airflow-setup.lock"

exec "${command[@]}"
