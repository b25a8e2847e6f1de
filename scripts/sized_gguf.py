#!/usr/bin/env python3
# Copied from the project's shared device tooling (../shared/device/sized_gguf.py) so it travels with the tree.
"""Write a random-weight llama-architecture GGUF of a chosen size (F16 matrices, numpy) for speed checks.
Usage: sized_gguf.py OUT.gguf N_EMBD N_LAYER [seed]"""
import random, struct, sys
import numpy as np

def s(x):
    b = x.encode()
    return struct.pack('<Q', len(b)) + b

T_U32, T_I32, T_F32, T_STR, T_ARR = 4, 5, 6, 8, 9

def kv(key, typ, val):
    out = s(key) + struct.pack('<I', typ)
    if typ == T_U32: out += struct.pack('<I', val)
    elif typ == T_I32: out += struct.pack('<i', val)
    elif typ == T_F32: out += struct.pack('<f', val)
    elif typ == T_STR: out += s(val)
    elif typ == T_ARR:
        et, items = val
        out += struct.pack('<IQ', et, len(items))
        for it in items:
            if et == T_STR: out += s(it)
            elif et == T_F32: out += struct.pack('<f', it)
            elif et == T_I32: out += struct.pack('<i', it)
    return out

def main():
    path = sys.argv[1]; rnd = None
    n_embd, n_layer = int(sys.argv[2]), int(sys.argv[3]); n_head, n_ff, ctx = max(4, n_embd // 64), n_embd * 11 // 4, 2048
    npr = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 0)
    tokens, scores, types = ['<unk>', '<s>', '</s>'], [0.0, 0.0, 0.0], [2, 3, 3]
    for b in range(256):
        tokens.append('<0x%02X>' % b); scores.append(0.0); types.append(1)  # normal: random weights must emit valid text
    pieces = ['\u2581'] + list('abcdefghijklmnopqrstuvwxyz') + ['\u2581' + w for w in
              ['the', 'a', 'hello', 'world', 'is', 'of', 'and', 'to', 'in', 'it']]
    for i, p in enumerate(pieces):
        tokens.append(p); scores.append(-float(i)); types.append(1)
    n_vocab = len(tokens)
    meta = [
        kv('general.architecture', T_STR, 'llama'), kv('general.name', T_STR, 'tiny-random'),
        kv('llama.context_length', T_U32, ctx), kv('llama.embedding_length', T_U32, n_embd),
        kv('llama.block_count', T_U32, n_layer), kv('llama.feed_forward_length', T_U32, n_ff),
        kv('llama.rope.dimension_count', T_U32, n_embd // n_head),
        kv('llama.attention.head_count', T_U32, n_head), kv('llama.attention.head_count_kv', T_U32, n_head),
        kv('llama.attention.layer_norm_rms_epsilon', T_F32, 1e-5),
        kv('tokenizer.ggml.model', T_STR, 'llama'),
        kv('tokenizer.ggml.tokens', T_ARR, (T_STR, tokens)),
        kv('tokenizer.ggml.scores', T_ARR, (T_F32, scores)),
        kv('tokenizer.ggml.token_type', T_ARR, (T_I32, types)),
        kv('tokenizer.ggml.bos_token_id', T_U32, 1), kv('tokenizer.ggml.eos_token_id', T_U32, 2),
        kv('tokenizer.ggml.unknown_token_id', T_U32, 0),
    ]
    tensors = [('token_embd.weight', [n_embd, n_vocab]), ('output_norm.weight', [n_embd]),
               ('output.weight', [n_embd, n_vocab])]
    for i in range(n_layer):
        p = 'blk.%d.' % i
        tensors += [(p + 'attn_norm.weight', [n_embd]), (p + 'attn_q.weight', [n_embd, n_embd]),
                    (p + 'attn_k.weight', [n_embd, n_embd]), (p + 'attn_v.weight', [n_embd, n_embd]),
                    (p + 'attn_output.weight', [n_embd, n_embd]), (p + 'ffn_norm.weight', [n_embd]),
                    (p + 'ffn_gate.weight', [n_embd, n_ff]), (p + 'ffn_down.weight', [n_ff, n_embd]),
                    (p + 'ffn_up.weight', [n_embd, n_ff])]
    align = 32
    infos, blobs, off = b'', [], 0
    for name, dims in tensors:
        n = 1
        for d in dims: n *= d
        infos += s(name) + struct.pack('<I', len(dims)) + b''.join(struct.pack('<Q', d) for d in dims)
        norm = name.endswith('norm.weight')
        infos += struct.pack('<IQ', 0 if norm else 1, off)
        blob = np.ones(n, np.float32).tobytes() if norm else (npr.standard_normal(n, np.float32) * 0.02).astype(np.float16).tobytes()
        pad = (-len(blob)) % align
        blobs.append(blob + b'\0' * pad); off += len(blob) + pad
    head = b'GGUF' + struct.pack('<IQQ', 3, len(tensors), len(meta)) + b''.join(meta) + infos
    head += b'\0' * ((-len(head)) % align)
    with open(path, 'wb') as f:
        f.write(head); [f.write(b) for b in blobs]

main()
