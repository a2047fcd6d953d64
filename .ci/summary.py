#!/usr/bin/env python3
"""Print one closing line for CI from meson's JSON test logs: 'tests: N passed, N failed'."""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            for line in f:
                result = json.loads(line).get('result')
                if result in ('OK', 'EXPECTEDFAIL'):
                    passed += 1
                elif result == 'SKIP':
                    skipped += 1
                else:
                    failed += 1
    except FileNotFoundError:
        failed += 1
print('tests: {} passed, {} failed, {} skipped'.format(passed, failed, skipped))
sys.exit(1 if failed else 0)
