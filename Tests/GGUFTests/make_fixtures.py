#!/usr/bin/env python3
"""Writes the GGUF test fixtures with llama.cpp's own writer (PyPI `gguf`, pinned below)
and expected.json, the record of what the writer wrote, which the Swift tests compare
the reader against field by field.

    pip install gguf==0.19.0 numpy
    python3 Tests/GGUFTests/make_fixtures.py

Files are tiny (a few KB): 2 layers, embedding 64, a 16-token vocabulary. Weights are
deterministic (seeded) so a rerun reproduces the same bytes.
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T, GGUFValueType as V, LlamaFileType as F

PINNED = "0.19.0"
OUT = Path(__file__).resolve().parent / "Fixtures"
RNG = np.random.default_rng(20240601)

EMBD, FF, HEADS, KV_HEADS, LAYERS, CTX = 64, 64, 4, 2, 2, 2048
TOKENS = ["<unk>", "<s>", "</s>", "▁the", "▁a", "▁model", "▁place", "▁plan",
          "ing", "ed", "s", "▁", "\"", ":", "é", "🙂"]


def tensor(w, name, shape, qtype):
    """Adds a tensor of numpy shape `shape` (ggml's ne reversed) stored as `qtype`."""
    data = RNG.standard_normal(shape).astype(np.float32)
    if qtype == T.F32:
        w.add_tensor(name, data)
    elif qtype == T.F16:
        w.add_tensor(name, data.astype(np.float16))
    else:
        w.add_tensor(name, gguf.quants.quantize(data, qtype), raw_dtype=qtype)


def vocab(w, model="llama"):
    w.add_tokenizer_model(model)
    w.add_token_list(TOKENS)
    w.add_token_scores([float(-i) for i in range(len(TOKENS))])
    w.add_token_types([1] * len(TOKENS))
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)


def common(w, name, file_type=None):
    w.add_name(name)
    if file_type is not None:
        w.add_file_type(file_type)
    w.add_quantization_version(gguf.GGML_QUANT_VERSION)
    w.add_block_count(LAYERS)
    w.add_embedding_length(EMBD)
    w.add_feed_forward_length(FF)
    w.add_head_count(HEADS)
    w.add_context_length(CTX)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)


def attention(w, i, q_dim, kv_dim, qtype, bias=False):
    tensor(w, f"blk.{i}.attn_norm.weight", (EMBD,), T.F32)
    tensor(w, f"blk.{i}.attn_q.weight", (q_dim, EMBD), qtype)
    tensor(w, f"blk.{i}.attn_k.weight", (kv_dim, EMBD), qtype)
    tensor(w, f"blk.{i}.attn_v.weight", (kv_dim, EMBD), qtype)
    if bias:
        tensor(w, f"blk.{i}.attn_q.bias", (q_dim,), T.F32)
        tensor(w, f"blk.{i}.attn_k.bias", (kv_dim,), T.F32)
        tensor(w, f"blk.{i}.attn_v.bias", (kv_dim,), T.F32)
    tensor(w, f"blk.{i}.attn_output.weight", (EMBD, q_dim), T.F16)


def dense_ffn(w, i, qtype):
    tensor(w, f"blk.{i}.ffn_norm.weight", (EMBD,), T.F32)
    tensor(w, f"blk.{i}.ffn_gate.weight", (FF, EMBD), qtype)
    tensor(w, f"blk.{i}.ffn_up.weight", (FF, EMBD), qtype)
    tensor(w, f"blk.{i}.ffn_down.weight", (EMBD, FF), qtype)


