import { availableParallelism } from 'node:os';
import { NpuFirstError } from '@npu-first/core';
import { describe, expect, it } from 'vitest';
import { cleanOrtMessage, loadError } from './ort-errors.js';
import { readSessionSettings, toSessionOptions } from './session-options.js';

describe('session options', () => {
  it('maps common options and settings onto ONNX Runtime session options', () => {
    const settings = readSessionSettings('cpu-x', {
      interOpThreads: 1,
      executionMode: 'parallel',
      enableCpuMemArena: false,
    });
    expect(
      toSessionOptions({ threads: 2, graphOptimizationLevel: 'basic' }, settings, ['cpu']),
    ).toEqual({
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
      intraOpNumThreads: 2,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'basic',
      executionMode: 'parallel',
      enableCpuMemArena: false,
    });
  });

  it('leaves unset options to the engine', () => {
    expect(toSessionOptions({}, {}, ['cpu'])).toEqual({
      executionProviders: ['cpu'],
      logSeverityLevel: 3,
    });
  });

  it('rejects unknown settings and bad values with INVALID_OPTION', () => {
    for (const raw of [{ intraOpThreads: 2 }, { interOpThreads: 0 }, { logSeverityLevel: 9 }]) {
      let error: unknown;
      try {
        readSessionSettings('cpu-x', raw);
      } catch (e) {
        error = e;
      }
      expect(NpuFirstError.isInstance(error) && error.code).toBe('INVALID_OPTION');
    }
  });

  it('suggests the setting a typo meant, and bounds interOpThreads by the cores', () => {
    const messageOf = (raw: Record<string, unknown>) => {
      try {
        readSessionSettings('cpu-x', raw);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(messageOf({ interOpThread: 2 })).toMatch(
      /^Invalid option backendOptions\.cpu-x\.interOpThread: unknown option \(did you mean interOpThreads\?\) \(known: /,
    );
    const cores = availableParallelism();
    expect(messageOf({ interOpThreads: cores + 1 })).toContain(`from 1 to ${cores}`);
    expect(messageOf({ interOpThreads: cores })).toBe('accepted');
  });
});

describe('ONNX Runtime error mapping', () => {
  it('strips source locations and classifies parse failures as MODEL_CORRUPT', () => {
    const raw = new Error(
      '/onnxruntime_src/onnxruntime/core/session/inference_session.cc:1234 onnxruntime::InferenceSession::Load(const void*, int) Protobuf parsing failed.',
    );
    expect(cleanOrtMessage(raw)).toBe('Protobuf parsing failed.');
    expect(loadError('cpu-x', 'm.onnx', raw).code).toBe('MODEL_CORRUPT');
    expect(
      loadError('cpu-x', 'm.onnx', new Error('Could not find an implementation for Foo(1)')).code,
    ).toBe('BACKEND_LOAD_FAILED');
  });
});
