#!/usr/bin/env python3
"""Measure llama.cpp's own KV, compute and output buffers for every architecture in placeplan's
built-in catalog, and write them to measured.json.

For each catalog shape this writes a GGUF with the model's exact tensor shapes and zero weights
(Q4_0 tensors, `tokenizer.ggml.model = "no_vocab"`, `<arch>.vocab_size`), loads it with the
llama.cpp that llama-cpp-python bundles (CPU backend, mmap, no warm-up decode) over a sweep of
context, parallel, flash attention, KV type and ubatch, and reads the buffer sizes llama.cpp
prints while it loads (`CPU KV buffer size`, `CPU compute buffer size`, `CPU output buffer size`).
`swa_full=False` as llama-server (what Ollama launches) defaults to: sliding-window layers keep only the
window cache. (llama_context_default_params, which llama-cpp-python starts from, would keep full-size
SWA caches.)

Models with more than 16 layers are written with fewer layers (`layers_loaded` in every row): the
KV cache is exactly per-layer (placeplan's unit test checks it at the loaded layer count), and the
compute buffer does not depend on the layer count because llama.cpp's graph allocator reuses the
same memory for every layer (checked by the `layer-check` rows, which load two shapes at their full
depth). Run it through ./run.sh, which sets up the pinned virtual environment first.
"""
import argparse, json, os, re, sys, tempfile, time

import numpy as np
import gguf

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, ".work")

# Catalog shapes (Sources/PlacePlanCore/Footprint/Catalog.swift). arch is the GGUF
# general.architecture llama.cpp loads them as; tied = no output.weight (output shares token_embd).
S = lambda **k: k
SHAPES = {
    "llama3.2-1b":  S(arch="llama", layers=16, emb=2048, heads=32, kv=8, hd=64, ff=8192, vocab=128256, ctx_train=131072, tied=True),
    "llama3.2-3b":  S(arch="llama", layers=28, emb=3072, heads=24, kv=8, hd=128, ff=8192, vocab=128256, ctx_train=131072, tied=True),
    "llama3-8b":    S(arch="llama", layers=32, emb=4096, heads=32, kv=8, hd=128, ff=14336, vocab=128256, ctx_train=8192),
    "llama3.1-8b":  S(arch="llama", layers=32, emb=4096, heads=32, kv=8, hd=128, ff=14336, vocab=128256, ctx_train=131072),
    "llama3.1-70b": S(arch="llama", layers=80, emb=8192, heads=64, kv=8, hd=128, ff=28672, vocab=128256, ctx_train=131072),
    "llama2-7b":    S(arch="llama", layers=32, emb=4096, heads=32, kv=32, hd=128, ff=11008, vocab=32000, ctx_train=4096),
    "llama2-13b":   S(arch="llama", layers=40, emb=5120, heads=40, kv=40, hd=128, ff=13824, vocab=32000, ctx_train=4096),
    "llama2-70b":   S(arch="llama", layers=80, emb=8192, heads=64, kv=8, hd=128, ff=28672, vocab=32000, ctx_train=4096),
    "mistral-7b":   S(arch="llama", layers=32, emb=4096, heads=32, kv=8, hd=128, ff=14336, vocab=32768, ctx_train=32768),
    "mistral-small-22b": S(arch="llama", layers=56, emb=6144, heads=48, kv=8, hd=128, ff=16384, vocab=32768, ctx_train=32768),
    "codellama-7b": S(arch="llama", layers=32, emb=4096, heads=32, kv=32, hd=128, ff=11008, vocab=32016, ctx_train=16384),
    "codellama-34b": S(arch="llama", layers=48, emb=8192, heads=64, kv=8, hd=128, ff=22016, vocab=32000, ctx_train=16384),
    "qwen2.5-7b":   S(arch="qwen2", layers=28, emb=3584, heads=28, kv=4, hd=128, ff=18944, vocab=152064, ctx_train=32768),
    "qwen2.5-14b":  S(arch="qwen2", layers=48, emb=5120, heads=40, kv=8, hd=128, ff=13824, vocab=152064, ctx_train=32768),
    "qwen2.5-72b":  S(arch="qwen2", layers=80, emb=8192, heads=64, kv=8, hd=128, ff=29568, vocab=152064, ctx_train=32768),
    "mixtral-8x7b": S(arch="llama", layers=32, emb=4096, heads=32, kv=8, hd=128, ff=14336, vocab=32000, ctx_train=32768, experts=8, used=2),
    "mixtral-8x22b": S(arch="llama", layers=56, emb=6144, heads=48, kv=8, hd=128, ff=16384, vocab=32768, ctx_train=65536, experts=8, used=2),
    "gemma2-2b":    S(arch="gemma2", layers=26, emb=2304, heads=8, kv=4, hd=256, ff=9216, vocab=256000, ctx_train=8192, tied=True, swa=4096),
    "gemma2-9b":    S(arch="gemma2", layers=42, emb=3584, heads=16, kv=8, hd=256, ff=14336, vocab=256000, ctx_train=8192, tied=True, swa=4096),
    "gemma2-27b":   S(arch="gemma2", layers=46, emb=4608, heads=32, kv=16, hd=128, ff=36864, vocab=256000, ctx_train=8192, tied=True, swa=4096),
    "phi3-3.8b":    S(arch="phi3", layers=32, emb=3072, heads=32, kv=32, hd=96, ff=8192, vocab=32064, ctx_train=4096),
    "phi3-14b":     S(arch="phi3", layers=40, emb=5120, heads=40, kv=10, hd=128, ff=17920, vocab=32064, ctx_train=4096),
}
# Identical in shape to a measured entry (same tensors): llama3-70b = llama3.1-70b with 8k ctx_train,
# codellama-13b = llama2-13b (+16 vocab rows), codellama-70b = llama2-70b (+16 vocab rows), qwen2.5-32b
# differs from 14b only in layers and ff. They are covered by the unit test through their twins.

