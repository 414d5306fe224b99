#!/usr/bin/python3
"""Makes the small PyTorch .pth fixtures in fixtures/models/pth/ (committed; run once).

Each file is a state dict saved by torch.save exactly as torchvision and neural-style-pt save
theirs, with the real key names (torchvision's features.N.weight / classifier.N.weight;
neural-style-pt's NIN features.N) but tiny channel counts, plus a JSON file with every conv's
weights and bias in contiguous OIHW order, so the TypeScript reader can be checked value by value.

    /usr/bin/python3 scripts/make-pth-fixtures.py   # Debian: apt-get install python3-torch
"""
import json
import os

import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'fixtures', 'models', 'pth')


def vgg_features(blocks, widths):
    layers, c = [], 3
    for n, w in zip(blocks, widths):
        for _ in range(n):
            layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU(inplace=True)]
            c = w
        layers.append(nn.MaxPool2d(2, 2))
    return nn.Sequential(*layers), c


class Vgg(nn.Module):
    """torchvision's VGG module layout: features, avgpool, classifier (Linear, ReLU, Dropout, ...)."""

    def __init__(self, blocks, widths, fc=(8, 8, 5)):
        super().__init__()
        self.features, c = vgg_features(blocks, widths)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(c * 49, fc[0]), nn.ReLU(True), nn.Dropout(),
            nn.Linear(fc[0], fc[1]), nn.ReLU(True), nn.Dropout(),
            nn.Linear(fc[1], fc[2]))


class Nin(nn.Module):
    """neural-style-pt's NIN (CaffeLoader.py): features = the 12-conv chain with Dropout after pool3."""

    def __init__(self, w):
        super().__init__()
        w1, w2, w3, w4, classes = w
        self.features = nn.Sequential(
            nn.Conv2d(3, w1, 11, 4), nn.ReLU(True), nn.Conv2d(w1, w1, 1), nn.ReLU(True), nn.Conv2d(w1, w1, 1), nn.ReLU(True),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            nn.Conv2d(w1, w2, 5, 1, 2), nn.ReLU(True), nn.Conv2d(w2, w2, 1), nn.ReLU(True), nn.Conv2d(w2, w2, 1), nn.ReLU(True),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            nn.Conv2d(w2, w3, 3, 1, 1), nn.ReLU(True), nn.Conv2d(w3, w3, 1), nn.ReLU(True), nn.Conv2d(w3, w3, 1), nn.ReLU(True),
            nn.MaxPool2d(3, 2, ceil_mode=True),
            nn.Dropout(0.5),
            nn.Conv2d(w3, w4, 3, 1, 1), nn.ReLU(True), nn.Conv2d(w4, w4, 1), nn.ReLU(True), nn.Conv2d(w4, classes, 1), nn.ReLU(True),
            nn.AvgPool2d(6, 1, ceil_mode=True))


def reference(sd):
    return {k: v.contiguous().reshape(-1).tolist() for k, v in sd.items() if k.startswith('features.')}


def test_image(h, w):
    """RGB in 0..1, the same formula as test/render/pth-files.test.ts."""
    y = torch.arange(h, dtype=torch.float64).reshape(1, h, 1)
    x = torch.arange(w, dtype=torch.float64).reshape(1, 1, w)
    c = torch.arange(3, dtype=torch.float64).reshape(3, 1, 1)
    return (0.5 + 0.5 * torch.sin(0.3 * x + 0.7 * y + c)).float()


def features(model, upto, convention, h, w):
    """PyTorch's own forward of features[:upto] on the test image, with the input convention of the file."""
    rgb = test_image(h, w)
    if convention == 'torchvision':
        mean = torch.tensor([0.485, 0.456, 0.406]).reshape(3, 1, 1)
        std = torch.tensor([0.229, 0.224, 0.225]).reshape(3, 1, 1)
        x = (rgb - mean) / std
    else:  # neural-style-pt: x255, RGB -> BGR, minus the Caffe mean
        x = rgb.flip(0) * 255 - torch.tensor([103.939, 116.779, 123.68]).reshape(3, 1, 1)
    model.eval()  # Dropout is the identity at inference
    with torch.no_grad():
        return model.features[:upto](x.unsqueeze(0))[0].reshape(-1).tolist()


def save(name, model, legacy, strided=False, check=None):
    sd = model.state_dict()
    if strided:
        # One non-contiguous tensor (a permuted view), so the reader must honour strides.
        w = sd['features.0.weight']
        sd['features.0.weight'] = w.permute(2, 3, 1, 0).contiguous().permute(3, 2, 0, 1)
        assert not sd['features.0.weight'].is_contiguous()
    torch.save(sd, os.path.join(OUT, name), _use_new_zipfile_serialization=not legacy)
    ref = {'weights': reference(sd)}
    if check:
        upto, layer, convention, h, w = check
        ref['forward'] = {'layer': layer, 'convention': convention, 'h': h, 'w': w, 'values': features(model, upto, convention, h, w)}
    with open(os.path.join(OUT, name + '.json'), 'w') as f:
        json.dump(ref, f)


class Evil:
    def __reduce__(self):
        return (os.system, ('echo this-must-never-run',))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(12)
    # torchvision layout and zip format (torch >= 1.6 default), as vgg19-dcbb9e9d.pth.
    save('vgg19-tiny-zip.pth', Vgg([2, 2, 4, 4, 4], [3, 4, 5, 6, 6]), legacy=False, strided=True,
         check=(7, 'relu2_1', 'torchvision', 20, 18))
    # VGG-16 in the legacy (pre-1.6) format, as the 2017-2019 published files.
    save('vgg16-tiny-legacy.pth', Vgg([2, 2, 3, 3, 3], [3, 4, 5, 6, 6]), legacy=True)
    # neural-style-pt's NIN, legacy format, as nin_imagenet.pth.
    save('nin-tiny-legacy.pth', Nin([5, 6, 7, 8, 9]), legacy=True, check=(28, 'relu12', 'caffe', 99, 90))
    # A pickle that would run a command if loaded with a general unpickler.
    torch.save({'features.0.weight': Evil()}, os.path.join(OUT, 'evil.pth'))
    print('wrote', sorted(os.listdir(OUT)))


if __name__ == '__main__':
    main()
