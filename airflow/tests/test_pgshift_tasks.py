"""The etl_pipeline task plan on the shop project's real manifest, compiled afresh for each run.

Runs without Airflow: `python3 -m unittest discover airflow/tests` (the repository's npm test runs
it too, test/integration/airflow-deployment.test.ts). The DAG file itself is loaded with stand-ins
for the few Airflow classes it uses, to check the tasks, groups, pools and edges it declares.
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import tempfile
import types
import unittest
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAGS = ROOT / "airflow" / "dags"
sys.path.insert(0, str(DAGS))

import pgshift_tasks  # noqa: E402
from pgshift_tasks import STAGES, ManifestError, day_to_process, pgshift_view, plan_tasks, read_manifest, shell_command  # noqa: E402

PGSHIFT = str(ROOT / "bin" / "pgshift.js")


def pgshift(*args: str) -> str:
    done = subprocess.run([PGSHIFT, *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"pgshift {' '.join(args)} exited {done.returncode}: {done.stderr.strip()}")
    return done.stdout


class ShopPlanTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.target = tempfile.TemporaryDirectory(prefix="pgshift-airflow-")
        pgshift("compile", "--target-path", cls.target.name)
        cls.manifest = read_manifest(Path(cls.target.name) / "manifest.json")
        cls.plans = plan_tasks(cls.manifest, "2026-11-23")
        cls.by_id = {plan.task_id: plan for plan in cls.plans}

    @classmethod
    def tearDownClass(cls) -> None:
        cls.target.cleanup()

    def task_running(self, unique_id: str) -> pgshift_tasks.TaskPlan:
        [plan] = [plan for plan in self.plans if unique_id in plan.nodes]
        return plan

    def test_one_extract_and_load_task_per_source_table(self) -> None:
        tables = sorted(source["table_id"] for source in self.manifest["sources"].values())
        self.assertEqual(tables, ["shop.customers", "shop.orders", "shop.products", "shop.sales"])
        for table in tables:
            plan = self.by_id[table.replace(".", "__")]
            self.assertEqual(plan.stage, "extract")
            self.assertEqual(plan.upstream, ())
            self.assertFalse(plan.warehouse_only)
            self.assertEqual(plan.commands[0], ("extract", "--select", f"source:{table}", "--date", "2026-11-23"))
            self.assertEqual(plan.commands[1][:5], ("load", "--select", f"source:{table}", "--date", "2026-11-23"))

    def test_every_node_runs_in_exactly_one_task(self) -> None:
        expected = sorted([*self.manifest["sources"], *self.manifest["nodes"]])
        ran = sorted(node for plan in self.plans for node in plan.nodes)
        self.assertEqual(ran, expected)

    def test_each_task_waits_for_the_tasks_of_its_nodes_parents(self) -> None:
        position = {plan.task_id: index for index, plan in enumerate(self.plans)}
        for plan in self.plans:
            for upstream in plan.upstream:
                self.assertLess(position[upstream], position[plan.task_id], f"{plan.task_id} before {upstream}")
            for node in plan.nodes:
                for parent in self.manifest["parent_map"][node]:
                    owner = self.task_running(parent).task_id
                    if owner != plan.task_id:
                        self.assertIn(owner, self.ancestors(plan.task_id), f"{node} in {plan.task_id} runs before {parent}")

    def ancestors(self, task_id: str) -> set[str]:
        found: set[str] = set()
        pending = list(self.by_id[task_id].upstream)
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(self.by_id[current].upstream)
        return found

    def test_groups_show_extract_transform_load_reports(self) -> None:
        stage_of = {plan.task_id: plan.stage for plan in self.plans}
        self.assertEqual(stage_of["stg_orders"], "transform")
        self.assertEqual(stage_of["stg_customers"], "transform")
        self.assertEqual(stage_of["fct_orders"], "load")
        self.assertEqual(stage_of["dim_customers"], "load")
        self.assertEqual(stage_of["daily_sales"], "reports")
        self.assertEqual(stage_of["country_codes"], "extract")
        edges = {(stage_of[u], plan.stage) for plan in self.plans for u in plan.upstream if stage_of[u] != plan.stage}
        self.assertTrue({("extract", "transform"), ("transform", "load"), ("load", "reports")} <= edges, edges)
        for before, after in edges:
            self.assertLess(STAGES.index(before), STAGES.index(after), f"{before} → {after} goes backwards")

    def test_a_test_across_branches_waits_for_both(self) -> None:
        test_id = "test.shop_analytics.relationships_fct_orders_customer_id__customer_id__ref_dim_customers_"
        plan = self.task_running(test_id)
        self.assertEqual(plan.nodes, (test_id,))
        self.assertEqual(set(plan.upstream), {"dim_customers", "fct_orders"})
        self.assertEqual(plan.commands[0][0], "test")

    def test_a_model_runs_its_own_tests(self) -> None:
        plan = self.by_id["stg_orders"]
        self.assertIn("test.shop_analytics.unique_stg_orders_order_id", plan.nodes)
        # stg_orders is built after stg_sales, so the test between them belongs to stg_orders.
        self.assertIn("test.shop_analytics.relationships_stg_sales_order_id__order_id__ref_stg_orders_", plan.nodes)
        self.assertEqual(plan.commands, (("build", "--select", "stg_orders", "--date", "2026-11-23"),))

    def test_the_report_comes_last_after_the_report_models(self) -> None:
        report = self.plans[-1]
        self.assertEqual(report.task_id, "generate_report")
        self.assertEqual(report.commands, (("report", "--date", "2026-11-23", "--upload"),))
        for model in ("daily_sales", "product_performance", "customer_lifetime_value", "cohort_retention", "new_vs_returning_customers"):
            self.assertIn(model, report.upstream)

    def test_pgshift_selects_exactly_the_nodes_each_task_claims(self) -> None:
        def listed(plan: pgshift_tasks.TaskPlan) -> tuple[str, list[str]]:
            command = plan.commands[0]
            selection = [arg for arg in command[1:] if arg != "--date" and arg != "2026-11-23"]
            out = pgshift("ls", *selection, "--output", "json", "--target-path", self.target.name)
            return plan.task_id, sorted(json.loads(line)["unique_id"] for line in out.splitlines() if line.strip())

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = dict(pool.map(listed, [plan for plan in self.plans if plan.nodes]))
        for plan in self.plans:
            if plan.nodes:
                self.assertEqual(results[plan.task_id], sorted(plan.nodes), plan.task_id)

    def test_every_command_is_a_pgshift_command_with_flags_it_has(self) -> None:
        for command in {plan.commands[i][0] for plan in self.plans for i in range(len(plan.commands))}:
            helped = pgshift(command, "--help")
            for plan in self.plans:
                for args in plan.commands:
                    if args[0] == command:
                        for flag in (arg for arg in args[1:] if arg.startswith("--")):
                            self.assertIn(flag, helped, f"pgshift {command} has no {flag}")

    def test_warehouse_tasks_are_the_ones_outside_extract_and_load_of_tables(self) -> None:
        for plan in self.plans:
            self.assertEqual(plan.warehouse_only, plan.commands[0][0] != "extract", plan.task_id)


class DayToProcessTest(unittest.TestCase):
    def test_the_midnight_run_processes_the_day_that_just_ended(self) -> None:
        midnight = datetime(2026, 12, 3, tzinfo=timezone.utc)
        self.assertEqual(day_to_process(midnight, midnight), "2026-12-02")

    def test_a_manual_run_processes_yesterday_never_today(self) -> None:
        asked = datetime(2026, 12, 3, 10, 15, tzinfo=timezone.utc)
        self.assertEqual(day_to_process(asked, asked), "2026-12-02")

    def test_a_run_without_a_logical_date_uses_its_run_after(self) -> None:
        self.assertEqual(day_to_process(None, datetime(2026, 1, 1, 0, 30, tzinfo=timezone.utc)), "2025-12-31")

    def test_a_logical_date_in_another_time_zone_counts_in_utc(self) -> None:
        # 01:30 in UTC+2 is 23:30 UTC the day before.
        local = datetime(2026, 12, 3, 1, 30, tzinfo=timezone(timedelta(hours=2)))
        self.assertEqual(day_to_process(local, local), "2026-12-01")


class ShellAndErrorsTest(unittest.TestCase):
    def test_arguments_are_quoted_for_bash(self) -> None:
        # As target/manifest.json names it (dbt's v12 ids): pgshift_view turns it into pgshift's.
        manifest = pgshift_view(
            {
                "nodes": {},
                "sources": {
                    "source.app_project.app.Order Lines": {
                        "unique_id": "source.app_project.app.Order Lines",
                        "resource_type": "source",
                        "name": "Order Lines",
                        "source_name": "app",
                        "identifier": "Order Lines",
                        "meta": {"pgshift": {"table_id": "app.Order Lines"}},
                    }
                },
                "parent_map": {"source.app_project.app.Order Lines": []},
            }
        )
        self.assertEqual(list(manifest["sources"]), ["source.app.Order Lines"])
        [source, report] = plan_tasks(manifest, "{{ ds }}")
        self.assertEqual(source.task_id, "app__Order_Lines")
        line = shell_command(source, "pgshift")
        self.assertIn("--select 'source:app.Order Lines' --date '{{ ds }}'", line)
        self.assertEqual(report.upstream, ("app__Order_Lines",))

    def test_a_missing_manifest_names_the_file_and_what_to_do(self) -> None:
        with self.assertRaises(ManifestError) as caught:
            read_manifest("/nonexistent/target/manifest.json")
        self.assertEqual(str(caught.exception), "/nonexistent/target/manifest.json: not found; run `pgshift compile` in the project first")

    def test_a_file_that_is_not_a_manifest_says_so(self) -> None:
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            file.write('{"nodes": {}}')
            file.flush()
            with self.assertRaisesRegex(ManifestError, "no `sources` key; is it a pgshift manifest"):
                read_manifest(file.name)


class SnapshotPlanTest(unittest.TestCase):
    """A snapshot is built by a task of its own, before the models that read it."""

    def test_a_snapshot_task_builds_it_and_the_model_reading_it_waits(self) -> None:
        node = lambda unique_id, kind, name: {"unique_id": unique_id, "resource_type": kind, "name": name, "fqn": ["shop", name]}  # noqa: E731
        manifest = {
            "sources": {},
            "nodes": {
                "snapshot.shop.orders_snapshot": node("snapshot.shop.orders_snapshot", "snapshot", "orders_snapshot"),
                "model.shop.current_orders": node("model.shop.current_orders", "model", "current_orders"),
            },
            "parent_map": {"snapshot.shop.orders_snapshot": [], "model.shop.current_orders": ["snapshot.shop.orders_snapshot"]},
            "topological_order": ["snapshot.shop.orders_snapshot", "model.shop.current_orders"],
        }
        by_id = {plan.task_id: plan for plan in plan_tasks(manifest, "2026-11-23")}
        self.assertEqual(by_id["orders_snapshot"].commands, (("build", "--select", "orders_snapshot", "--date", "2026-11-23"),))
        self.assertEqual(by_id["current_orders"].upstream, ("orders_snapshot",))


class DeclaredSourcePlanTest(unittest.TestCase):
    """A source only dbt YAML declares is loaded by something else: no extract or load task for it."""

    def test_only_its_tests_run_and_a_source_without_tests_has_no_task(self) -> None:
        # As target/manifest.json writes it: dbt's v12 ids, pgshift's fields under meta.pgshift.
        source = lambda name: {  # noqa: E731
            "unique_id": f"source.shop.crm.{name}", "resource_type": "source", "name": name, "source_name": "crm", "identifier": name,
            "fqn": ["shop", "crm", name], "meta": {"pgshift": {"table_id": f"crm.{name}", "extracted": False}},
        }
        manifest = {
            "sources": {"source.shop.crm.accounts": source("accounts"), "source.shop.crm.notes": source("notes")},
            "nodes": {
                "test.shop.not_null_accounts_id": {"unique_id": "test.shop.not_null_accounts_id", "resource_type": "test", "name": "not_null_accounts_id", "fqn": ["shop", "not_null_accounts_id"]},
                "model.shop.accounts": {"unique_id": "model.shop.accounts", "resource_type": "model", "name": "accounts", "fqn": ["shop", "accounts"]},
            },
            "parent_map": {
                "source.shop.crm.accounts": [], "source.shop.crm.notes": [],
                "test.shop.not_null_accounts_id": ["source.shop.crm.accounts"],
                "model.shop.accounts": ["source.shop.crm.accounts", "source.shop.crm.notes"],
            },
        }
        by_id = {plan.task_id: plan for plan in plan_tasks(pgshift_view(manifest), "2026-11-23")}
        self.assertEqual(by_id["crm__accounts"].commands, (("test", "--select", "source:crm.accounts", "--date", "2026-11-23"),))
        self.assertNotIn("crm__notes", by_id)
        self.assertEqual(by_id["accounts"].upstream, ("crm__accounts",))


class DagFileTest(unittest.TestCase):
    """etl_pipeline.py with stand-ins for DAG, TaskGroup, BashOperator and pendulum."""

    def test_the_dag_declares_the_plan(self) -> None:
        recorded = load_dag_file()
        dag, tasks, edges = recorded["dag"], recorded["tasks"], recorded["edges"]
        self.assertEqual(dag["dag_id"], "etl_pipeline")
        self.assertEqual(dag["schedule"], "@daily")
        self.assertEqual(dag["catchup"], False)
        self.assertEqual(dag["max_active_runs"], 1)
        self.assertGreaterEqual(dag["default_args"]["retries"], 1)
        orders = tasks["shop__orders"]
        self.assertEqual(orders["group"], "extract")
        self.assertEqual(orders["pool"], "default_pool")
        self.assertIn(
            "./bin/pgshift.js --log-format json extract --select source:shop.orders --date '{{ pgshift_day(dag_run.logical_date, dag_run.run_after) }}'",
            orders["bash_command"],
        )
        self.assertIs(dag["user_defined_macros"]["pgshift_day"], recorded["day_to_process"])
        self.assertEqual(tasks["fct_orders"]["group"], "load")
        self.assertEqual(tasks["fct_orders"]["pool"], "pgshift_warehouse")
        self.assertEqual(tasks["generate_report"]["group"], "reports")
        self.assertIn(("stg_orders", "fct_orders"), edges)
        self.assertIn(("daily_sales", "generate_report"), edges)
        self.assertEqual(len(tasks), 26)


def load_dag_file() -> dict:
    recorded: dict = {"tasks": {}, "edges": set(), "dag": None}

    class DAG:
        def __init__(self, **kwargs) -> None:
            recorded["dag"] = kwargs

        def __enter__(self):
            return self

        def __exit__(self, *_):
            return False

    class TaskGroup:
        def __init__(self, group_id: str, tooltip: str = "") -> None:
            self.group_id = group_id

    class BashOperator:
        def __init__(self, task_id: str, task_group: TaskGroup, bash_command: str, pool: str, doc_md: str) -> None:
            self.task_id = task_id
            recorded["tasks"][task_id] = {"group": task_group.group_id, "bash_command": bash_command, "pool": pool}

        def __rshift__(self, other: BashOperator) -> BashOperator:
            recorded["edges"].add((self.task_id, other.task_id))
            return other

    fakes = {
        "airflow": types.ModuleType("airflow"),
        "airflow.sdk": types.SimpleNamespace(DAG=DAG, TaskGroup=TaskGroup),
        "airflow.providers": types.ModuleType("airflow.providers"),
        "airflow.providers.standard": types.ModuleType("airflow.providers.standard"),
        "airflow.providers.standard.operators": types.ModuleType("airflow.providers.standard.operators"),
        "airflow.providers.standard.operators.bash": types.SimpleNamespace(BashOperator=BashOperator),
        "pendulum": types.SimpleNamespace(parse=lambda text, tz: (text, tz)),
    }
    saved = {name: sys.modules.get(name) for name in fakes}
    with tempfile.TemporaryDirectory() as target:
        pgshift("compile", "--target-path", target)
        environment = {"PGSHIFT_PROJECT_DIR": str(ROOT), "PGSHIFT_TARGET_PATH": target}
        old_environment = {name: os.environ.get(name) for name in environment}
        try:
            sys.modules.update(fakes)  # type: ignore[arg-type]
            os.environ.update(environment)
            namespace = runpy.run_path(str(DAGS / "etl_pipeline.py"))
            recorded["day_to_process"] = namespace["day_to_process"]
        finally:
            for name, module in saved.items():
                if module is None:
                    sys.modules.pop(name, None)
                else:
                    sys.modules[name] = module
            for name, value in old_environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return recorded


if __name__ == "__main__":
    unittest.main()
