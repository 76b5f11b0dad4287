"""The `sensationalism` command: score, train, evaluate, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from backend.errors import BadInput, ModelUnavailable, ScorerError
from model import artifacts
from model.data import DEFAULT_DATA_DIR

MAX_BODY_CHARS = 2_000_000

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DATA_DIR,
    show_default=True,
    envvar="SENSATIONALISM_DATA_DIR",
    help="Folder holding stop_clickbait/, webis17_titles/ and fnc1/.",
)
artifact_dir_option = click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=artifacts.ARTIFACT_DIR,
    show_default=True,
    envvar="SENSATIONALISM_ARTIFACT_DIR",
    help="Folder of the model artifacts (.joblib with its .json).",
)


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)


def load_scorer(artifact_dir: Path):
    """Load the model once, or raise ModelUnavailable with the reason."""
    from model.scoring import Scorer

    try:
        return Scorer.load(artifact_dir)
    except artifacts.ArtifactError as err:
        raise ModelUnavailable(str(err)) from err


def parse_item(item) -> tuple[str, str | None]:
    """Validate one input object: a headline string and an optional body string."""
    if not isinstance(item, dict):
        raise BadInput("each input must be a JSON object")
    headline, body = item.get("headline"), item.get("body")
    if not isinstance(headline, str) or not headline.strip():
        raise BadInput('"headline" must be a non-empty string')
    if body is not None and not isinstance(body, str):
        raise BadInput('"body" must be a string when given')
    if body is not None and len(body) > MAX_BODY_CHARS:
        raise BadInput(f'"body" is longer than {MAX_BODY_CHARS} characters')
    return headline, body


def score_item(scorer, item) -> dict:
    """Score one input object; any problem with it becomes an error object."""
    try:
        headline, body = parse_item(item)
        try:
            return scorer.score(headline, body)
        except ValueError as err:
            raise BadInput(str(err)) from err
    except ScorerError as err:
        return err.to_dict()


@click.group()
@click.version_option(package_name="sensationalism")
def main() -> None:
    """Score how sensational news headlines are, and explain why."""


@main.command()
@click.option("--headline", help="The headline to score.")
@click.option("--body", help="The article's body text (optional).")
@click.option(
    "--jsonl",
    type=click.File("r", encoding="utf-8", errors="replace"),
    help='A file (or "-" for stdin) of {"headline": ..., "body": ...} lines.',
)
@artifact_dir_option
def score(headline, body, jsonl, artifact_dir) -> None:
    """Score one headline, or every line of a JSONL file (one result a line)."""
    if (headline is None) == (jsonl is None):
        raise click.UsageError("give exactly one of --headline or --jsonl")
    try:
        scorer = load_scorer(artifact_dir)
    except ScorerError as err:
        click.echo(_dump(err.to_dict()))
        sys.exit(1)
    if headline is not None:
        result = score_item(scorer, {"headline": headline, "body": body})
        click.echo(_dump(result))
        sys.exit(1 if "error" in result else 0)
    for number, line in enumerate(jsonl, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as err:
            result = BadInput(f"line {number} is not valid JSON: {err}").to_dict()
        else:
            result = score_item(scorer, item)
        click.echo(_dump(result))


@main.command()
@data_dir_option
@artifact_dir_option
@click.option("--C", "C", type=float, default=10.0, show_default=True)
def train(data_dir, artifact_dir, C) -> None:
    """Retrain the headline model from the data and write the artifact."""
    from model.train import train as run_training

    run_training(data_dir, artifact_dir, C=C, log=click.echo)


@main.command()
@data_dir_option
@artifact_dir_option
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Where report.json and the PNG plots go.",
)
@click.option(
    "--floors",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Quality floors (default: model/floors.json).",
)
def evaluate(data_dir, artifact_dir, report_dir, floors) -> None:
    """Measure the committed model, write a report, fail under the pinned floors."""
    from model import evaluate as ev
    from model.train import summary

    try:
        pipeline, metadata = artifacts.load(artifacts.HEADLINE, artifact_dir)
    except artifacts.ArtifactError as err:
        raise click.ClickException(str(err)) from err
    metrics, predictions = ev.measure(pipeline, data_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    plots = ev.write_plots(predictions, report_dir)
    floor_spec = ev.load_floors(floors or ev.FLOORS_FILE)
    failures = ev.check_floors(metrics, floor_spec)
    report = {
        "model": {"version": metadata.get("version")},
        "metrics": metrics,
        "floors": floor_spec,
        "failures": failures,
        "plots": [p.name for p in plots],
    }
    (report_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    click.echo(summary(metrics))
    click.echo(f"report and {len(plots)} plots written to {report_dir}/")
    if failures:
        for failure in failures:
            click.echo(f"FAIL: {failure}", err=True)
        sys.exit(1)
    click.echo("all metrics are at or above their floors")
