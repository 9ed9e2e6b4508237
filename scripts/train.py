"""Train the Rasa model only when its inputs changed (Rasa env).

The fingerprint covers the training data, domain, config, our NLU components and the
locked Rasa env, so a change to the tokenizer retrains but a second ``make run`` does not.
Prints the model path on stdout; progress goes to stderr.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
INPUTS = [
    "config.yml",
    "domain.yml",
    "domain",
    "data/nlu",
    "data/rules",
    "data/stories",
    "bot/nlu",
    "bot/text.py",
    "requirements/rasa.lock.txt",
]
KEEP = 3


def fingerprint() -> str:
    digest = hashlib.sha256()
    for name in INPUTS:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if not file.exists() or "__pycache__" in file.parts:
                continue
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(b"\0")
            digest.update(file.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(fp: str | None = None) -> Path:
    return MODELS / f"model-{fp or fingerprint()}.tar.gz"


def main() -> int:
    fp = fingerprint()
    target = model_path(fp)
    if target.exists() and not os.environ.get("FORCE_TRAIN"):
        print(f"model up to date ({target.name}); not retraining", file=sys.stderr)
        print(target)
        return 0
    MODELS.mkdir(exist_ok=True)
    print(f"training {target.name} (inputs changed)…", file=sys.stderr)
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false")
    cmd = [
        str(Path(sys.executable).with_name("rasa")),
        "train",
        "--config",
        "config.yml",
        "--domain",
        "domain" if (ROOT / "domain").is_dir() else "domain.yml",
        "--data",
        "data/nlu",
        "data/rules",
        "data/stories",
        "--out",
        str(MODELS),
        "--fixed-model-name",
        f"model-{fp}",
        "--force",
    ]
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdout=sys.stderr)
    if result.returncode != 0 or not target.exists():
        print("training failed", file=sys.stderr)
        return result.returncode or 1
    old = sorted(MODELS.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[KEEP:]:
        stale.unlink()
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
