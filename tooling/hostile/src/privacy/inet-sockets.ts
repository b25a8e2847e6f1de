import { readdir, readFile, readlink } from 'node:fs/promises';

/** Internet sockets one process opened, as seen in its `/proc/<pid>/net` tables. */
export interface SocketWatch {
  /** `udp 0A00FFFF:0035`-style lines: protocol and remote address of each one seen. */
  readonly inet: string[];
  /** Sockets gone before they could be told apart (a unix socket or a quick DNS query). */
  readonly unclassified: number;
  /** How many times the fd table was read. */
  readonly polls: number;
}

const TABLES = ['tcp', 'tcp6', 'udp', 'udp6', 'raw', 'raw6'] as const;

/**
 * Watches a process's file descriptors until `stop` resolves, without strace (which CI may
 * not have or may not be allowed to use): every new `socket:[inode]` is looked up in the
 * process's own network namespace tables. Polling misses a socket that lives less than the
 * interval (a DNS query answered in a millisecond); a connection to a host stays for longer.
 */
export async function watchSockets(
  pid: number,
  stop: Promise<unknown>,
  intervalMs = 5,
): Promise<SocketWatch> {
  let done = false;
  void stop.finally(() => {
    done = true;
  });
  const seen = new Set<string>();
  const inet: string[] = [];
  let unclassified = 0;
  let polls = 0;
  while (!done) {
    const fresh = (await socketInodes(pid)).filter((inode) => !seen.has(inode));
    polls++;
    if (fresh.length > 0) {
      const tables = await netTables(pid);
      for (const inode of fresh) {
        seen.add(inode);
        const where = tables.inet.get(inode);
        if (where) inet.push(where);
        else if (!tables.unix.has(inode)) unclassified++;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return { inet, unclassified, polls };
}

async function socketInodes(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(
    fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')),
  );
  return links.flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []);
}

async function netTables(pid: number): Promise<{ inet: Map<string, string>; unix: Set<string> }> {
  const inet = new Map<string, string>();
  for (const table of TABLES) {
    const text = await readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length > 9) inet.set(cols[9] as string, `${table} ${cols[2]}`);
    }
  }
  const unixText = await readFile(`/proc/${pid}/net/unix`, 'utf8').catch(() => '');
  const unix = new Set(
    unixText
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/)[6] ?? ''),
  );
  return { inet, unix };
}
