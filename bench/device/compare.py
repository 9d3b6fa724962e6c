"""Compares per-step losses of PyTorch runs on the device with `mlspec run --backend cpu` runs made
before (bench/device/prepare.sh): prints one markdown row per example and device."""
import json
import os
import sys


def step_losses(run):
    with open(os.path.join(run, "metrics.jsonl")) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r["loss"] for r in rows if r.get("type") == "step"]


def test_metric(run):
    with open(os.path.join(run, "summary.json")) as f:
        test = json.load(f).get("test") or {}
    return ", ".join(f"{k} {v:.4g}" for k, v in test.items() if isinstance(v, (int, float)))


ref_root, runs_root = sys.argv[1], sys.argv[2]
print("| example | device | steps | max rel. diff per step | over the first 20 steps | first step | test (device) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for name in sorted(os.listdir(ref_root)):
    ref = step_losses(os.path.join(ref_root, name))
    for device in sorted(os.listdir(runs_root)):
        run = os.path.join(runs_root, device, name)
        if not os.path.exists(os.path.join(runs_root, device, name)) and os.environ.get("PARITY_ONLY"):
            continue
        if not os.path.exists(os.path.join(run, "metrics.jsonl")):
            print(f"| {name} | {device} | - | did not run | | | |")
            continue
        got = step_losses(run)
        n = min(len(ref), len(got))
        rel = [abs(a - b) / max(abs(a), 1e-12) for a, b in zip(ref[:n], got[:n])]
        print(f"| {name} | {device} | {n}/{len(ref)} | {max(rel):.2e} | {max(rel[:20]):.2e} | {rel[0]:.2e} | {test_metric(run)} |")
