"""The `sensationalism` command: score, train, evaluate, serve."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import sys
from pathlib import Path

import click

from backend import config
from backend.errors import BadInput, ScorerError
from model import artifacts

# backend.service (extraction, the models' code) is imported where it is used:
# the feedback and publish commands start in a fraction of the time without it.


def _from_config(key: str):
    """A path option's default: the setting ``key`` (backend.config), read late."""

    def default():
        return Path(config.load()[key])

    return default


data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_from_config("DATA_DIR"),
    show_default="SENSATIONALISM_DATA_DIR, else ../shared/datasets",
    help="Folder holding stop_clickbait/, webis17_titles/ and fnc1/.",
)
artifact_dir_option = click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_from_config("ARTIFACT_DIR"),
    show_default="SENSATIONALISM_ARTIFACT_DIR, else model/artifacts",
    help="Folder of the model artifacts (.joblib with its .json).",
)


def _dump(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)


def score_item(scorer, item, settings) -> dict:
    """Score one input object; any problem with it becomes an error object."""
    from backend.service import score_request

    try:
        return score_request(item, scorer, settings)
    except ScorerError as err:
        return err.to_dict()
    except Exception:  # one bad line must not stop a batch; say so in place
        return ScorerError("Scoring failed on this input.").to_dict()


def _read_html(path: Path) -> str:
    """A saved page as text: decoded as the fetcher would, from its bytes.

    Raises UnsupportedCharset for an encoding browsers refuse (ISO-2022-KR...).
    """
    from backend.pages.charset import decode_html

    return decode_html(path.read_bytes())


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes (as logging's last
    resort does), not to the stream there was when the handler was made."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


@click.group()
@click.version_option(package_name="sensationalism")
def main() -> None:
    """Score how sensational news headlines are, and explain why."""
    # Warnings (a publish, a refusal, a model swapped) with their time and
    # level on stderr, as the service logs them; a set-up logging is kept.
    root = logging.getLogger()
    if not root.handlers:
        handler = _StderrHandler()
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
        )
        root.addHandler(handler)
        root.setLevel(logging.WARNING)


allow_loopback_option = click.option(
    "--allow-loopback",
    is_flag=True,
    hidden=True,
    help="Let --url fetch from 127.0.0.1 (local testing only).",
)


def _settings(allow_loopback: bool):
    """The service's settings (backend.config), so the CLI answers as it does.

    Each line keeps its fetch and extraction budgets; a file of lines, scored in
    chunks, has no overall budget (the API's batches do).
    """
    from backend.service import Settings

    overrides = {"FETCH_ALLOW_LOOPBACK": True} if allow_loopback else None
    settings = Settings.from_config(config.load(overrides))
    return dataclasses.replace(settings, batch_budget=math.inf)


@main.command(
    epilog="Exit status: 0 when every input was scored; 1 when any input (a line "
    "of --jsonl included) answered an error object, or the model could not be "
    "loaded; 2 for a usage error. With --jsonl every input line, blank or broken "
    "ones included, gets exactly one output line."
)
@click.option("--headline", help="The headline to score.")
@click.option("--body", help="The article's body text, with --headline.")
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A saved page to score (with --url, the address it came from).",
)
@click.option("--url", help="A page to fetch and score, or the address of --html.")
@click.option(
    "--jsonl",
    type=click.File("r", encoding="utf-8", errors="replace"),
    help='A file (or "-" for stdin) of one object a line: {"headline", "body"}, '
    '{"html", "url"} or {"url"}.',
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="With --jsonl: processes scoring lines in parallel (output stays in order).",
)
@artifact_dir_option
@allow_loopback_option
def score(
    headline, body, html_file, url, jsonl, workers, artifact_dir, allow_loopback
) -> None:
    """Score a headline, a page, or every line of a JSONL file (a result a line)."""
    forms = [headline is not None, html_file is not None, jsonl is not None]
    if sum(forms) > 1 or (sum(forms) == 0 and url is None):
        raise click.UsageError("give one of --headline, --html, --url or --jsonl")
    if url is not None and (headline is not None or jsonl is not None):
        raise click.UsageError("--url goes alone, or with --html")
    if body is not None and headline is None:
        raise click.UsageError("--body goes with --headline")
    from backend.service import load_scorer

    settings = _settings(allow_loopback)
    try:
        scorer = load_scorer(artifact_dir)
    except ScorerError as err:
        click.echo(_dump(err.to_dict()))
        sys.exit(1)
    if jsonl is None:
        try:
            if headline is not None:
                item = {"headline": headline, "body": body}
            elif html_file is not None:
                item = {"html": _read_html(html_file), "url": url}
            else:
                item = {"url": url}
            # Options not given are left out: the schema refuses nulls.
            item = {k: v for k, v in item.items() if v is not None}
            result = score_item(scorer, item, settings)
        except ScorerError as err:
            result = err.to_dict()
        click.echo(_dump(result))
        sys.exit(1 if "error" in result else 0)
    failed = False
    for output, ok in score_lines(enumerate(jsonl, start=1), scorer, settings, workers):
        click.echo(output)
        failed |= not ok
    sys.exit(1 if failed else 0)