def llama(w):
    common(w, "Tiny Llama", F.MOSTLY_Q8_0)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_dimension_count(EMBD // HEADS)
    w.add_vocab_size(len(TOKENS))
    vocab(w)
    tensor(w, "token_embd.weight", (len(TOKENS), EMBD), T.Q8_0)
    for i in range(LAYERS):
        attention(w, i, EMBD, KV_HEADS * EMBD // HEADS, T.Q8_0)
        dense_ffn(w, i, T.Q4_0)
    tensor(w, "output_norm.weight", (EMBD,), T.F32)
    tensor(w, "output.weight", (len(TOKENS), EMBD), T.Q8_0)


def qwen2(w):
    # No general.file_type and no vocab_size: the reader infers the quant from the
    # dominant tensor type and the vocabulary from the token list.
    common(w, "Tiny Qwen2")
    w.add_head_count_kv(KV_HEADS)
    vocab(w, "gpt2")
    w.add_token_merges(["▁ t", "h e", "▁t he"])
    tensor(w, "token_embd.weight", (len(TOKENS), EMBD), T.F16)
    for i in range(LAYERS):
        attention(w, i, EMBD, KV_HEADS * EMBD // HEADS, T.F16, bias=True)
        dense_ffn(w, i, T.F16)
    tensor(w, "output_norm.weight", (EMBD,), T.F32)
    tensor(w, "output.weight", (len(TOKENS), EMBD), T.BF16)


def gemma2(w):
    key_length = 32  # deliberately not embedding ÷ heads (16): head_dim must come from key_length
    common(w, "Tiny Gemma 2", F.MOSTLY_F16)
    w.add_head_count_kv([KV_HEADS, 1])  # per-layer, as some models write it: the reader takes the max
    w.add_key_length(key_length)
    w.add_value_length(key_length)
    w.add_sliding_window(64)
    w.add_attn_logit_softcapping(50.0)
    w.add_final_logit_softcapping(30.0)
    vocab(w)
    # Every metadata value type, including nested arrays, for the reader's value tests.
    w.add_uint8("placeplan.test.u8", 250)
    w.add_int8("placeplan.test.i8", -5)
    w.add_uint16("placeplan.test.u16", 65000)
    w.add_int16("placeplan.test.i16", -30000)
    w.add_uint32("placeplan.test.u32", 4000000000)
    w.add_int32("placeplan.test.i32", -2000000000)
    w.add_uint64("placeplan.test.u64", 2**63 + 5)
    w.add_int64("placeplan.test.i64", -(2**62))
    w.add_float32("placeplan.test.f32", 0.5)
    w.add_float64("placeplan.test.f64", -1.25)
    w.add_bool("placeplan.test.bool", True)
    w.add_string("placeplan.test.string", "quotes \" colons : spaces and é🙂")
    w.add_array("placeplan.test.nested", [[1, 2], [3], [4, 5, 6]])
    w.add_key_value("placeplan.test.u16s", [1, 2, 3], V.ARRAY, sub_type=V.UINT16)
    tensor(w, "token_embd.weight", (len(TOKENS), EMBD), T.F16)
    for i in range(LAYERS):
        attention(w, i, HEADS * key_length, KV_HEADS * key_length, T.F16)
        tensor(w, f"blk.{i}.post_attention_norm.weight", (EMBD,), T.F32)
        dense_ffn(w, i, T.F16)
        tensor(w, f"blk.{i}.post_ffw_norm.weight", (EMBD,), T.F32)
    tensor(w, "output_norm.weight", (EMBD,), T.F32)


def moe(w):
    experts, used, expert_ff = 8, 2, 32
    common(w, "Tiny MoE", F.MOSTLY_Q8_0)
    w.add_head_count_kv(KV_HEADS)
    w.add_expert_count(experts)
    w.add_expert_used_count(used)
    w.add_expert_feed_forward_length(expert_ff)
    vocab(w)
    tensor(w, "token_embd.weight", (len(TOKENS), EMBD), T.Q8_0)
    for i in range(LAYERS):
        attention(w, i, EMBD, KV_HEADS * EMBD // HEADS, T.Q8_0)
        tensor(w, f"blk.{i}.ffn_norm.weight", (EMBD,), T.F32)
        tensor(w, f"blk.{i}.ffn_gate_inp.weight", (experts, EMBD), T.F32)
        tensor(w, f"blk.{i}.ffn_gate_exps.weight", (experts, expert_ff, EMBD), T.Q8_0)
        tensor(w, f"blk.{i}.ffn_up_exps.weight", (experts, expert_ff, EMBD), T.Q8_0)
        tensor(w, f"blk.{i}.ffn_down_exps.weight", (experts, EMBD, expert_ff), T.Q8_0)
    tensor(w, "output_norm.weight", (EMBD,), T.F32)
    tensor(w, "output.weight", (len(TOKENS), EMBD), T.Q4_0)


def describe_value(v):
    """The written value as JSON the Swift test can compare with a GGUFValue."""
    t = V(v.type)
    if t == V.ARRAY:
        sub = v.sub_type if v.sub_type is not None else V.get_type(v.value[0])
        return {"type": "array", "element_type": sub.name.lower(),
                "values": [describe_value(gguf.gguf_writer.GGUFValue(x, sub)) for x in v.value]}
    if t == V.UINT64 or t == V.INT64:
        return {"type": t.name.lower(), "value": str(int(v.value))}  # JSON numbers lose 64-bit precision
    return {"type": t.name.lower(), "value": v.value}


def write(stem, arch, build, split_max_tensors=0):
    w = gguf.GGUFWriter(OUT / f"{stem}.gguf", arch, split_max_tensors=split_max_tensors)
    build(w)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    # Read after writing: the writer adds split.no/count/tensors.count while writing the header.
    kv = {k: describe_value(v) for k, v in w.kv_data[0].items()}
    paths = w.format_shard_names(OUT / f"{stem}.gguf")
    parts, tensors = [], []
    for i, p in enumerate(paths):
        r = gguf.GGUFReader(p)
        kv_count = len(w.kv_data[i]) if i < len(w.kv_data) else 0
        parts.append({"file": p.name, "file_size": p.stat().st_size, "version": gguf.GGUF_VERSION,
                      "tensor_count": len(r.tensors), "kv_count": kv_count, "data_offset": r.data_offset})
        for t in r.tensors:
            tensors.append({"name": t.name, "dims": [int(d) for d in t.shape], "type": t.tensor_type.name,
                            "type_id": int(t.tensor_type), "offset": t.data_offset - r.data_offset,
                            "n_elements": int(t.n_elements), "n_bytes": int(t.n_bytes), "part": i})
    params = sum(t["n_elements"] for t in tensors)
    return {"files": [p["file"] for p in parts], "arch": arch, "parts": parts, "metadata": kv,
            "tensors": tensors, "params": params, "tensor_bytes": sum(t["n_bytes"] for t in tensors),
            "file_bytes": sum(p["file_size"] for p in parts)}


def main():
    OUT.mkdir(exist_ok=True)
    for f in OUT.glob("*.gguf"):
        f.unlink()
    models = {
        "tiny-llama-q8_0": write("tiny-llama-q8_0", "llama", llama),
        "tiny-qwen2": write("tiny-qwen2", "qwen2", qwen2),
        "tiny-gemma2-f16": write("tiny-gemma2-f16", "gemma2", gemma2),
        "tiny-moe-q8_0": write("tiny-moe-q8_0", "llama", moe),
        "tiny-split": write("tiny-split", "llama", llama, split_max_tensors=9),
    }
    # What the reader should derive; written here by hand from what the builders above wrote.
    derived = {
        "tiny-llama-q8_0": dict(quant="q8_0", layers=2, embedding=64, feed_forward=64, heads=4, kv_heads=2,
                                key_length=None, value_length=None, head_dim=16, ctx_train=2048, vocab=16,
                                sliding_window=None, expert_count=None, expert_used_count=None, name="Tiny Llama"),
        "tiny-qwen2": dict(quant="f16", layers=2, embedding=64, feed_forward=64, heads=4, kv_heads=2,
                           key_length=None, value_length=None, head_dim=16, ctx_train=2048, vocab=16,
                           sliding_window=None, expert_count=None, expert_used_count=None, name="Tiny Qwen2"),
        "tiny-gemma2-f16": dict(quant="f16", layers=2, embedding=64, feed_forward=64, heads=4, kv_heads=2,
                                key_length=32, value_length=32, head_dim=32, ctx_train=2048, vocab=16,
                                sliding_window=64, expert_count=None, expert_used_count=None, name="Tiny Gemma 2"),
        "tiny-moe-q8_0": dict(quant="q8_0", layers=2, embedding=64, feed_forward=64, heads=4, kv_heads=2,
                              key_length=None, value_length=None, head_dim=16, ctx_train=2048, vocab=16,
                              sliding_window=None, expert_count=8, expert_used_count=2, name="Tiny MoE"),
        "tiny-split": dict(quant="q8_0", layers=2, embedding=64, feed_forward=64, heads=4, kv_heads=2,
                           key_length=None, value_length=None, head_dim=16, ctx_train=2048, vocab=16,
                           sliding_window=None, expert_count=None, expert_used_count=None, name="Tiny Llama"),
    }
    for k, d in derived.items():
        models[k]["derived"] = d
    expected = {
        "generator": f"gguf {PINNED} (llama.cpp gguf-py) via make_fixtures.py",
        "models": models,
        # ggml's type_traits as gguf-py mirrors them: id -> [name, block size, bytes per block].
        "ggml_types": {str(int(t)): [t.name, bs, ts] for t, (bs, ts) in gguf.GGML_QUANT_SIZES.items()},
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    for f in sorted(OUT.glob("*.gguf")):
        print(f"{f.name}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    from importlib.metadata import version
    if version("gguf") != PINNED:
        sys.exit(f"make_fixtures.py needs gguf=={PINNED} (found {version('gguf')}): pip install gguf=={PINNED}")
    main()
