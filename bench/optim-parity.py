#!/usr/bin/python3
"""PyTorch side of bench/optim-parity.mjs: the same network, loss, inputs and init, optimised by
torch.optim.LBFGS and torch.optim.Adam with neural-style-pt's settings. Reads <dir>/problem.json
and problem.f32 (written by the .mjs), writes <dir>/result.json."""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '2')))
d = sys.argv[1]
meta = json.load(open(os.path.join(d, 'problem.json')))
blob = torch.from_numpy(np.fromfile(os.path.join(d, 'problem.f32'), dtype='<f4'))
take = lambda at, n: blob[at:at + n].clone()
H, W, S = meta['height'], meta['width'], meta['styleSize']
cfg = meta['config']
layers = meta['layers']
for l in layers:
    if l['type'] == 'conv':
        o, i, k = l['outChannels'], l['inChannels'], l['kernel']
        l['w'] = take(l['weight'], o * i * k * k).reshape(o, i, k, k)
        l['b'] = take(l['bias'], o)


def features(x, wanted):
    out = {}
    for l in layers:
        if l['type'] == 'conv':
            x = F.conv2d(x, l['w'], l['b'], stride=l['stride'], padding=l['pad'])
        elif l['type'] == 'relu':
            x = F.relu(x)
        else:
            pool = F.max_pool2d if l['mode'] == 'max' else F.avg_pool2d
            x = pool(x, l['kernel'], l['stride'], ceil_mode=l['ceil'])
        if l['name'] in wanted:
            out[l['name']] = x
    return out


def gram(f):
    _, c, h, w = f.shape
    m = f.reshape(c, h * w)
    return m @ m.t() / (c * h * w)


content = take(meta['content'], 3 * H * W).reshape(1, 3, H, W)
style = take(meta['style'], 3 * S * S).reshape(1, 3, S, S)
x0 = take(meta['x0'], 3 * H * W).reshape(1, 3, H, W)
with torch.no_grad():
    ct = {k: v for k, v in features(content, cfg['contentLayers']).items()}
    st = {k: gram(v) for k, v in features(style, cfg['styleLayers']).items()}
wanted = set(cfg['contentLayers']) | set(cfg['styleLayers'])


def loss_of(img):
    f = features(img, wanted)
    total = 0
    for k in cfg['contentLayers']:
        total = total + cfg['contentWeight'] * ((f[k] - ct[k]) ** 2).mean()
    for k in cfg['styleLayers']:
        total = total + cfg['styleWeight'] * ((gram(f[k]) - st[k]) ** 2).mean()
    a = img[..., :-1, :-1]
    dx = a - img[..., :-1, 1:]
    dy = a - img[..., 1:, :-1]
    return total + cfg['tvWeight'] / 2 * (dx ** 2 + dy ** 2).sum()


def run(name):
    img = x0.clone().requires_grad_(True)
    n = meta['iterations']
    losses = []
    t0 = time.perf_counter()
    if name == 'lbfgs':
        # neural-style-pt: optim.LBFGS([img], max_iter=num_iterations, tolerance_change=-1, tolerance_grad=-1)
        opt = torch.optim.LBFGS([img], max_iter=n, tolerance_change=-1, tolerance_grad=-1, history_size=100, lr=1)

        def closure():
            opt.zero_grad()
            l = loss_of(img)
            l.backward()
            losses.append(l.item())
            return l
        opt.step(closure)
    else:
        # neural-style-pt: optim.Adam([img], lr=learning_rate)
        opt = torch.optim.Adam([img], lr=meta['lr'])
        for _ in range(n):
            opt.zero_grad()
            l = loss_of(img)
            l.backward()
            losses.append(l.item())
            opt.step()
    with torch.no_grad():
        losses.append(loss_of(img).item())
    return {'losses': losses, 'msPerIteration': (time.perf_counter() - t0) * 1000 / (n + 1)}


json.dump({'torch': torch.__version__, 'lbfgs': run('lbfgs'), 'adam': run('adam')}, open(os.path.join(d, 'result.json'), 'w'))