# The loaded model, for forked worker processes (set before the pool forks).
_worker_state: dict = {}


# Lines scored together: the model's sums run once per chunk.
CHUNK_LINES = 256


def _parse_line(number: int, line: str):
    """A line's JSON value, or the BadInput to answer for it."""
    if not line.strip():
        return BadInput(f"line {number} is empty")
    try:
        return json.loads(line)
    except RecursionError:  # e.g. 100,000 "[": one bad line, not a crash
        return BadInput(f"line {number} is nested too deeply")
    except ValueError as err:
        return BadInput(f"line {number} is not valid JSON: {err}")


def _score_chunk(chunk: list[tuple[int, str]]) -> list[tuple[str, bool]]:
    """Score a chunk of numbered lines together: one (output, scored) a line."""
    from backend.service import score_requests

    scorer, settings = _worker_state["scorer"], _worker_state["settings"]
    outcomes: list = [_parse_line(number, line) for number, line in chunk]
    positions = [n for n, o in enumerate(outcomes) if not isinstance(o, BadInput)]
    items = [outcomes[n] for n in positions]
    try:
        scored = score_requests(items, scorer, settings)
    except Exception:  # an unexpected failure: find the line, score the rest
        scored = [score_item(scorer, item, settings) for item in items]
    for position, outcome in zip(positions, scored, strict=True):
        outcomes[position] = outcome
    answers = [o.to_dict() if isinstance(o, ScorerError) else o for o in outcomes]
    return [(_dump(a), "error" not in a) for a in answers]


def _chunks(lines, size: int = CHUNK_LINES):
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def score_lines(lines, scorer, settings, workers: int = 1):
    """Score numbered JSONL lines in order, in this process or in forked workers.

    Yields (output line, whether it holds a result) for every input line.
    """
    _worker_state.update(scorer=scorer, settings=settings)
    if workers <= 1:
        for outputs in map(_score_chunk, _chunks(lines)):
            yield from outputs
        return
    import multiprocessing

    # fork shares the loaded model with the workers instead of loading it again.
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for outputs in pool.imap(_score_chunk, _chunks(lines)):
            yield from outputs


@main.command()
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A saved page.",
)
@click.option("--url", help="A page to fetch, or the address of --html.")
@allow_loopback_option
def extract(html_file, url, allow_loopback) -> None:
    """Print the article in a page: headline (and its source), standfirst, body."""
    from backend.service import extract_request

    if html_file is None and url is None:
        raise click.UsageError("give --html FILE (with an optional --url) or --url")
    try:
        item = (
            {"html": _read_html(html_file), "url": url} if html_file else {"url": url}
        )
        item = {k: v for k, v in item.items() if v is not None}
        result = extract_request(item, _settings(allow_loopback))
    except ScorerError as err:
        click.echo(_dump(err.to_dict()))
        sys.exit(1)
    click.echo(_dump(result))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--debug", is_flag=True, help="Flask's reloader and debugger.")
