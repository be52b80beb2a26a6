#!/usr/bin/env python3
"""Self time per operation in Chrome traces of the PyTorch profiler (what `bin/imet benchmark --profile` and
bench/torch_profile.py write), side by side when given two: a table of the top operations, in ms.

usage: bench/trace_summary.py TRACE [TRACE2] [--top 25]"""
import argparse, collections, json


def self_times(path):
    """Self time (ms) and call count per operation name: each event's duration less that of the events nested in it."""
    with open(path) as f:
        data = json.load(f)
    events = [e for e in (data['traceEvents'] if isinstance(data, dict) else data) if e.get('ph') == 'X']
    by_thread = collections.defaultdict(list)
    for e in events:
        by_thread[e.get('tid')].append(e)
    own, calls = collections.Counter(), collections.Counter()
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (e['ts'], -e['dur']))
        stack = []
        for e in thread_events:
            while stack and stack[-1]['ts'] + stack[-1]['dur'] <= e['ts']:
                stack.pop()
            if stack:
                own[stack[-1]['name']] -= e['dur']
            own[e['name']] += e['dur']
            calls[e['name']] += 1
            stack.append(e)
    return {k: v / 1e3 for k, v in own.items()}, calls


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('traces', nargs='+')
    ap.add_argument('--top', type=int, default=25)
    a = ap.parse_args()
    tables = [self_times(t) for t in a.traces[:2]]
    first = tables[0][0]
    names = sorted(set().union(*(t[0] for t in tables)), key=lambda k: -max(t[0].get(k, 0) for t in tables))[:a.top]
    header = ''.join(f'{"ms":>10}{"calls":>7}' for _ in tables)
    print(f'{"operation":<48}{header}')
    print(f'{"total":<48}' + ''.join(f'{sum(t[0].values()):>10.1f}{"":>7}' for t in tables))
    for name in names:
        print(f'{name[:47]:<48}' + ''.join(f'{t[0].get(name, 0):>10.1f}{t[1].get(name, 0):>7}' for t in tables))
    if len(tables) == 2:
        print(f'# columns: {a.traces[0]} | {a.traces[1]}')


if __name__ == '__main__':
    main()
