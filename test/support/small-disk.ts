import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A real small disk for each test of the calling suite: a tmpfs of `size` (e.g. '1m'), so a full
 * disk is the kernel's ENOSPC, not a stand-in. Mounting needs root, as CI and the workstation
 * setup run; elsewhere the suite says it skipped and the getter returns ''.
 */
export function useSmallDisk(size: string): () => string {
  let mounted = '';
  beforeEach(async () => {
    mounted = await mkdtemp(path.join(tmpdir(), 'arkiva-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mounted], { stdio: 'pipe' });
    } catch (error) {
      await rm(mounted, { recursive: true, force: true });
      mounted = '';
      console.warn(`SKIPPED real full-disk test: cannot mount a tmpfs (${(error instanceof Error ? error.message : String(error)).split('\n')[0]})`);
    }
  });
  afterEach(async () => {
    if (!mounted) return;
    execFileSync('umount', [mounted]);
    await rm(mounted, { recursive: true, force: true });
  });
  return () => mounted;
}
