import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; `update` is cheap enough to call per step. */
export function startProgress(
  label: string,
  total: number,
  unit: 'steps' | 'bytes' = 'steps',
): { update: (done: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% · ${unit === 'bytes' ? '{value_mb}/{total_mb} MB' : '{value}/{total}'} · eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (n: number) => (n / 1e6).toFixed(1);
  bar.start(total, 0, { value_mb: mb(0), total_mb: mb(total) });
  let last = 0;
  return {
    update: (done) => {
      // Redraw at most every 1 % so the bar never costs more than the work.
      if (done - last >= total / 100 || done === total) {
        last = done;
        bar.update(done, { value_mb: mb(done), total_mb: mb(total) });
      }
    },
    stop: () => bar.stop(),
  };
}