Q4_0 = gguf.GGMLQuantizationType.Q4_0
F32 = gguf.GGMLQuantizationType.F32
GGML_TYPE = {"f16": 1, "q8_0": 8, "q4_0": 2}


LAYER_CHECK = [
    ("llama3.1-8b", [dict(ctx=c, parallel=1, flash_attn=fa, kv_type="f16", ubatch=512) for c in (2048, 32768) for fa in (True, False)]),
    ("gemma2-2b", [dict(ctx=c, parallel=1, flash_attn=fa, kv_type="f16", ubatch=512) for c in (2048, 8192) for fa in (True, False)]),
]


def loaded_layers(s):
    if s["layers"] <= 16:
        return s["layers"]
    return 2 if s.get("experts") else 4


def q4(writer, name, ne0, ne1, ne2=None):
    """A zero Q4_0 tensor with ggml shape [ne0, ne1(, ne2)]: 18 bytes per 32 values."""
    shape = (ne1, ne0 // 32 * 18) if ne2 is None else (ne2, ne1, ne0 // 32 * 18)
    writer.add_tensor(name, np.zeros(shape, dtype=np.uint8), raw_dtype=Q4_0)


def f32(writer, name, *ne):
    writer.add_tensor(name, np.zeros(tuple(reversed(ne)), dtype=np.float32))


def write_gguf(shape_id, s, layers):
    path = os.path.join(WORK, f"{shape_id}-L{layers}.gguf")
    if os.path.exists(path):
        return path
    os.makedirs(WORK, exist_ok=True)
    a = s["arch"]
    w = gguf.GGUFWriter(path + ".tmp", a)
    w.add_name(f"zero-{shape_id}")
    w.add_block_count(layers)
    w.add_context_length(s["ctx_train"])
    w.add_embedding_length(s["emb"])
    w.add_feed_forward_length(s["ff"])
    w.add_head_count(s["heads"])
    w.add_head_count_kv(s["kv"])
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(s["hd"])
    w.add_key_length(s["hd"])
    w.add_value_length(s["hd"])
    w.add_vocab_size(s["vocab"])
    w.add_tokenizer_model("no_vocab")
    w.add_file_type(2)  # MOSTLY_Q4_0
    if s.get("experts"):
        w.add_expert_count(s["experts"])
        w.add_expert_used_count(s["used"])
    if s.get("swa"):
        w.add_sliding_window(s["swa"])
        w.add_attn_logit_softcapping(50.0)
        w.add_final_logit_softcapping(30.0)
    emb, hq, hkv, ff = s["emb"], s["heads"] * s["hd"], s["kv"] * s["hd"], s["ff"]
    q4(w, "token_embd.weight", emb, s["vocab"])
    f32(w, "output_norm.weight", emb)
    if not s.get("tied"):
        q4(w, "output.weight", emb, s["vocab"])
    for i in range(layers):
        b = f"blk.{i}."
        f32(w, b + "attn_norm.weight", emb)
        if a == "phi3":
            q4(w, b + "attn_qkv.weight", emb, hq + 2 * hkv)
        else:
            q4(w, b + "attn_q.weight", emb, hq)
            q4(w, b + "attn_k.weight", emb, hkv)
            q4(w, b + "attn_v.weight", emb, hkv)
        if a == "qwen2":
            f32(w, b + "attn_q.bias", hq)
            f32(w, b + "attn_k.bias", hkv)
            f32(w, b + "attn_v.bias", hkv)
        q4(w, b + "attn_output.weight", hq, emb)
        if a == "gemma2":
            f32(w, b + "post_attention_norm.weight", emb)
            f32(w, b + "post_ffw_norm.weight", emb)
        f32(w, b + "ffn_norm.weight", emb)
        if s.get("experts"):
            f32(w, b + "ffn_gate_inp.weight", emb, s["experts"])
            q4(w, b + "ffn_gate_exps.weight", emb, ff, s["experts"])
            q4(w, b + "ffn_up_exps.weight", emb, ff, s["experts"])
            q4(w, b + "ffn_down_exps.weight", ff, emb, s["experts"])
        elif a == "phi3":
            q4(w, b + "ffn_up.weight", emb, 2 * ff)
            q4(w, b + "ffn_down.weight", ff, emb)
        else:
            q4(w, b + "ffn_gate.weight", emb, ff)
            q4(w, b + "ffn_up.weight", emb, ff)
            q4(w, b + "ffn_down.weight", ff, emb)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    os.replace(path + ".tmp", path)
    return path


def grid(s, full=True):
    """The sweep for one shape. ctx is ctx total (what Ollama passes as -c: num_ctx x num_parallel),
    kept to ctx_train x parallel. The base grid is every (ctx, parallel, flash attention) at f16 KV and
    ubatch 512; quantized KV (which llama.cpp allows for V only with flash attention) and ubatch 1024
    are swept at 8k and 32k, parallel 1. `full=False` (large shapes) keeps 2k/8k/32k only."""
    ctxs = [2048, 8192, 32768, 131072] if full else [2048, 8192, 32768]
    rows = []
    for ctx in ctxs:
        for par in (1, 4):
            if ctx > s["ctx_train"] * par:
                continue
            for fa in (True, False):
                rows.append(dict(ctx=ctx, parallel=par, flash_attn=fa, kv_type="f16", ubatch=512))
    for ctx in (8192, 32768):
        if ctx > s["ctx_train"]:
            continue
        for kv in ("q8_0", "q4_0"):
            rows.append(dict(ctx=ctx, parallel=1, flash_attn=True, kv_type=kv, ubatch=512))
        for fa in (True, False):
            rows.append(dict(ctx=ctx, parallel=1, flash_attn=fa, kv_type="f16", ubatch=1024))
    return rows


PAT = {
    "kv": re.compile(r"(\w+) KV buffer size =\s+([\d.]+) MiB"),
    "compute": re.compile(r"(\w+) compute buffer size =\s+([\d.]+) MiB"),
    "output": re.compile(r"(\w+)\s+output buffer size =\s+([\d.]+) MiB"),
    "n_ctx": re.compile(r"llama_context: n_ctx\s+=\s+(\d+)"),
    "cells": re.compile(r"llama_kv_cache(?:_unified)?: size = .*?\(\s*(\d+) cells,\s+(\d+) layers"),
}


def load_once(path, cfg):
    import llama_cpp
    fd, log = tempfile.mkstemp(suffix=".log")
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(fd, 2)
    err = None
    try:
        llm = llama_cpp.Llama(model_path=path, n_ctx=cfg["ctx"], n_batch=cfg["ubatch"], n_ubatch=cfg["ubatch"],
                              n_seq_max=cfg["parallel"], flash_attn=cfg["flash_attn"],
                              type_k=GGML_TYPE[cfg["kv_type"]], type_v=GGML_TYPE[cfg["kv_type"]],
                              swa_full=False, n_threads=2, use_mmap=True, verbose=True)
        del llm
    except Exception as e:  # llama.cpp refused the configuration
        err = str(e)
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(fd)
    text = open(log, errors="replace").read()
    os.unlink(log)
    out = {"kv_mib": 0.0, "compute_mib": 0.0, "output_mib": 0.0}
    for key in ("kv", "compute", "output"):
        for m in PAT[key].finditer(text):
            out[key + "_mib"] = round(out[key + "_mib"] + float(m.group(2)), 2)
    m = PAT["n_ctx"].search(text)
    out["n_ctx_reported"] = int(m.group(1)) if m else None
    cells = [int(c.group(1)) for c in PAT["cells"].finditer(text)]
    if cells:
        out["kv_cells"] = cells
    fa = re.search(r"flash_attn\s+=\s+(\S+)", text)
    out["flash_attn_reported"] = fa.group(1) if fa else None
    if err or out["compute_mib"] == 0:
        out["error"] = err or "no compute buffer reported"
        out["log_tail"] = text[-1500:]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="shape ids to measure (default: all)")
    ap.add_argument("--out", default=os.path.join(HERE, "measured.json"))
    ap.add_argument("--limit", type=int, default=0, help="at most this many configurations per shape (smoke test)")
    args = ap.parse_args()
    import llama_cpp
    previous = []
    if os.path.exists(args.out):
        previous = json.load(open(args.out)).get("rows", [])
    ids = args.only or list(SHAPES)
    rows = [r for r in previous if r["shape"] not in ids]
    t0 = time.time()
    jobs = []
    for sid in ids:
        if sid == "layer-check":
            continue
        s = SHAPES[sid]
        big = s["emb"] >= 6144 or s.get("experts")
        jobs.append((sid, loaded_layers(s), grid(s, full=not big)))
    if not args.only or "layer-check" in args.only:
        # The compute buffer at full depth equals the one at the reduced depth (same configurations).
        for sid, cfgs in LAYER_CHECK:
            jobs.append((sid, SHAPES[sid]["layers"], cfgs))
    full_depth = {(sid, n) for sid, n, _ in jobs if n == SHAPES[sid]["layers"]}
    rows = [r for r in rows if (r["shape"], r["layers_loaded"]) not in full_depth]
    for sid, layers, cfgs in jobs:
        s = SHAPES[sid]
        path = write_gguf(sid, s, layers)
        if args.limit:
            cfgs = cfgs[: args.limit]
        for cfg in cfgs:
            r = load_once(path, cfg)
            row = dict(shape=sid, arch=s["arch"], layers=s["layers"], layers_loaded=layers, **cfg, **r)
            rows.append(row)
            print(f"{time.time() - t0:7.1f}s {sid:18} L{layers:<3} ctx {cfg['ctx']:>6} np {cfg['parallel']} fa {int(cfg['flash_attn'])} "
                  f"kv {cfg['kv_type']:5} ub {cfg['ubatch']:4} -> KV {r['kv_mib']:9.2f} compute {r['compute_mib']:9.2f} "
                  f"output {r['output_mib']:6.2f} {r.get('error', '')}", flush=True)
        if layers > 16:
            os.unlink(path)  # full-depth files are large; the reduced ones are kept for re-runs
    meta = dict(
        llama_cpp_python=llama_cpp.__version__, gguf=gguf.__version__ if hasattr(gguf, "__version__") else "0.19.0",
        backend="CPU", weights="zero Q4_0 tensors, tokenizer.ggml.model=no_vocab",
        ctx="ctx total = num_ctx x num_parallel, passed as n_ctx; parallel is n_seq_max",
        units="MiB as printed by llama.cpp (2 decimals)")
    with open(args.out, "w") as f:
        json.dump(dict(meta=meta, rows=sorted(rows, key=lambda r: (r["shape"], r["ctx"], r["parallel"], r["kv_type"], r["ubatch"], r["flash_attn"]))), f, indent=1)
    print(f"wrote {len(rows)} rows to {args.out} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
