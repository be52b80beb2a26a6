#!/usr/bin/env python3
"""Makes the small weights files the Java tests read (run with Debian's /usr/bin/python3 + python3-torch):

    cd src/test/resources/weights && /usr/bin/python3 make_fixtures.py

state_dict.pth / state_dict_legacy.pth: one small state dict saved by torch.save in the zip and in the legacy
format; it has a conv, a batch norm (with num_batches_tracked), a linear layer, a half, a bfloat16 and a
double tensor, a transposed (non-contiguous) view and two tensors sharing one storage. state_dict.npz: the same
tensors as numpy.savez writes them (float/int ones; numpy has no bfloat16). expected.json: every tensor's dtype,
shape and values as float. malicious.pth / malicious_legacy.pth / malicious_protocol4.pkl: pickles that ask for
os.system; a safe loader must refuse them without running anything."""
import collections, json, os, pickle, zipfile
import numpy as np, torch

torch.manual_seed(0)
sd = collections.OrderedDict()
sd['conv.weight'] = torch.randn(4, 3, 3, 3)
sd['bn.weight'] = torch.rand(4) + 0.5
sd['bn.bias'] = torch.randn(4) * 0.1
sd['bn.running_mean'] = torch.randn(4) * 0.1
sd['bn.running_var'] = torch.rand(4) + 0.5
sd['bn.num_batches_tracked'] = torch.tensor(7)
sd['fc.weight'] = torch.randn(2, 4)
sd['fc.bias'] = torch.randn(2)
sd['half'] = torch.randn(3).half()
sd['bfloat'] = torch.randn(3).bfloat16()
sd['double'] = torch.randn(2, 2).double()
sd['transposed'] = torch.arange(6, dtype=torch.float32).reshape(2, 3).t()
base = torch.arange(10, dtype=torch.float32)
sd['shared_a'] = base[2:5]
sd['shared_b'] = base[5:10].view(5, 1)
torch.save(sd, 'state_dict.pth')
torch.save(sd, 'state_dict_legacy.pth', _use_new_zipfile_serialization=False)
np.savez('state_dict.npz', **{k: v.contiguous().numpy() for k, v in sd.items() if v.dtype != torch.bfloat16})
json.dump({k: {'dtype': str(v.dtype).replace('torch.', ''), 'shape': list(v.shape),
               'values': v.float().flatten().tolist()} for k, v in sd.items()},
          open('expected.json', 'w'), indent=1)


class Exploit:
    def __reduce__(self):
        return (os.system, ('echo pwned > /tmp/imet_pwned',))


evil = collections.OrderedDict(conv=torch.zeros(1))
evil['payload'] = Exploit()
torch.save(evil, 'malicious.pth')
torch.save(evil, 'malicious_legacy.pth', _use_new_zipfile_serialization=False)
with open('malicious_protocol4.pkl', 'wb') as f:  # a bare pickle whose global comes by STACK_GLOBAL
    pickle.dump(Exploit(), f, protocol=4)
print('wrote', sorted(f for f in os.listdir('.') if not f.endswith('.py')))
