// Reads a board's serial console until the program's end line or a deadline. No serialport
// dependency: the port is set up with `stty` and read as a character device.
import { createReadStream } from 'node:fs';
import type { StageContext } from '../../core/component.js';

export interface SerialCapture {
  text: string;
  timedOut: boolean;
  /** The pattern that ended the capture. */
  stoppedBy?: string;
}

/** Device end lines: mlif's exit line (§9.2.5) or the ESP-IDF/Zephyr templates' STOP marker (§7). */
export const DEFAULT_STOP_PATTERNS: RegExp[] = [/MLONMCU EXIT: -?\d+\r?\n/, /MLonMCU: STOP/];

/** `stty` arguments that make a tty a raw 8N1 line at `baud` (what pyserial does for MLonMCU). */
export function sttyArgs(port: string, baud: number): string[] {
  return ['-F', port, String(baud), 'raw', '-echo', 'cs8', '-cstopb', '-parenb'];
}

export async function configurePort(ctx: StageContext, port: string, baud: number): Promise<void> {
  await ctx.exec('stty', sttyArgs(port, baud));
}

export function captureSerial(
  port: string,
  o: { stopAt?: RegExp[]; timeoutMs: number; signal?: AbortSignal },
): Promise<SerialCapture> {
  const stopAt = o.stopAt ?? DEFAULT_STOP_PATTERNS;
  return new Promise((resolve, reject) => {
    const stream = createReadStream(port, { encoding: 'utf8' });
    let text = '';
    let settled = false;
    const finish = (result: SerialCapture | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      stream.destroy();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const timer = setTimeout(() => finish({ text, timedOut: true }), o.timeoutMs);
    const onAbort = (): void => finish({ text, timedOut: false, stoppedBy: 'interrupted' });
    o.signal?.addEventListener('abort', onAbort);
    stream.on('data', (chunk) => {
      text += String(chunk);
      const hit = stopAt.find((p) => p.test(text));
      if (hit) finish({ text, timedOut: false, stoppedBy: hit.source });
    });
    stream.on('error', (e) => finish(e));
    stream.on('end', () => finish({ text, timedOut: false, stoppedBy: 'end of stream' }));
  });
}
