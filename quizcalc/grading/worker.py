"""``python -m quizcalc.grading.worker``: grade JSON requests from stdin in a killable process.

Protocol (one JSON object per line): first ``{"ready": true}`` once SymPy is loaded, then for
each request ``{"id": n, "answer": "...", "expected": {...}}`` a reply ``{"id": n, "verdict":
{...}}``. It exits at the end of its input. See :mod:`quizcalc.grading.isolation`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

MEMORY_LIMIT_BYTES = 2 * 1024**3
"""Address-space cap (POSIX): a runaway answer fails fast instead of swapping the machine."""


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = (
            MEMORY_LIMIT_BYTES if hard == resource.RLIM_INFINITY else min(hard, MEMORY_LIMIT_BYTES)
        )
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _protocol_stream() -> TextIO:
    # Replies get their own copy of stdout; anything else printed goes to stderr, so a stray
    # print in a library can never corrupt the protocol.
    stream = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    sys.stdout = sys.stderr
    return stream


def _reply(request_line: str) -> dict[str, Any]:
    from quizcalc.grading.answers import Verdict
    from quizcalc.grading.grader import grade
    from quizcalc.grading.wire import answer_from_json, verdict_to_json

    request_id = None
    try:
        request = json.loads(request_line)
        request_id = request.get("id")
        expected = answer_from_json(request["expected"])
        verdict = grade(str(request["answer"]), expected, symbolic_fallback=True)
    except Exception as error:  # a malformed request must not end the worker
        message = f"the checker could not read the request ({type(error).__name__})"
        verdict = Verdict(False, 0.0, message, "", error=message)
    return {"id": request_id, "verdict": verdict_to_json(verdict)}


def main() -> int:
    """Serve requests until stdin closes."""
    _limit_memory()
    replies = _protocol_stream()
    from quizcalc.grading.answers import ExpressionAnswer
    from quizcalc.grading.grader import grade

    grade("2x", ExpressionAnswer("2*x"))  # load SymPy and warm the caches before "ready"
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in sys.stdin:
        if line.strip():
            replies.write(json.dumps(_reply(line)) + "\n")
            replies.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
