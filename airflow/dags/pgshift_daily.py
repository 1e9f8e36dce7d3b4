"""The daily pgshift pipeline for teams that run Airflow.

One task per source table (extract + load for the logical date, so a slow or failing table
retries on its own), then the models and their tests, then the report. pgshift itself decides
what runs inside each step; Airflow only schedules, retries and keeps history. The logical
date `ds` is the UTC day processed: the run for 2026-11-23 starts after that day has ended.
"""

from datetime import datetime, timedelta
from pathlib import Path

import yaml
from airflow import DAG
from airflow.operators.bash import BashOperator

PROJECT_DIR = Path("/opt/pgshift")
PGSHIFT = f"cd {PROJECT_DIR} && ./bin/pgshift.js --log-format json"


def source_tables() -> list[str]:
    """`shop.orders`, … as declared in pgshift.yml, read when the DAG file is parsed."""
    project = yaml.safe_load((PROJECT_DIR / "pgshift.yml").read_text())
    return [f"{source}.{table}" for source, spec in project.get("sources", {}).items() for table in spec["tables"]]


with DAG(
    dag_id="pgshift_daily",
    schedule="@daily",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["pgshift"],
) as dag:
    sources = [
        BashOperator(
            task_id=f"extract_load__{table.replace('.', '__')}",
            # Extracts (S3 only) run side by side; each load takes the target's run lock, so
            # loads into the warehouse queue one after another: wait for the others, up to 2h.
            bash_command=(
                f"{PGSHIFT} extract --select source:{table} --date {{{{ ds }}}}"
                f" && {PGSHIFT} load --select source:{table} --date {{{{ ds }}}} --lock-timeout 2h"
            ),
        )
        for table in source_tables()
    ]
    build = BashOperator(task_id="build_models_and_tests", bash_command=f"{PGSHIFT} build --date {{{{ ds }}}}")
    report = BashOperator(task_id="report", bash_command=f"{PGSHIFT} report --date {{{{ ds }}}} --upload")

    sources >> build >> report
