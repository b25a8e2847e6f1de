/** How much of a graph an NPU execution provider really ran, read from an ORT profile. */
export interface OpCoverage {
  /** The NPU execution provider looked for, e.g. `CoreMLExecutionProvider`. */
  readonly provider: string;
  /** Graph nodes run by the NPU provider (nodes inside its fused partitions included). */
  readonly npuNodes: number;
  readonly totalNodes: number;
  /** `npuNodes / totalNodes`, 0 for an empty graph. */
  readonly ratio: number;
  /** Kernels the NPU provider ran: one per fused partition for compiling EPs such as CoreML. */
  readonly npuKernels: number;
  /** Nodes that fell back to the CPU provider (ORT's copy nodes not counted). */
  readonly cpuNodes: number;
  /** Op types that fell back to the CPU, most frequent first. */
  readonly fellBack: readonly { readonly opType: string; readonly count: number }[];
  /** Share of kernel time spent in the NPU provider's kernels; `null` when no time was recorded. */
  readonly npuTimeShare: number | null;
}

interface NodeEvent {
  readonly node: string;
  readonly opType: string;
  readonly provider: string;
  readonly dur: number;
}

const CPU_PROVIDER = 'CPUExecutionProvider';
/** Nodes ORT inserts to move tensors between devices: plumbing, not graph work. */
const COPY_OPS = new Set(['MemcpyToHost', 'MemcpyFromHost']);

/**
 * Reads ONNX Runtime's profile (`enableProfiling`: a Chrome-trace JSON array) and counts
 * where nodes ran. Node events are `{ cat: 'Node', name: '<node>_kernel_time',
 * args: { op_name, provider } }`. A compiling EP (CoreML, OpenVINO, QNN) runs each partition
 * it took as one fused kernel, so its events count partitions, not nodes: given the graph's
 * node count, the NPU's share is the nodes that did not run on the CPU. ORT may fuse CPU
 * nodes (Conv+Relu → FusedConv), which makes that share an upper estimate; `npuTimeShare`
 * is reported beside it.
 *
 * @param graphNodes Nodes in the model's graph, when known (the pre-flight counts them).
 */
export function parseProfile(
  events: readonly unknown[],
  provider: string,
  graphNodes?: number,
): OpCoverage {
  const nodes = distinctNodeEvents(events);
  const npu = nodes.filter((n) => n.provider === provider);
  const cpu = nodes.filter(
    (n) => n.provider === CPU_PROVIDER && n.provider !== provider && !COPY_OPS.has(n.opType),
  );
  const total = Math.max(graphNodes ?? 0, cpu.length + npu.length);
  const npuNodes = npu.length === 0 ? 0 : Math.max(npu.length, total - cpu.length);
  const counts = new Map<string, number>();
  for (const n of cpu) counts.set(n.opType, (counts.get(n.opType) ?? 0) + 1);
  const fellBack = [...counts.entries()]
    .map(([opType, count]) => ({ opType, count }))
    .sort((a, b) => b.count - a.count || a.opType.localeCompare(b.opType));
  const kernelTime = nodes
    .filter((n) => !COPY_OPS.has(n.opType))
    .reduce((sum, n) => sum + n.dur, 0);
  const npuTime = npu.reduce((sum, n) => sum + n.dur, 0);
  return {
    provider,
    npuNodes,
    totalNodes: total,
    ratio: total === 0 ? 0 : npuNodes / total,
    npuKernels: npu.length,
    cpuNodes: cpu.length,
    fellBack,
    npuTimeShare: kernelTime > 0 ? npuTime / kernelTime : null,
  };
}

/** `41/45 nodes on CoreMLExecutionProvider (2 partitions, 93% of kernel time); fell back to CPU: Resize ×2, NonMaxSuppression`. */
export function describeCoverage(c: OpCoverage): string {
  const parts = [`${c.npuKernels} kernel${c.npuKernels === 1 ? '' : 's'}`];
  if (c.npuTimeShare !== null) parts.push(`${Math.round(c.npuTimeShare * 100)}% of kernel time`);
  const head = `${c.npuNodes}/${c.totalNodes} nodes on ${c.provider} (${parts.join(', ')})`;
  if (c.fellBack.length === 0) return head;
  const ops = c.fellBack.map((f) => (f.count > 1 ? `${f.opType} ×${f.count}` : f.opType));
  return `${head}; fell back to CPU: ${ops.join(', ')}`;
}

/** The node events of a profile, one per node (a node run twice, as in a Loop, counts once). */
function distinctNodeEvents(events: readonly unknown[]): NodeEvent[] {
  const seen = new Map<string, NodeEvent>();
  for (const raw of events) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as { cat?: unknown; name?: unknown; dur?: unknown; args?: unknown };
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith('_kernel_time')) {
      continue;
    }
    const args = (typeof e.args === 'object' && e.args !== null ? e.args : {}) as {
      op_name?: unknown;
      provider?: unknown;
    };
    if (typeof args.provider !== 'string') continue;
    const node = e.name.slice(0, -'_kernel_time'.length);
    const dur = typeof e.dur === 'number' ? e.dur : 0;
    const previous = seen.get(node);
    if (previous) {
      seen.set(node, { ...previous, dur: previous.dur + dur });
      continue;
    }
    const opType = typeof args.op_name === 'string' ? args.op_name : '?';
    seen.set(node, { node, opType, provider: args.provider, dur });
  }
  return [...seen.values()];
}