def serve(host, port, debug) -> None:
    """Run the API with Flask's development server (use gunicorn in production)."""
    from backend import create_app

    create_app().run(host=host, port=port, debug=debug)


def _stage_dir(stage_dir: Path | None, artifact_dir: Path) -> Path:
    """The staging folder: --stage-dir, else STAGE_DIR, else ARTIFACT_DIR/staging."""
    from model.training.release import default_stage_dir

    if stage_dir is None:
        configured = config.load()["STAGE_DIR"]
        stage_dir = Path(configured) if configured else default_stage_dir(artifact_dir)
    if stage_dir.resolve() == artifact_dir.resolve():
        raise click.UsageError(
            "--stage-dir must not be the live --artifact-dir: training never "
            "writes into the folder the service serves"
        )
    return stage_dir


stage_dir_option = click.option(
    "--stage-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    show_default="SENSATIONALISM_STAGE_DIR, else ARTIFACT_DIR/staging",
    help="Where candidates are staged before they are published.",
)


@main.command(
    epilog="The maintainer's loop: train (stages a candidate and gates it against "
    "the live model in --artifact-dir, printing the comparison), then publish "
    "(gates again and puts it live in one rename). Exit status: 0 when every "
    "candidate trained passed the gate; 1 when one was refused, or there is no "
    "live model to compare with (the candidate stays staged; publish refuses it "
    "without --force)."
)
@data_dir_option
@click.option(
    "--artifact-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=_from_config("ARTIFACT_DIR"),
    show_default="SENSATIONALISM_ARTIFACT_DIR, else model/artifacts",
    help="The live models' folder: what candidates are gated against (and, with "
    "--publish, where they go). Never written without --publish.",
)
@stage_dir_option
@click.option(
    "--C",
    "C",
    type=float,
    default=2.0,
    show_default=True,
    help="The headline model's inverse L2 penalty.",
)
@click.option(
    "--feedback",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="A `feedback export` JSONL file; its accepted rows join the headline "
    "model's training data (rows on held-out or evaluation headlines excepted).",
)
@click.option(
    "--feedback-weight",
    type=float,
    default=2.0,
    show_default=True,
    help="How many corpus rows one accepted feedback row weighs.",
)
@click.option(
    "--model",
    "which",
    type=click.Choice(["headline", "stance", "all"]),
    default="headline",
    show_default=True,
    help="Which model to retrain. The stance model ignores feedback and takes "
    "minutes: it retrains only when asked (stance or all).",
)
@click.option(
    "--publish",
    "then_publish",
    is_flag=True,
    help="Publish the candidates if they pass the gate (as `publish` does).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Exit 0 although a candidate was refused or had nothing to be gated "
    "against; with --publish, publish it anyway.",
)
def train(
    data_dir,
    artifact_dir,
    stage_dir,
    C,
    feedback,
    feedback_weight,
    which,
    then_publish,
    force,
) -> None:
    """Retrain a model into the staging folder and gate it against the live one."""
    from model.training import release
    from model.training.headline import GateRefused
    from model.training.headline import train as run_training

    stage_dir = _stage_dir(stage_dir, artifact_dir)
    if feedback is not None and which == "stance":
        raise click.UsageError("--feedback trains the headline model, not stance")
    refused, trained = [], []
    headline_passed = False
    if which in ("headline", "all"):
        click.echo(f"== headline model (staged in {stage_dir})")
        try:
            run_training(
                data_dir,
                stage_dir,
                C=C,
                log=click.echo,
                feedback=feedback,
                feedback_weight=feedback_weight,
                force=force,
                live_dir=artifact_dir,
            )
            headline_passed = True
        except GateRefused as err:
            click.echo(f"Error: {err}", err=True)
            refused.append("headline")
        except artifacts.ArtifactError as err:  # e.g. a broken live manifest
            raise click.ClickException(str(err)) from err
        trained.append(artifacts.HEADLINE)
    if which in ("stance", "all"):
        from model.training.stance import train_stance

        click.echo(
            f"== stance model (does the body back the headline; staged in {stage_dir})"
        )
        # Evidence weights fit the headline model they will serve with: the one
        # this run trained, if it passed (or is forced), else the live one; never
        # a candidate left in staging by an earlier run.
        fresh = artifacts.HEADLINE in trained and (headline_passed or force)
        metadata = train_stance(
            data_dir,
            stage_dir,
            log=click.echo,
            headline_dir=stage_dir if fresh else artifact_dir,
        )
        trained.append("stance")
        try:
            verdict = release.gate_candidate("stance", metadata, artifact_dir)
        except artifacts.ArtifactError as err:
            raise click.ClickException(str(err)) from err
        click.echo(verdict.report())
        if not verdict.passed:
            refused.append("stance")
    if then_publish and (force or not refused):
        # Only what this run trained: an older candidate left in staging is not
        # published along with it.
        _publish(stage_dir, artifact_dir, trained, force)
    elif then_publish:
        click.echo("not published: " + ", ".join(refused) + " refused", err=True)
    if refused and not force:
        sys.exit(1)


