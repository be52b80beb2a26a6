#!/usr/bin/env python3
"""The Python side of bench/profile.sh: the PyTorch profiler's trace of one training step of the reference's
network (shared/reference/torch_throughput_models.py), with torch_throughput.py's settings and step.

usage: /usr/bin/python3 bench/torch_profile.py REFERENCE_DIR OUT.json [--arch resnet50] [--size 320] [--batch 16]
       [--threads 2] [--classes 1103] [--channels-last] [--bf16]"""
import argparse, sys

ap = argparse.ArgumentParser()
ap.add_argument('reference_dir'); ap.add_argument('out')
ap.add_argument('--arch', default='resnet50'); ap.add_argument('--size', type=int, default=320)
ap.add_argument('--batch', type=int, default=16); ap.add_argument('--threads', type=int, default=2)
ap.add_argument('--classes', type=int, default=1103)
ap.add_argument('--channels-last', action='store_true'); ap.add_argument('--bf16', action='store_true')
a = ap.parse_args()
sys.path.insert(0, a.reference_dir)
import torch, torch.nn as nn
from torch_throughput_models import build

torch.set_num_threads(a.threads); torch.set_num_interop_threads(1); torch.manual_seed(0)
m = build(a.arch, a.classes); opt = torch.optim.Adam(m.parameters(), lr=1e-4); lossf = nn.BCEWithLogitsLoss()
x = torch.randn(a.batch, 3, a.size, a.size); y = (torch.rand(a.batch, a.classes) < 0.01).float()
if a.channels_last:
    m = m.to(memory_format=torch.channels_last); x = x.to(memory_format=torch.channels_last)
m.train()


def step():
    opt.zero_grad(set_to_none=True)
    with torch.autocast('cpu', dtype=torch.bfloat16, enabled=a.bf16): out = m(x)
    lossf(out.float(), y).backward(); opt.step()


for _ in range(2):
    step()
with torch.autograd.profiler.profile() as p:
    step()
p.export_chrome_trace(a.out)


def infer():
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16, enabled=a.bf16):
        torch.sigmoid(m(x).float()).numpy()


m.eval()
for _ in range(2):
    infer()
with torch.autograd.profiler.profile() as p:
    infer()
p.export_chrome_trace(a.out[:-5] + '-inference.json' if a.out.endswith('.json') else a.out + '-inference.json')
