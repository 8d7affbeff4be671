#!/usr/bin/env python3
"""Writes the 1,000-entity library cluster used in README "Thousands of models": two 192 GB Mac
Studios whose models live on an external drive (0.8 GB/s) and a box of four RTX 3090s, 1,000
7B–14B entities with Zipf(1.1) demand summing to 20,000 requests/h and a 10 s SLO. Deterministic."""
import sys

ARCHES = [("llama3-8b", "q8_0"), ("mistral-7b", "q8_0"), ("llama2-13b", "q8_0"), ("qwen2.5-14b", "q4_K_M")]
N, TOTAL, S = 1000, 20000, 1.1
h = sum(1 / k ** S for k in range(1, N + 1))
lines = ["name: library-1000", "hosts:",
         "  - {name: studio1, preset: mac-studio-m2-ultra-192, store_read: 0.8 GB/s, labels: [mac]}",
         "  - {name: studio2, preset: mac-studio-m2-ultra-192, store_read: 0.8 GB/s, labels: [mac]}",
         "  - {name: gpu1, gpus: [{name: RTX 3090, count: 4}], store_read: 2 GB/s}",
         "models:"]
for k in range(1, N + 1):
    arch, quant = ARCHES[k % len(ARCHES)]
    lines.append(f'  - {{name: "entity-{k:04d}", arch: {arch}, quants: [{quant}], demand: {TOTAL / k ** S / h:.2f}/h, slo: 10s}}')
out = open(sys.argv[1], "w") if len(sys.argv) > 1 else sys.stdout
out.write("\n".join(lines) + "\n")