def _publish(stage_dir: Path, artifact_dir: Path, names, force: bool) -> None:
    from model.training.release import PublishRefused, publish

    try:
        publish(stage_dir, artifact_dir, names, force=force, say=click.echo)
    except (PublishRefused, artifacts.ArtifactError) as err:
        # A broken live manifest or staged file: a message, not a traceback.
        raise click.ClickException(str(err)) from err


@main.command(
    epilog="Each staged candidate is loaded (digest, library and word-list "
    "checks), gated against the live model's recorded figures (the table is "
    "printed), copied under published/ by version, and made live by writing "
    "manifest.json last, in one rename; running services load it before their "
    "next request. Exit status: 0 published; 1 refused (nothing changed)."
)
@artifact_dir_option
@stage_dir_option
@click.option(
    "--model",
    "which",
    type=click.Choice(["headline", "stance", "all"]),
    default="all",
    show_default=True,
    help="Which staged candidate to publish (all: every one staged).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Publish although the gate refuses, or there is no live model.",
)
def publish(artifact_dir, stage_dir, which, force) -> None:
    """Put staged candidates live, atomically, if they pass the gate."""
    names = None if which == "all" else [which]
    _publish(_stage_dir(stage_dir, artifact_dir), artifact_dir, names, force)


@main.group()
def feedback() -> None:
    """Readers' feedback: export it for training, review it."""


feedback_db_options = (
    click.option(
        "--db-path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="The SQLite file the service writes (default: its FEEDBACK_DB_PATH).",
    ),
    click.option(
        "--database-url",
        help="A PostgreSQL URL, when the service uses PostgreSQL (default: its "
        "FEEDBACK_DATABASE_URL).",
    ),
)


def _store(db_path, database_url):
    """The store the service writes, opened to read; never a new, empty one.

    A SQLite path that does not exist is refused (exit 2): exporting or
    reviewing an empty store created by a typo looks like having no feedback.
    """
    from backend.feedback import migrate_once, open_store

    overrides = {}
    if db_path is not None:
        overrides["FEEDBACK_DB_PATH"] = str(db_path)
    if database_url is not None:
        overrides["FEEDBACK_DATABASE_URL"] = database_url
    settings = config.load(overrides)
    if not settings["FEEDBACK_DATABASE_URL"]:
        path = Path(settings["FEEDBACK_DB_PATH"])
        if not path.is_file():
            raise click.BadParameter(
                f"no feedback store at {path}: give the file the service writes "
                "(--db-path, or SENSATIONALISM_FEEDBACK_DB_PATH), or --database-url",
                param_hint="--db-path",
            )
    store = open_store(settings, create=False)
    try:
        migrate_once(store)
    except ScorerError as err:
        store.close()
        raise click.ClickException(f"feedback store: {err.message}") from err
    return store


def _with_db(fn):
    for option in reversed(feedback_db_options):
        fn = option(fn)
    return fn


