/**
 * Whether a process with this id runs on this machine: signal 0 only checks, and EPERM
 * means it runs, as another user. Locks and spill folders use it to tell a live owner from
 * one that died.
 *
 * @param pid - the process id a lock or folder names
 * @returns true when the process exists
 * @example
 * isProcessAlive(process.pid); // true
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
