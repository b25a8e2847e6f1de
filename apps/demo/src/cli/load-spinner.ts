import type { Io } from './output.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Where the spinner draws: stderr, or a stand-in in tests. */
export interface SpinnerStream {
  write(text: string): unknown;
}

/**
 * Shows a spinner with the elapsed time on stderr while `work` runs (a model loading), and
 * clears it when `work` settles, resolved or not. Only in text mode on a terminal: with
 * `io.interactive` false or `json` true, `work` is returned untouched and nothing is drawn.
 */
export function whileLoading<T>(
  io: Io,
  label: string,
  work: Promise<T>,
  options: { readonly json?: boolean; readonly stream?: SpinnerStream } = {},
): Promise<T> {
  if (!io.interactive || options.json) return work;
  return spin(label, work, options.stream ?? process.stderr);
}

async function spin<T>(label: string, work: Promise<T>, stream: SpinnerStream): Promise<T> {
  const start = performance.now();
  let frame = 0;
  let drawn = false;
  const timer = setInterval(() => {
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${label} ${seconds} s`);
    drawn = true;
  }, 100);
  timer.unref?.();
  try {
    return await work;
  } finally {
    clearInterval(timer);
    if (drawn) stream.write('\r\x1b[2K');
  }
}