reviewed_option = click.option(
    "--reviewed",
    type=click.Choice(["all", "pending", "accepted", "rejected"]),
    default="all",
    show_default=True,
)
verdict_option = click.option(
    "--verdict",
    type=click.Choice(["too_high", "too_low", "about_right"]),
    default=None,
    help="Only rows with this verdict.",
)


@feedback.command("export")
@_with_db
@reviewed_option
@verdict_option
@click.option("--out", type=click.File("w", encoding="utf-8"), default="-")
def feedback_export(db_path, database_url, reviewed, verdict, out) -> None:
    """Write feedback records as JSONL (one record a line, oldest first)."""
    with _store(db_path, database_url) as store:
        for record in store.export(None if reviewed == "all" else reviewed, verdict):
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


@feedback.command("list")
@_with_db
@click.option(
    "--reviewed",
    type=click.Choice(["all", "pending", "accepted", "rejected"]),
    default="pending",
    show_default=True,
)
@verdict_option
@click.option("--limit", type=click.IntRange(1), default=None, help="At most N rows.")
def feedback_list(db_path, database_url, reviewed, verdict, limit) -> None:
    """Show feedback rows as a table: id, score seen, verdict, headline."""
    import itertools
    import shutil

    with _store(db_path, database_url) as store:
        rows = list(
            itertools.islice(
                store.export(None if reviewed == "all" else reviewed, verdict), limit
            )
        )
    columns = shutil.get_terminal_size((120, 24)).columns
    id_width = max([len("id"), *(len(str(r["id"])) for r in rows)])
    show_state = reviewed == "all"
    head = f"{'id':>{id_width}}  score  {'verdict':<11}  "
    if show_state:
        head += f"{'review':<8}  "
    width = max(20, columns - len(head))
    click.echo(head + "headline")
    for r in rows:
        line = f"{r['id']:>{id_width}}  {r['score_seen']:>5}  {r['verdict']:<11}  "
        if show_state:
            line += f"{r['reviewed'] or 'pending':<8}  "
        click.echo(line + _cut(r["headline"], width))
    described = "" if reviewed == "all" else f"{reviewed} "
    click.echo(f"{len(rows)} {described}row{'s' if len(rows) != 1 else ''}", err=True)


def _ids(token: str) -> list[int]:
    """An id, a range "12-40", or a comma list of either."""
    ids = []
    for part in token.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first, last = int(low), int(high) if dash else int(low)
        except ValueError:
            raise click.BadParameter(
                f"{token!r} is neither a review state nor ids (12, 12-40, 3,5)"
            ) from None
        if last < first or last - first > 1_000_000:
            raise click.BadParameter(f"{part!r} is not a range of ids")
        ids.extend(range(first, last + 1))
    return ids


def _export_reviews(path: Path, state: str | None) -> list[tuple[int, str]]:
    """(id, state) for each row of an edited export: its own review, or ``state``."""
    changes = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                record_id = row["id"]
                review = state or row.get("reviewed") or "pending"
            except (ValueError, KeyError, TypeError, AttributeError) as err:
                raise click.BadParameter(
                    f"line {number} is not an exported record ({err})",
                    param_hint="--from-file",
                ) from err
            changes.append((record_id, review))
    return changes


