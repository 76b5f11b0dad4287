import json
import re

import pytest

from backend.cli import main

REQUIRED = {"score", "band", "headline", "reasons", "highlights", "model"}


def run(runner, args, small_artifact_dir, **kwargs):
    return runner.invoke(
        main, [*args, "--artifact-dir", str(small_artifact_dir)], **kwargs
    )


def test_score_one_headline(runner, small_artifact_dir):
    result = run(
        runner, ["score", "--headline", "17 Things You Need"], small_artifact_dir
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert REQUIRED <= set(out)
    assert out["headline"]["text"] == "17 Things You Need"


def test_score_with_body(runner, small_artifact_dir):
    result = run(
        runner,
        ["score", "--headline", "Senate passes bill", "--body", "The Senate voted."],
        small_artifact_dir,
    )
    assert result.exit_code == 0
    assert REQUIRED <= set(json.loads(result.output))


def test_empty_headline_is_an_error_object(runner, small_artifact_dir):
    result = run(runner, ["score", "--headline", "   "], small_artifact_dir)
    assert result.exit_code == 1
    assert json.loads(result.output)["error"]["code"] == "bad_input"


def test_jsonl_keeps_order_and_reports_bad_lines(runner, small_artifact_dir, tmp_path):
    lines = [
        json.dumps({"headline": "You won't believe this"}),
        "{not json",
        json.dumps({"headline": ""}),
        json.dumps(["a list"]),
        json.dumps({"headline": "Senate passes bill", "body": 3}),
        json.dumps({"headline": "Senate passes bill", "body": "It did."}),
        json.dumps({"headline": "<img src=x onerror=alert(1)> Shocking"}),
        "\x00\x01\x02 binary junk",
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(runner, ["score", "--jsonl", str(path)], small_artifact_dir)
    assert result.exit_code == 1, result.output  # some lines failed
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(lines)
    kinds = ["ok" if "score" in o else o["error"]["code"] for o in out]
    assert kinds == [
        "ok",
        "bad_input",
        "bad_input",
        "bad_input",
        "bad_input",
        "ok",
        "ok",
        "bad_input",
    ]
    assert out[6]["headline"]["text"].startswith("<img src=x")


def test_jsonl_from_stdin(runner, small_artifact_dir):
    stdin = '{"headline": "Nine ways to save money"}\n{"headline": "Court rules"}\n'
    result = run(runner, ["score", "--jsonl", "-"], small_artifact_dir, input=stdin)
    assert result.exit_code == 0
    assert [
        json.loads(line)["headline"]["text"] for line in result.output.splitlines()
    ] == ["Nine ways to save money", "Court rules"]


def test_invalid_utf8_is_not_a_crash(runner, small_artifact_dir, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"headline": "Caf\xe9 owner wins"}\n'.encode("latin-1"))
    result = run(runner, ["score", "--jsonl", str(path)], small_artifact_dir)
    assert result.exit_code == 0
    assert "score" in json.loads(result.output)


@pytest.mark.parametrize(
    "args",
    [["score"], ["score", "--headline", "x", "--jsonl", "-"]],
    ids=["neither", "both"],
)
def test_usage_errors(runner, small_artifact_dir, args):
    result = run(runner, args, small_artifact_dir)
    assert result.exit_code == 2


def test_tampered_model_is_refused(runner, small_artifact_dir, tmp_path):
    import shutil

    from model import artifacts

    for path in artifacts.paths(artifacts.HEADLINE, small_artifact_dir):
        shutil.copy(path, tmp_path / path.name)
    model_path = tmp_path / "headline.joblib"
    model_path.write_bytes(model_path.read_bytes() + b"evil")
    result = runner.invoke(
        main, ["score", "--headline", "x", "--artifact-dir", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert json.loads(result.output)["error"]["code"] == "model_unavailable"


def test_jsonl_with_workers_keeps_order_and_answers(
    runner, small_artifact_dir, tmp_path, monkeypatch
):
    from backend import cli

    monkeypatch.setattr(cli, "CHUNK_LINES", 7)  # lines are scored in chunks
    headlines = [f"{n} Things You Need To Know About Budget Talks" for n in range(40)]
    lines = [json.dumps({"headline": h}) for h in headlines]
    lines[9:9] = ["{broken", json.dumps({"headline": " "})]  # inside a chunk
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def outputs(workers: str) -> list[dict]:
        result = run(
            runner,
            ["score", "--jsonl", str(path), "--workers", workers],
            small_artifact_dir,
        )
        assert result.exit_code == 1, result.output  # two lines failed
        return [json.loads(line) for line in result.output.splitlines()]

    one, two = outputs("1"), outputs("2")
    assert [o["error"]["code"] for o in two[9:11]] == ["bad_input", "bad_input"]
    assert [o["headline"]["text"] for o in two[:9] + two[11:]] == headlines
    assert [o.get("score") for o in one] == [o.get("score") for o in two]
    single = run(
        runner, ["score", "--headline", headlines[20]], small_artifact_dir
    ).output
    assert json.loads(single)["score"] == two[22]["score"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_every_jsonl_line_gets_one_output_line(
    runner, small_artifact_dir, tmp_path, workers
):
    good = [json.dumps({"headline": f"{n} Things You Need"}) for n in range(30)]
    lines = [
        *good[:20],
        "[" * 100_000 + "]" * 100_000,  # nested past any recursion limit
        "",  # blank
        "   ",
        '{"headline": "\\u200b\\u00ad"}',  # nothing visible
        *good[20:],
        "{broken",
        "[" * 5000 + "]" * 5000,
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run(
        runner,
        ["score", "--jsonl", str(path), "--workers", workers],
        small_artifact_dir,
    )
    assert result.exit_code == 1, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert len(out) == len(lines)
    codes = [o["error"]["code"] if "error" in o else "ok" for o in out]
    assert codes == [
        *["ok"] * 20,
        "bad_input",
        "bad_input",
        "bad_input",
        "no_headline",
        *["ok"] * 10,
        "bad_input",
        "bad_input",
    ]
    assert "nested too deeply" in out[20]["error"]["message"]
    assert "line 22 is empty" in out[21]["error"]["message"]


def test_every_line_scored_exits_zero(runner, small_artifact_dir):
    stdin = '{"headline": "Court rules"}\n'
    result = run(runner, ["score", "--jsonl", "-"], small_artifact_dir, input=stdin)
    assert result.exit_code == 0, result.output


def test_exit_status_is_in_the_help(runner):
    result = runner.invoke(main, ["score", "--help"])
    assert "Exit status: 0 when every input was scored" in " ".join(
        result.output.split()
    )


def test_an_html_file_in_a_refused_charset_is_an_error_object(
    runner, small_artifact_dir, tmp_path
):
    page = tmp_path / "page.html"
    page.write_bytes(b'<meta charset="iso-2022-kr"><h1>Headline</h1>')
    result = run(runner, ["score", "--html", str(page)], small_artifact_dir)
    assert result.exit_code == 1
    assert json.loads(result.output)["error"]["code"] == "unsupported_charset"


def test_evaluate_without_matplotlib_says_what_to_install(runner, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    from backend.cli import main

    result = runner.invoke(main, ["evaluate"])
    assert result.exit_code == 1
    assert "pip install 'sensationalism[train]'" in result.output
    assert "Traceback" not in result.output


def test_cli_warnings_carry_their_time_and_level(monkeypatch, capsys):
    import logging

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])  # a plain run: nothing set up
    monkeypatch.setattr(root, "level", root.level)
    main.callback()
    logging.getLogger("model.training.release").warning("published headline-x")
    err = capsys.readouterr().err
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ WARNING ", err, re.M), err
    assert "published headline-x" in err
