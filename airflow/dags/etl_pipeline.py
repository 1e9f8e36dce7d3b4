"""etl_pipeline: the daily pgshift pipeline, one Airflow task per table, seed, model and report.

The tasks come from pgshift's target/manifest.json (`pgshift compile`; entrypoint.sh runs it),
read by pgshift_tasks.py: a source table is extracted and loaded on its own (and retried on its
own), models are built with their tests in dependency order, grouped as extract → transform →
load → reports, and the report comes last. pgshift decides what runs inside each task; Airflow
schedules, retries and keeps history.

Airflow 3 imports: `airflow.sdk` for DAG and TaskGroup, BashOperator from the standard provider
(https://airflow.apache.org/docs/apache-airflow/stable/_modules/airflow/example_dags/example_task_group.html,
https://airflow.apache.org/docs/apache-airflow-providers-standard/stable/_modules/airflow/providers/standard/example_dags/example_bash_operator.html).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, TaskGroup

from pgshift_tasks import STAGES, day_to_process, plan_tasks, read_manifest, shell_command

PROJECT_DIR = Path(os.environ.get("PGSHIFT_PROJECT_DIR", "/opt/pgshift"))
MANIFEST = PROJECT_DIR / os.environ.get("PGSHIFT_TARGET_PATH", "target") / "manifest.json"
PGSHIFT = f"cd {PROJECT_DIR} && ./bin/pgshift.js --log-format json"
# Every warehouse-writing pgshift command holds the target's run lock, so more than one slot
# would only keep workers waiting; entrypoint.sh creates the pool with this many slots.
WAREHOUSE_POOL = os.environ.get("PGSHIFT_AIRFLOW_POOL", "pgshift_warehouse")
# Airflow 3 reads "@daily" as a CronTriggerTimetable: the run at midnight UTC has that midnight
# as its logical date and an empty data interval; a manual run's logical date is when it was
# asked for, or none (https://airflow.apache.org/docs/apache-airflow/stable/installation/upgrading_to_airflow3.html).
# The day processed is the one that ended before it (pgshift_tasks.day_to_process).
DAY = "{{ pgshift_day(dag_run.logical_date, dag_run.run_after) }}"
# Off by default (Airflow 3's default too): a missed night is made up by `airflow backfill create`
# (https://airflow.apache.org/docs/apache-airflow/stable/core-concepts/backfill.html) or by one
# `pgshift run` without --date, which catches up every day since the last complete one.
CATCHUP = os.environ.get("PGSHIFT_AIRFLOW_CATCHUP", "false").lower() == "true"
START_DATE = pendulum.parse(os.environ.get("PGSHIFT_AIRFLOW_START_DATE", "2026-11-01"), tz="UTC")

with DAG(
    dag_id="etl_pipeline",
    schedule="@daily",
    start_date=START_DATE,
    catchup=CATCHUP,
    # Days one after the other: two days on one target wait for each other's run lock anyway.
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=5)},
    tags=["pgshift"],
    doc_md=__doc__,
    user_defined_macros={"pgshift_day": day_to_process},
) as dag:
    plans = plan_tasks(read_manifest(MANIFEST), DAY)
    groups = {stage: TaskGroup(stage, tooltip=f"pgshift: {stage}") for stage in STAGES}
    tasks = {}
    for plan in plans:
        tasks[plan.task_id] = BashOperator(
            task_id=plan.task_id,
            task_group=groups[plan.stage],
            bash_command=shell_command(plan, PGSHIFT),
            pool=WAREHOUSE_POOL if plan.warehouse_only else "default_pool",
            doc_md="pgshift nodes: " + ", ".join(f"`{node}`" for node in plan.nodes),
        )
    for plan in plans:
        for upstream in plan.upstream:
            tasks[upstream] >> tasks[plan.task_id]
