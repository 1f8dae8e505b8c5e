# The steps Ultralytics' predict takes for a TorchScript detector, in plain PyTorch and OpenCV, on the CPU: what a
# Python handler pays per CVAT request beside its forward pass (no HTTP). Each request: JSON and base64, imdecode,
# LetterBox (resize, pad 114), BGR to RGB and HWC to CHW, float /255, the forward pass, confidence filter, NMS (IoU
# 0.7), scale_boxes and clip_boxes, JSON. Requests and forward passes alone on a grey input alternate, so both see
# the same machine.
#
#   taskset -c 0,1 python3 ultralytics_pipeline_cpu.py [requests] [fixtures]
#
# fixtures: cvat-function-test-fixtures/src/main/resources, or the fixtures jar; the 12 shapes frames in turn,
# the shapes-yolov8n export. Two torch threads, as the function's CPU workers run on 2 cores.
import base64
import io
import json
import os
import sys
import time
import zipfile

import cv2
import numpy as np
import torch
import torchvision

torch.set_num_threads(2)
requests = int(sys.argv[1]) if len(sys.argv) > 1 else 150
root = sys.argv[2] if len(sys.argv) > 2 else 'cvat-function-test-fixtures/src/main/resources'
FRAMES = 'fixtures/shapes-frames/frames/'
if root.endswith('.jar'):
    jar = zipfile.ZipFile(root)
    read = jar.read
    names = sorted(n for n in jar.namelist() if n.startswith(FRAMES) and not n.endswith('/'))
else:
    def read(name):
        with open(os.path.join(root, name), 'rb') as f:
            return f.read()
    names = sorted(FRAMES + f for f in os.listdir(os.path.join(root, FRAMES)))
model = torch.jit.load(io.BytesIO(read('fixtures/models/shapes-yolov8n.torchscript')), map_location='cpu').eval()
bodies = [json.dumps({'image': base64.b64encode(read(n)).decode()}) for n in names]
stages = {name: [] for name in ('body', 'decode', 'letterbox', 'forward', 'post')}


def letterbox(im, size=640):
    h, w = im.shape[:2]
    r = min(size / h, size / w)
    nw, nh = int(round(w * r)), int(round(h * r))
    dw, dh = (size - nw) / 2, (size - nh) / 2
    if (w, h) != (nw, nh):
        im = cv2.resize(im, (nw, nh), interpolation=cv2.INTER_LINEAR)
    top, bottom, left, right = int(round(dh - 0.1)), int(round(dh + 0.1)), int(round(dw - 0.1)), int(round(dw + 0.1))
    return cv2.copyMakeBorder(im, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(114, 114, 114)), r, left, top


def request(body):
    t = [time.perf_counter()]
    frame = base64.b64decode(json.loads(body)['image'])
    t.append(time.perf_counter())
    im0 = cv2.imdecode(np.frombuffer(frame, np.uint8), cv2.IMREAD_COLOR)
    t.append(time.perf_counter())
    im, r, pad_x, pad_y = letterbox(im0)
    x = torch.from_numpy(np.ascontiguousarray(im[None][..., ::-1].transpose(0, 3, 1, 2))).float() / 255
    t.append(time.perf_counter())
    with torch.inference_mode():
        p = model(x)[0].transpose(0, 1)  # 8400 x (4 + classes)
    t.append(time.perf_counter())
    conf, cls = p[:, 4:].max(1)
    keep = conf > 0.25
    b, conf, cls = p[keep, :4], conf[keep], cls[keep]
    xyxy = torch.cat([b[:, :2] - b[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2], 1)
    i = torchvision.ops.batched_nms(xyxy, conf, cls, 0.7)[:300]
    boxes = (xyxy[i] - torch.tensor([pad_x, pad_y, pad_x, pad_y])) / r
    boxes[:, [0, 2]] = boxes[:, [0, 2]].clamp(0, im0.shape[1])  # clip_boxes
    boxes[:, [1, 3]] = boxes[:, [1, 3]].clamp(0, im0.shape[0])
    answer = json.dumps([{'label': int(c), 'points': bb.tolist(), 'confidence': float(s)}
                         for bb, s, c in zip(boxes, conf[i], cls[i])])
    t.append(time.perf_counter())
    for name, begin, end in zip(stages, t, t[1:]):
        stages[name].append(end - begin)
    return answer


for k in range(24):  # warm-up: TorchScript's profiling runs, OpenCV's first calls
    request(bodies[k % len(bodies)])
for values in stages.values():
    values.clear()
grey = torch.full((1, 3, 640, 640), 114 / 255)
total, alone = [], []
for k in range(requests):
    start = time.perf_counter()
    request(bodies[k % len(bodies)])
    total.append(time.perf_counter() - start)
    with torch.inference_mode():
        start = time.perf_counter()
        model(grey)
        alone.append(time.perf_counter() - start)
ms = lambda values: float(np.median(values)) * 1e3
print(f'python {sys.version.split()[0]}, torch {torch.__version__}, OpenCV {cv2.__version__}, '
      f'{torch.get_num_threads()} threads, {len(names)} frames in turn, {requests} requests')
print('stages (medians, ms): ' + ' '.join(f'{name} {ms(values):.2f}' for name, values in stages.items()))
print(f'request p50 {ms(total):.2f} ms, forward pass alone {ms(alone):.2f} ms, '
      f'request / forward {ms(total) / ms(alone):.2f}')
