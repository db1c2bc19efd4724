"""Helpers shared by the end-to-end tests: run the trove binary, parse its JSON."""
import json
import os
import subprocess

TROVE = os.environ.get("TROVE_BIN", os.path.join(os.path.dirname(__file__), "../../build/trove"))
SOURCE_DIR = os.environ.get("TROVE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "../.."))
SHARED_DATA = os.path.join(SOURCE_DIR, "..", "shared", "data")


def run(*args, check=True, timeout=600):
    """Runs trove with `args`; returns the CompletedProcess (text mode)."""
    proc = subprocess.run([TROVE, *args], capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"trove {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return proc


def run_json(*args):
    return json.loads(run(*args, "--json").stdout)


def all_documents(collection):
    """Every document of the collection as {id: first path}."""
    query = "state:indexed OR state:failed OR state:skipped"
    out = run_json("search", "--collection", collection, "--limit", "1000000", query)
    return {hit["id"]: hit["path"] for hit in out["hits"]}


def count_files(folder):
    return sum(len(files) for _, _, files in os.walk(folder))
