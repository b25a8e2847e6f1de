import { describe, expect, it } from 'vitest';
import { defaultModelDir, downloadGguf, isModelUri } from './download-gguf.js';

describe('model downloads', () => {
  it('recognises URLs and hub references, and nothing else', () => {
    expect(isModelUri('https://example.com/m.gguf')).toBe(true);
    expect(isModelUri('hf:owner/repo:Q4_K_M')).toBe(true);
    expect(isModelUri('./models/m.gguf')).toBe(false);
  });

  it('keeps models under NPU_FIRST_MODELS_DIR, else the user cache', () => {
    expect(defaultModelDir({ NPU_FIRST_MODELS_DIR: '/srv/models' })).toBe('/srv/models');
    expect(defaultModelDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/npu-first/models');
  });

  it('fails at once with MODEL_DOWNLOAD_FAILED when the host cannot be reached', async () => {
    // .invalid never resolves (RFC 2606), online or off.
    await expect(
      downloadGguf('https://models.invalid/tiny.gguf', { dir: '/tmp/npu-first-never' }),
    ).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
      uri: 'https://models.invalid/tiny.gguf',
      reason: expect.stringContaining('download the file yourself'),
    });
    await expect(downloadGguf('not a uri')).rejects.toMatchObject({
      code: 'MODEL_DOWNLOAD_FAILED',
    });
  });
});
