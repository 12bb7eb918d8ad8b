// The memory allocator the bench runs the services with: jemalloc, as the Docker image preloads it
// (deploy/Dockerfile), when this machine has it (Debian's libjemalloc2); else glibc's malloc. An LD_PRELOAD already
// set, even empty, is kept: `LD_PRELOAD= make bench` measures glibc's.
import { existsSync } from 'node:fs';

const jemalloc = 'libjemalloc.so.2';
// Where Debian and most distributions put it, by architecture.
const libraryDirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'];

/** The services' LD_PRELOAD: the one set, or jemalloc when installed, or none. */
export function servicesPreload(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (env.LD_PRELOAD !== undefined) return { LD_PRELOAD: env.LD_PRELOAD };
  return libraryDirs.some((dir) => existsSync(`${dir}/${jemalloc}`)) ? { LD_PRELOAD: jemalloc } : {};
}

/** What the results say of it. */
export const preloadSetting = (preload: Record<string, string>): string =>
  preload.LD_PRELOAD ? preload.LD_PRELOAD : 'none (glibc malloc)';