@feedback.command(
    "review",
    epilog="Examples: `review accepted 12 14 20-40`; `review rejected "
    "--verdict about_right` (every pending row with that verdict); `review "
    "accepted --all-pending`; `review --from-file pending.jsonl` after editing "
    'each line\'s "reviewed" (accepted, rejected, or null for pending), or '
    "`review accepted --from-file kept.jsonl` after deleting the lines to leave. "
    "All rows change in one transaction, or none (an unknown id changes "
    "nothing). `review 42 accepted` works as before.",
)
@_with_db
@click.argument("tokens", nargs=-1, metavar="[STATE] [IDS]...")
@click.option(
    "--all-pending", is_flag=True, help="Every pending row (with --verdict, those)."
)
@verdict_option
@click.option(
    "--from-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help='An exported JSONL file: each line\'s id, set to its "reviewed" value '
    "(or to STATE when given).",
)
def feedback_review(
    db_path, database_url, tokens, all_pending, verdict, from_file
) -> None:
    """Mark feedback rows accepted, rejected or pending, many at once."""
    from backend.feedback import REVIEW_STATES

    states = [t for t in tokens if t in REVIEW_STATES]
    if len(states) > 1:
        raise click.UsageError("give one state: accepted, rejected or pending")
    state = states[0] if states else None
    ids = [i for t in tokens if t not in REVIEW_STATES for i in _ids(t)]
    by_filter = all_pending or verdict is not None
    if sum([bool(ids), by_filter, from_file is not None]) != 1:
        raise click.UsageError(
            "say which rows: ids, --all-pending / --verdict, or --from-file"
        )
    if state is None and from_file is None:
        raise click.UsageError("give the state: accepted, rejected or pending")
    try:
        with _store(db_path, database_url) as store:
            if by_filter:
                changed = store.review_pending(state, verdict)
                count = len(changed)
            else:
                changes = (
                    _export_reviews(from_file, state)
                    if from_file is not None
                    else [(i, state) for i in ids]
                )
                count = store.review_many(changes)
    except ScorerError as err:
        raise click.ClickException(err.message) from err
    if count == 1 and ids:
        click.echo(f"feedback {ids[0]}: {state}")
    else:
        click.echo(f"{count} feedback rows reviewed" + (f": {state}" if state else ""))


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
    """Measure the committed models, write a report, fail under the pinned floors."""
    from model.training import evaluate as ev
    from model.training.headline import headline_summary

    try:
        ev.check_plotting()  # before minutes of measuring, not after
    except ev.MissingExtra as err:
        raise click.ClickException(str(err)) from err
    try:
        pipeline, metadata = artifacts.load(artifacts.HEADLINE, artifact_dir)
    except artifacts.ArtifactError as err:
        raise click.ClickException(str(err)) from err
    metrics, predictions = ev.measure_headline(pipeline, data_dir)
    try:
        stance = ev.stance_metrics(artifact_dir)
    except (artifacts.ArtifactError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    if stance is not None:
        metrics["stance"] = stance
    report_dir.mkdir(parents=True, exist_ok=True)
    plots = ev.write_plots(predictions, report_dir)
    floor_spec = ev.load_floors(floors or ev.FLOORS_FILE)
    failures = ev.check_floors(metrics, floor_spec)
    report = {
        "model": {
            "version": metadata.get("version"),
            "stance_version": stance and stance["version"],
        },
        "metrics": metrics,
        "floors": floor_spec,
        "failures": failures,
        "plots": [p.name for p in plots],
    }
    (report_dir / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    click.echo(headline_summary(metrics))
    if stance is not None:
        click.echo(
            "stance model (out of fold by story, as trained): related-vs-unrelated "
            f"ROC-AUC {stance['related_vs_unrelated_roc_auc']:.4f}, disagree-vs-agree "
            f"ROC-AUC {stance['disagree_vs_agree_roc_auc']:.4f}, FNC relative score "
            f"{stance['fnc_relative_score']:.4f}"
        )
        combined = stance["combination"]
        click.echo(
            "combined score (headline + body evidence, out of fold): false alarms "
            f"(agree/discuss pairs raised >= 15 points) "
            f"{combined['false_alarm_rate']:.2%}, disputed pairs raised "
            f"{combined['disputed_raised_rate']:.2%}, could not check "
            f"{combined['could_not_check_rate']:.2%}, ROC-AUC "
            f"{combined['roc_auc_combined']:.4f} (headline alone "
            f"{combined['roc_auc_headline_only']:.4f})"
        )
    click.echo(f"report and {len(plots)} plots written to {report_dir}/")
    if failures:
        for failure in failures:
            click.echo(f"FAIL: {failure}", err=True)
        sys.exit(1)
    click.echo("all metrics are at or above their floors")


if __name__ == "__main__":  # python -m backend.cli
    main()
