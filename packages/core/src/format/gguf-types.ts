/** GGUF metadata value types (gguf.h `gguf_type`). */
export const GgufType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** Bytes of one value of each fixed-size metadata type; strings are 8 + their length. */
export const GGUF_VALUE_BYTES: ReadonlyMap<number, number> = new Map([
  [GgufType.UINT8, 1],
  [GgufType.INT8, 1],
  [GgufType.UINT16, 2],
  [GgufType.INT16, 2],
  [GgufType.UINT32, 4],
  [GgufType.INT32, 4],
  [GgufType.FLOAT32, 4],
  [GgufType.BOOL, 1],
  [GgufType.UINT64, 8],
  [GgufType.INT64, 8],
  [GgufType.FLOAT64, 8],
]);

/**
 * ggml tensor types a GGUF file may hold, as [elements per block, bytes per block] (ggml.c
 * `type_traits`). Ids missing here were never valid or were removed from GGUF files (4, 5,
 * 31–33, 36–38); llama.cpp refuses them too.
 */
export const GGML_TYPE_BLOCKS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
  [40, [64, 36]], // NVFP4
  [41, [128, 18]], // Q1_0
  [42, [64, 18]], // Q2_0
]);

/** ggml's limits, which llama.cpp's GGUF reader enforces (ggml.h, gguf.cpp). */
export const GGML_MAX_DIMS = 4;
export const GGML_MAX_NAME = 64;
export const GGUF_MAX_ARRAY_ELEMENTS = 1024 * 1024 * 1024;
/** The GGUF spec caps keys at 65535 bytes. */
export const GGUF_MAX_KEY_BYTES = 65_535;
export const GGUF_DEFAULT_ALIGNMENT = 32;
