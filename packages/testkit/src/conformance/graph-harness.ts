import {
  type Backend,
  type GraphModel,
  inspectModel,
  type LoadContext,
  type LoadedModel,
  type ModelDescriptor,
  type ProbeResult,
  type Tensor,
  type TensorInfo,
} from '@npu-first/core';
import { expect } from 'vitest';
import type { FixtureModel } from '../fixtures/index.js';
import { bounded } from './bounded.js';
import { describeThrown } from './describe-thrown.js';
import { loadModel } from './load-backend.js';
import type { PinnedDims, Settings } from './options.js';
import { compareTensors, type Tolerance } from './tolerance.js';

/** The symbolic dimension names a fixture's inputs declare. */
export function symbolicDims(fixture: FixtureModel): string[] {
  const names = fixture.inputs.flatMap((i) => (i.shape ?? []).filter((d) => typeof d === 'string'));
  return [...new Set(names)];
}

/**
 * How the graph cases load and check models: for a static-shapes-only backend, every
 * symbolic dimension is pinned through `pinShapes` (default size 1), so a model is loaded for
 * the sizes it will run at.
 */
export class GraphHarness {
  constructor(
    readonly backend: Backend,
    readonly probe: ProbeResult,
    readonly tolerance: Tolerance,
    readonly settings: Settings,
  ) {}

  /** Why a case using `fixture` cannot run on this backend, or undefined when it can. */
  cannotRun(fixture: FixtureModel): string | undefined {
    if (!this.settings.staticShapesOnly || symbolicDims(fixture).length === 0) return undefined;
    if (this.settings.pinShapes) return undefined;
    return `staticShapesOnly is declared without pinShapes, so the symbolic "${fixture.name}" fixture cannot be pinned`;
  }

  /** The pins a load of `fixture` uses to run at `dims`, or undefined when it loads unpinned. */
  pinsFor(fixture: FixtureModel, dims: PinnedDims = {}): PinnedDims | undefined {
    const names = symbolicDims(fixture);
    if (!this.settings.staticShapesOnly || names.length === 0) return undefined;
    return Object.fromEntries(names.map((n) => [n, dims[n] ?? 1]));
  }

  context(backendOptions?: Readonly<Record<string, unknown>>): LoadContext {
    return { options: {}, backendOptions, probe: this.probe, signal: new AbortController().signal };
  }

  /** The load context for `fixture` at `dims`: pinned for a static-shapes-only backend. */
  contextFor(fixture: FixtureModel, dims?: PinnedDims): LoadContext {
    const pins = this.pinsFor(fixture, dims);
    return this.context(pins && this.settings.pinShapes?.(pins));
  }

  /** load() bounded; a throw says which call threw what. */
  async loadDescriptor(
    descriptor: ModelDescriptor,
    context: LoadContext,
    what: string,
  ): Promise<LoadedModel> {
    try {
      return await bounded(`load(${what})`, this.settings.loadTimeoutMs, () =>
        loadModel(this.backend, descriptor, context),
      );
    } catch (error) {
      throw new Error(`load(${what}) threw ${describeThrown(error)}`, { cause: error });
    }
  }

  async load(fixture: FixtureModel, dims?: PinnedDims): Promise<GraphModel> {
    const pins = this.pinsFor(fixture, dims);
    const what = pins ? `${fixture.name} pinned to ${JSON.stringify(pins)}` : fixture.name;
    const model = await this.loadDescriptor(
      await inspectModel(fixture.bytes),
      this.contextFor(fixture, dims),
      what,
    );
    return asGraph(model);
  }

  expectMatches(actual: Record<string, Tensor>, expected: Record<string, Tensor>): void {
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, tensor] of Object.entries(expected)) {
      const problem = compareTensors(actual[name] as Tensor, tensor, this.tolerance);
      expect(problem, `output "${name}"`).toBeUndefined();
    }
  }

  /**
   * Declared inputs or outputs as the model reports them. Unpinned, exactly the fixture's;
   * pinned, a symbolic dimension may be reported by its name or as its pinned size.
   */
  expectDeclared(
    actual: readonly TensorInfo[],
    declared: readonly TensorInfo[],
    pins?: PinnedDims,
  ): void {
    if (!pins) {
      expect(actual).toEqual(declared);
      return;
    }
    const allowed = declared.map((info) => ({
      ...info,
      shape: info.shape?.map((d) =>
        typeof d === 'string' && pins[d] !== undefined ? [d, pins[d]] : [d],
      ),
    }));
    expect(actual.map((i) => i.name)).toEqual(declared.map((i) => i.name));
    for (const [index, info] of actual.entries()) {
      const want = allowed[index];
      expect(info.type, `type of "${info.name}"`).toBe(want?.type);
      expect(info.shape?.length, `rank of "${info.name}"`).toBe(want?.shape?.length);
      for (const [i, d] of (info.shape ?? []).entries()) {
        expect(want?.shape?.[i], `dim ${i} of "${info.name}"`).toContain(d);
      }
    }
  }
}

/** The loaded model as a graph model; a backend that returns another kind fails the case. */
export function asGraph(model: LoadedModel): GraphModel {
  expect(model.task, 'an ONNX model must load as a graph model').toBe('graph');
  return model as GraphModel;
}
