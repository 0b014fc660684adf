// Runs one tool through the compiled runTool (dist/) and waits; the orphan test SIGKILLs it.
// argv: <timeout ms> <cmd> <args...>; MLB_THROW_AFTER_MS=n: crash with an uncaught error after n ms.
const [limit, cmd, ...args] = process.argv.slice(2);
const { runTool } = await import(new URL('../../dist/core/exec.js', import.meta.url).href);
const crashAfter = Number(process.env.MLB_THROW_AFTER_MS ?? 0);
if (crashAfter) setTimeout(() => { throw new Error('crash while a tool runs'); }, crashAfter);
const r = await runTool(cmd, args, { timeoutMs: Number(limit), allowFailure: true });
process.stdout.write(`${JSON.stringify({ exit: r.exitCode, timedOut: r.timedOut })}\n`);
