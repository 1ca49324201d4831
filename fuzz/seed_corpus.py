#!/usr/bin/env python3
"""Collects the fuzzers' seed corpora from fixtures/ into OUT/<target>/.

    python3 fuzz/seed_corpus.py build-fuzz/corpus

fuzz_pipeline: every fixture .py file alone, plus one input per fixture folder
that joins up to four of its files in the target's multi-file format (a
"#@ module" first line, files separated by "#####" lines), so the seeds
exercise the cross-module rules; and fuzz/regressions/pipeline/*.
fuzz_noqa: the text of every comment in the fixtures that mentions noqa, and
fuzz/regressions/noqa/*.
fuzz_config: every .toml file under fixtures/ and fuzz/regressions/config/*.
Nothing is committed: the corpora are rebuilt from the fixtures each time.
"""
import hashlib
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REGRESSIONS = ROOT / "fuzz" / "regressions"


def put(folder, data):
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    (folder / name).write_bytes(data)


def module_of(path, base):
    rel = path.relative_to(base).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]) + "/"
    return ".".join(parts)


def main():
    out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build-fuzz/corpus")
    pipeline, noqa, config = out / "fuzz_pipeline", out / "fuzz_noqa", out / "fuzz_config"
    folders = {}
    for path in sorted(FIXTURES.rglob("*.py")):
        data = path.read_bytes()
        put(pipeline, data)
        folders.setdefault(path.parent, []).append(path)
        for line in data.splitlines():
            i = line.find(b"#")
            if i >= 0 and b"noqa" in line[i:].lower():
                put(noqa, line[i:])
    for folder, files in sorted(folders.items()):
        chunks = [b"#@ " + module_of(p, folder).encode() + b"\n" + p.read_bytes() for p in files[:4]]
        put(pipeline, b"\n#####\n".join(chunks))
    for path in sorted(FIXTURES.rglob("*.toml")):
        put(config, path.read_bytes())
    for extra in (b"# noqa", b"# NOQA: RL301, RL302", b"# reloadlint: noqa: RL3",
                  b"# type: ignore  # noqa:RL101 explanation"):
        put(noqa, extra)
    put(config, b"[tool.reloadlint]\nselect = [\"RL3\"]\nper-file-ignores = {\"tests/*\" = [\"RL101\"]}\n")
    for target in ("pipeline", "noqa", "config"):
        for reg in sorted((REGRESSIONS / target).glob("*")) if (REGRESSIONS / target).is_dir() else []:
            put(out / ("fuzz_" + target), reg.read_bytes())
    for d in (pipeline, noqa, config):
        print(f"{d}: {len(os.listdir(d))} seeds")


if __name__ == "__main__":
    main()
