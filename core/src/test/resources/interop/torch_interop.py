#!/usr/bin/env python3
"""Model-folder round trip with PyTorch, driven by PythonInteropTest (needs python3-torch + torchvision).

usage: torch_interop.py JAVA_FOLDER PYTHON_FOLDER OUT.npz
- loads JAVA_FOLDER (model.json + model.safetensors written by the Java tool) into torchvision's network
  named by model.json (load_state_dict strict), and records its logits for a fixed input, in float32 and under
  CPU autocast to bfloat16;
- writes PYTHON_FOLDER: a torchvision resnet18 (3 classes, seeded random weights, non-trivial batch-norm
  statistics) as model.safetensors + model.json, and records its logits for the same input.
OUT.npz holds input, java_logits and java_logits_bf16 (PyTorch's outputs for the Java folder), python_logits."""
import json, os, struct, sys
import numpy as np, torch, torchvision

DTYPES = {'F32': np.float32, 'F16': np.float16, 'F64': np.float64, 'I64': np.int64}


def load_safetensors(path):
    """model.safetensors without the safetensors package (safetensors.torch.load_file does the same)."""
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    header.pop('__metadata__', None)
    return {k: torch.from_numpy(np.frombuffer(data[v['data_offsets'][0]:v['data_offsets'][1]],
                                              dtype=DTYPES[v['dtype']]).reshape(v['shape']).copy())
            for k, v in header.items()}


def save_safetensors(path, sd):
    header, blobs, off = {}, [], 0
    for k, t in sd.items():
        a = t.detach().contiguous().numpy()
        b = a.tobytes()
        header[k] = {'dtype': {np.float32: 'F32', np.int64: 'I64'}[a.dtype.type], 'shape': list(a.shape),
                     'data_offsets': [off, off + len(b)]}
        blobs.append(b); off += len(b)
    h = json.dumps(header).encode(); h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h); [f.write(b) for b in blobs]


java_dir, python_dir, out = sys.argv[1:4]
torch.manual_seed(0)
x = torch.randn(2, 3, 32, 32)

info = json.load(open(os.path.join(java_dir, 'model.json')))
m = getattr(torchvision.models, info['arch'])(num_classes=info['num_classes'])
m.load_state_dict(load_safetensors(os.path.join(java_dir, 'model.safetensors')), strict=True)
m.eval()
with torch.no_grad():
    java_logits = m(x).numpy()
with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
    java_logits_bf16 = m(x).float().numpy()

p = torchvision.models.resnet18(num_classes=3)
for name, b in p.named_buffers():
    if name.endswith('running_mean'): b.copy_(torch.randn_like(b) * 0.1)
    if name.endswith('running_var'): b.copy_(torch.rand_like(b) + 0.5)
p.eval()
with torch.no_grad():
    python_logits = p(x).numpy()
os.makedirs(python_dir, exist_ok=True)
save_safetensors(os.path.join(python_dir, 'model.safetensors'), p.state_dict())
json.dump(dict(arch='resnet18', num_classes=3, labels=['a', 'b', 'c'], image_size=32,
               mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
          open(os.path.join(python_dir, 'model.json'), 'w'))
np.savez(out, input=x.numpy(), java_logits=java_logits, java_logits_bf16=java_logits_bf16,
         python_logits=python_logits)
