// How tools say that the machine, not the run, failed: a full disk or a read-only file system
// shows up only as text on a compiler's or linker's stderr.
export const FAULT_TEXT: readonly [RegExp, string][] = [
  [/No space left on device/i, 'ENOSPC'],
  [/Disk quota exceeded/i, 'EDQUOT'],
  [/Read-only file system/i, 'EROFS'],
];

/** The errno code a tool's output names, if it names one of FAULT_TEXT. */
export function faultCodeInText(text: string): string | undefined {
  return FAULT_TEXT.find(([re]) => re.test(text))?.[1];
}
