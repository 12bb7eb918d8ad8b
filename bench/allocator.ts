// The memory allocator the bench runs the actors with: jemalloc, as docker-compose.yml and deploy/k8s preload it,
// when this machine has it (Debian's libjemalloc2); else glibc's malloc, as the order service always runs. An
// LD_PRELOAD already set, even empty, is kept: `LD_PRELOAD= make bench` measures glibc's.
import { existsSync } from 'node:fs';

const jemalloc = 'libjemalloc.so.2';
// Where Debian and most distributions put it, by architecture.
const libraryDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

/** The actors' LD_PRELOAD: the one set, or jemalloc when installed, or none. */
export function actorPreload(): Record<string, string> {
  const set = process.env.LD_PRELOAD;
  if (set !== undefined) return { LD_PRELOAD: set };
  return libraryDirs.some((dir) => existsSync(`${dir}/${jemalloc}`)) ? { LD_PRELOAD: jemalloc } : {};
}

/** What the results say of it. */
export const actorPreloadSetting = (): string => actorPreload().LD_PRELOAD || 'none (glibc malloc)';
