"""A stand-in for ``python -m quizcalc.grading.worker`` that misbehaves on purpose.

python fake_worker.py slow     ready, then never answers in time (sleeps)
python fake_worker.py silent   never says it is ready
python fake_worker.py crash    ready, then exits on the first request
"""

from __future__ import annotations

import sys
import time

mode = sys.argv[1]
if mode == "silent":
    time.sleep(60)
    sys.exit(0)
print('{"ready": true}', flush=True)
for _line in sys.stdin:
    if mode == "crash":
        sys.exit(3)
    time.sleep(60)
