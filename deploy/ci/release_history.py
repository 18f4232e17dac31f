"""Which release the rolling rehearsal treats as "what production runs now": git history and waivers.

The commit before the newest migration (or REHEARSAL_OLD_REF), exported with ``git archive``.
"""

# ruff: noqa: S603, S607, T201 - fixed commands (git, tar) and the rehearsal's log lines

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def log(message: str) -> None:
    print(f"[rehearsal {time.strftime('%H:%M:%S')}] {message}", flush=True)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def previous_migration_states() -> list[str]:
    """Commits that carry the migration state before the newest migration, newest first.

    That is what production runs before this release. Any of them will do; the first one whose code
    imports is used (a commit in between may have been made while a shared file was half-edited).
    """
    override = os.environ.get("REHEARSAL_OLD_REF", "")
    if override:
        return [git("rev-parse", "--verify", f"{override}^{{commit}}")]
    newest, waived = newest_migration_commit()
    # Newest first, then further back in growing steps: a broken stretch of history (a shared file
    # committed half-edited) is skipped in a few tries. An older state only means more migrations
    # run during the release, which the rehearsal must survive just the same.
    if waived:  # old versions must already contain the waived migration: from HEAD^ back to its commit
        commits = git("rev-list", "--max-count=100", "--ancestry-path", f"{newest}^..HEAD^").split()
    else:
        commits = git("rev-list", "--max-count=100", f"{newest}^").split()
    return [commits[i] for i in (0, 1, 2, 4, 8, 16, 24, 32, 48, 64, 99) if i < len(commits)]


def newest_migration_commit() -> tuple[str, bool]:
    """The commit that added the newest migrations, and whether all of them are reviewed waivers."""
    import yaml  # PyYAML comes with the app's dependencies

    entries = yaml.safe_load((REPO / "deploy" / "ci" / "rehearsal-waivers.yaml").read_text())["waivers"] or []
    if not all(str(e.get("reason", "")).strip() for e in entries):
        raise SystemExit("every rehearsal waiver needs a reason")
    waivers = {e["migration"] for e in entries}
    newest = git("log", "-1", "--format=%H", "--diff-filter=A", "--", "*/migrations/0*.py")
    added = git("show", "--format=", "--name-only", "--diff-filter=A", newest, "--", "*/migrations/0*.py").split()
    names = {f"{Path(path).parts[-3]}.{Path(path).stem}" for path in added}
    waived = bool(names) and names <= waivers
    if waived:
        log(f"newest migration(s) {', '.join(sorted(names))} waived (deploy/ci/rehearsal-waivers.yaml)")
    return newest, waived


def export_tree(ref: str, into: Path) -> None:
    into.mkdir(parents=True)
    archive = subprocess.Popen(["git", "archive", ref], cwd=REPO, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(into)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"git archive {ref} failed")
