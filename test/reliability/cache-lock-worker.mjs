// One builder process of the cache lock stress test (test/reliability/cache-lock.test.ts).
// argv: <cache root> <mode: build|hold> <produce ms> <key>...
// build: builds every key at once through the compiled DirectoryCache (dist/) and prints one
//        JSON line per key; hold: starts producing the keys and never finishes (to be killed).
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [root, mode, produceMs, ...keys] = process.argv.slice(2);
const { DirectoryCache } = await import(new URL('../../dist/core/cache.js', import.meta.url).href);
const cache = new DirectoryCache(root);
const logLines = [];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await Promise.all(
  keys.map(async (k) => {
    const t0 = Date.now();
    writeFileSync(join(root, `asking-${k}-${process.pid}`), '');
    const dir = await cache.directory(
      { stress: k },
      async (out) => {
        appendFileSync(join(root, 'produced.log'), `${k} ${process.pid}\n`);
        if (mode === 'hold') {
          writeFileSync(join(root, `holding-${k}`), String(process.pid));
          await new Promise(() => setInterval(() => {}, 1000)); // hangs until killed
        }
        await sleep(Number(produceMs));
        writeFileSync(join(out, 'object.o'), `built ${k}`);
      },
      { log: (line) => logLines.push(`${k}: ${line}`) },
    );
    process.stdout.write(`${JSON.stringify({ key: k, dir, ms: Date.now() - t0 })}\n`);
  }),
);
for (const l of logLines) process.stderr.write(`${l}\n`);
