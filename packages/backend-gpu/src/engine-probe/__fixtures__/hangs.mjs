import { spawn } from 'node:child_process';
import { writeSync } from 'node:fs';

process.once('message', () => {
  const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    stdio: 'inherit',
  });
  writeSync(1, `grandchild ${grandchild.pid}\n`);
  setInterval(() => {}, 1000);
});
