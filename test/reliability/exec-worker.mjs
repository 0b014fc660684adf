// Runs one tool through the compiled runTool (dist/) and waits; the orphan test SIGKILLs it.
// argv: <timeout ms> <cmd> <args...>
const [limit, cmd, ...args] = process.argv.slice(2);
const { runTool } = await import(new URL('../../dist/core/exec.js', import.meta.url).href);
const r = await runTool(cmd, args, { timeoutMs: Number(limit), allowFailure: true });
process.stdout.write(`${JSON.stringify({ exit: r.exitCode, timedOut: r.timedOut })}\n`);
