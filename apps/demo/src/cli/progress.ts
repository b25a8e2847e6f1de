import cliProgress from 'cli-progress';

/** A progress bar on stderr for long work; `update` is cheap enough to call per step. */
export function startProgress(
  label: string,
  total: number,
): { update: (done: number) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% · {value}/{total} · eta {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  let last = 0;
  return {
    update: (done) => {
      // Redraw at most every 1 % so the bar never costs more than the work.
      if (done - last >= total / 100 || done === total) {
        last = done;
        bar.update(done);
      }
    },
    stop: () => bar.stop(),
  };
}
