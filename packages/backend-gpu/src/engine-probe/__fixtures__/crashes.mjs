import { writeSync } from 'node:fs';

process.once('message', () => {
  writeSync(2, 'ERROR: vkCreateDevice failed\n');
  process.abort();
});
