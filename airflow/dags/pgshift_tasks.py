"""Turns pgshift's target/manifest.json into the task plan of the etl_pipeline DAG.

Plain Python (no Airflow import), so the plan is tested on a machine without Airflow. One task
per manifest node that does work: a source table (extract, then load, then its source tests),
a seed or a model (built with its own tests). A test whose parents sit in separate branches
gets a task of its own after all of them. Each task runs pgshift with a selection; pgshift
decides what runs, Airflow schedules, retries and keeps history.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

# The stages the DAG's task groups show, in the order the data flows through them.
STAGES = ("extract", "transform", "load", "reports")
# models/<folder>/ → stage; seeds and sources are inputs, like the extracted tables.
FOLDER_STAGES = {"staging": "transform", "marts": "load", "reports": "reports"}
DEFAULT_MODEL_STAGE = "transform"
REPORT_TASK_ID = "generate_report"


class ManifestError(Exception):
    """target/manifest.json is missing or not what pgshift compile writes."""


@dataclass(frozen=True)
class TaskPlan:
    task_id: str
    stage: str
    # Each command is pgshift's arguments after the global flags; the task runs them in order.
    commands: tuple[tuple[str, ...], ...]
    upstream: tuple[str, ...]
    # Manifest unique ids this task runs (what `pgshift ls` with the same selection lists).
    nodes: tuple[str, ...]
    # Writes to the warehouse only (models, seeds, tests, report): bounded by the warehouse pool.
    warehouse_only: bool


def read_manifest(path: str | Path) -> dict:
    manifest_path = Path(path)
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{manifest_path}: not found; run `pgshift compile` in the project first") from None
    except json.JSONDecodeError as error:
        raise ManifestError(f"{manifest_path}: not valid JSON ({error}); run `pgshift compile` again") from None
    for key in ("nodes", "sources", "parent_map"):
        if key not in manifest:
            raise ManifestError(f"{manifest_path}: no `{key}` key; is it a pgshift manifest? run `pgshift compile` again")
    return pgshift_view(manifest)


def pgshift_view(manifest: dict) -> dict:
    """The manifest (dbt's v12 shape) with pgshift's ids, each source's `table_id` and a topological order.

    The file names a source `source.<project>.<source>.<table>` and a generic test
    `test.<project>.<name>.<hash>`, as dbt does; pgshift's selectors and `ls` use
    `source.<source>.<table>` and `test.<project>.<name>` (src/manifest/dbt-unique-id.ts).
    """
    ids = {}
    for unique_id, node in manifest["sources"].items():
        _, _, rest = unique_id[len("source."):].partition(".")
        ids[unique_id] = f"source.{rest}" if rest else unique_id
    for unique_id in manifest["nodes"]:
        base, _, tail = unique_id.rpartition(".")
        hashed = base.startswith("test.") and hashlib.md5(base.encode()).hexdigest()[:10] == tail
        ids[unique_id] = base if hashed else unique_id
    sources = {}
    for unique_id, node in manifest["sources"].items():
        extras = node.get("meta", {}).get("pgshift", {})
        table_id = extras.get("table_id") or node.get("table_id") or f"{node['source_name']}.{node['identifier']}"
        extracted = extras.get("extracted", node.get("extracted", True))
        sources[ids[unique_id]] = {**node, "unique_id": ids[unique_id], "table_id": table_id, "extracted": extracted, "name": f"source:{table_id}"}
    nodes = {ids[u]: {**n, "unique_id": ids[u]} for u, n in manifest["nodes"].items() if n.get("resource_type") != "operation"}
    parent_map = {ids.get(u, u): [ids.get(p, p) for p in parents] for u, parents in manifest["parent_map"].items()}
    return {**manifest, "sources": sources, "nodes": nodes, "parent_map": parent_map, "topological_order": _topological_order([*sources, *nodes], parent_map)}


def _topological_order(unique_ids: list[str], parent_map: dict[str, list[str]]) -> list[str]:
    known, done, order = set(unique_ids), set(), []

    def visit(unique_id: str, path: frozenset) -> None:
        if unique_id in done or unique_id in path:
            return
        for parent in parent_map.get(unique_id, []):
            if parent in known:
                visit(parent, path | {unique_id})
        done.add(unique_id)
        order.append(unique_id)

    for unique_id in unique_ids:
        visit(unique_id, frozenset())
    return order


def plan_tasks(manifest: dict, date: str) -> list[TaskPlan]:
    """The DAG's tasks, parents before children; `date` goes to every --date (a template in the DAG)."""
    nodes = {**manifest["sources"], **manifest["nodes"]}
    order = {unique_id: index for index, unique_id in enumerate(manifest["topological_order"])}
    parents = {unique_id: [p for p in manifest["parent_map"].get(unique_id, []) if p in nodes] for unique_id in nodes}
    workers = [u for u in manifest["topological_order"] if u in nodes and nodes[u]["resource_type"] in ("source", "seed", "snapshot", "model")]
    ancestors = _ancestors(workers, parents)

    owned: dict[str, list[str]] = {u: [] for u in workers}
    shared: dict[tuple[str, ...], list[str]] = {}
    for test_id in sorted((u for u, n in nodes.items() if n["resource_type"] == "test"), key=lambda u: order.get(u, 0)):
        test_parents = sorted(set(parents[test_id]), key=lambda u: order[u])
        if not test_parents:
            continue
        last = test_parents[-1]
        if all(p in ancestors[last] for p in test_parents[:-1]):
            owned[last].append(test_id)
        else:
            shared.setdefault(tuple(test_parents), []).append(test_id)

    touching: dict[str, set[str]] = {u: set() for u in workers}
    for test_id in (t for t, n in nodes.items() if n["resource_type"] == "test"):
        for parent in parents[test_id]:
            if parent in touching:
                touching[parent].add(test_id)

    ids = _TaskIds()
    task_of: dict[str, str] = {}
    plans: list[TaskPlan] = []
    for unique_id in workers:
        node = nodes[unique_id]
        # pgshift adds every test touching a selected node (dbt's eager indirect selection); a
        # test another task runs stays out of this one.
        exclude = _names(nodes, sorted(touching[unique_id] - set(owned[unique_id]), key=lambda u: order.get(u, 0)))
        exclusion = tuple(arg for name in exclude for arg in ("--exclude", name))
        if node["resource_type"] == "source":
            selector = f"source:{node['table_id']}"
            # A source only dbt YAML declares is loaded by something else: only its tests run here.
            extracted = node.get("extracted", True)
            if not extracted and not owned[unique_id]:
                continue
            commands = [
                ("extract", "--select", selector, "--date", date),
                # Loads queue on the target's run lock while other tables load or models build.
                ("load", "--select", selector, "--date", date, "--lock-timeout", "2h"),
            ] if extracted else []
            if owned[unique_id]:
                commands.append(("test", "--select", selector, *exclusion, "--date", date))
            task_id = ids.take(f"{node['source_name']}__{node['identifier']}")
            stage, warehouse_only = "extract", False
        else:
            commands = [("build", "--select", node["name"], *exclusion, "--date", date)]
            task_id = ids.take(node["name"])
            stage, warehouse_only = _stage_of(node), True
        task_of[unique_id] = task_id
        upstream = _unique(task_of[p] for p in parents[unique_id] if p in task_of)
        plans.append(TaskPlan(task_id, stage, tuple(commands), upstream, (unique_id, *owned[unique_id]), warehouse_only))

    for test_parents, tests in shared.items():
        task_id = ids.take("test__" + "__".join(nodes[p]["name"].replace("source:", "") for p in test_parents))
        stage = max((_stage_of(nodes[p]) for p in test_parents), key=STAGES.index)
        command = ("test", "--select", " ".join(_names(nodes, tests)), "--date", date)
        plans.append(TaskPlan(task_id, stage, (command,), _unique(task_of[p] for p in test_parents), tuple(tests), True))

    # The report reads the report models: it waits for them and their tests (for everything,
    # in a project whose models/ has no reports/ folder).
    finals = [p.task_id for p in plans if p.stage == "reports"] or _leaves(plans)
    report = ("report", "--date", date, "--upload")
    plans.append(TaskPlan(ids.take(REPORT_TASK_ID), "reports", (report,), tuple(finals), (), True))
    return plans


def day_to_process(logical_date: datetime | None, run_after: datetime) -> str:
    """The UTC day a DAG run processes: the one that ended before its logical date.

    With `@daily`, Airflow 3's CronTriggerTimetable gives the run at midnight that midnight as its
    logical date; a manual run's logical date is when it was asked for, or none at all, and then
    its run_after stands in. pgshift refuses a day that has not ended yet, so never today.
    """
    moment = (logical_date or run_after).astimezone(timezone.utc)
    return (moment - timedelta(days=1)).strftime("%Y-%m-%d")


def shell_command(plan: TaskPlan, pgshift: str) -> str:
    """The bash line of a task: each command after `pgshift` (a shell prefix), stopping at the first failure."""
    return " && ".join(f"{pgshift} {' '.join(shlex.quote(arg) for arg in command)}" for command in plan.commands)


def _stage_of(node: dict) -> str:
    if node["resource_type"] in ("source", "seed"):
        return "extract"
    fqn = node.get("fqn", [])
    folder = fqn[1] if len(fqn) > 2 else ""
    return FOLDER_STAGES.get(folder, DEFAULT_MODEL_STAGE)


def _names(nodes: dict, unique_ids: list[str]) -> list[str]:
    return [nodes[u]["name"] for u in unique_ids]


def _ancestors(order: list[str], parents: dict[str, list[str]]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for unique_id in order:
        found: set[str] = set()
        for parent in parents[unique_id]:
            found.add(parent)
            found |= result.get(parent, set())
        result[unique_id] = found
    return result


def _leaves(plans: list[TaskPlan]) -> list[str]:
    upstream = {u for plan in plans for u in plan.upstream}
    return [plan.task_id for plan in plans if plan.task_id not in upstream]


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


class _TaskIds:
    """Airflow task ids (letters, digits, `_`, `-`, `.`), unique across the DAG."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def take(self, wanted: str) -> str:
        base = re.sub(r"[^A-Za-z0-9_\-]", "_", wanted)[:200] or "node"
        task_id, counter = base, 2
        while task_id in self.taken:
            task_id, counter = f"{base}_{counter}", counter + 1
        self.taken.add(task_id)
        return task_id


def main(argv: list[str]) -> int:
    """`python3 pgshift_tasks.py <manifest.json> <day> [pgshift prefix]`: the plan as JSON lines, what each task would run."""
    if len(argv) not in (2, 3):
        print("usage: pgshift_tasks.py <target/manifest.json> <YYYY-MM-DD> [pgshift command prefix]", file=sys.stderr)
        return 2
    try:
        plans = plan_tasks(read_manifest(argv[0]), argv[1])
    except ManifestError as error:
        print(error, file=sys.stderr)
        return 1
    prefix = argv[2] if len(argv) == 3 else "pgshift"
    for plan in plans:
        print(json.dumps({"task_id": plan.task_id, "stage": plan.stage, "upstream": plan.upstream, "bash_command": shell_command(plan, prefix)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
