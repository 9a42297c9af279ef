/**
 * The widget's files as `/widget/*` serves them, surviving deploys.
 *
 * The entries (`pay-qr.js`, `pay-scan.js`) keep their names and come from the current build. Their
 * lazy chunks are content-hashed (`qr-attempt-controller-BuIvai-G.js`) and imported only when
 * needed — when the shopper picks a channel, possibly hours after the page loaded. Had the BFF
 * been redeployed in between, that page's (old) entry would ask for chunks the new build no
 * longer has, and the checkout would break at the moment of paying. So every hashed chunk a
 * build ships is also kept in an archive folder in the data directory (names are content hashes:
 * a file there is never overwritten), and a chunk the current build lacks is served from there.
 * Archived chunks no build has shipped for {@link RETENTION_DAYS} days are removed.
 *
 * Several instances each keep their own archive; behind a load balancer serve /widget from a
 * CDN or shared storage that keeps old files instead (README, "Deploying the widget").
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../core/clock';
import type { Logger } from '../core/log';

/** A widget chunk named `[name]-[hash].js` by the widget's build (vite.config.ts): 8-character hash. */
export const HASHED_CHUNK = /^[A-Za-z0-9_.-]+-[A-Za-z0-9_-]{8}\.js(\.map)?$/;
const SERVABLE = /^[A-Za-z0-9_.-]+\.(js|map)$/;
export const RETENTION_DAYS = 30;

export interface WidgetFiles {
  /** Copy the current build's chunks into the archive and drop long-unshipped ones (start-up). */
  archive(): Promise<void>;
  /** A servable file's bytes, or undefined (unknown, outside the folder, not a widget file). */
  read(file: string): Promise<Buffer | undefined>;
}

export function createWidgetFiles(opts: { distDir: string; archiveDir: string | undefined; clock: Clock; log: Logger }): WidgetFiles {
  const { distDir, archiveDir, clock, log } = opts;
  const readIn = async (dir: string, file: string) => {
    try {
      return await fs.readFile(path.join(dir, file));
    } catch {
      return undefined;
    }
  };
  return {
    async archive() {
      if (!archiveDir) return;
      try {
        const shipped = (await fs.readdir(distDir)).filter((f) => HASHED_CHUNK.test(f));
        await fs.mkdir(archiveDir, { recursive: true });
        const now = new Date(clock.now());
        for (const f of shipped) {
          const target = path.join(archiveDir, f);
          // COPYFILE_EXCL: a content-addressed name already there is the same file; keep it.
          await fs.copyFile(path.join(distDir, f), target, fs.constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
            if (e.code !== 'EEXIST') throw e;
          });
          await fs.utimes(target, now, now); // "last shipped", for the retention below
        }
        const cutoff = clock.now() - RETENTION_DAYS * 86_400_000;
        const current = new Set(shipped);
        for (const f of await fs.readdir(archiveDir)) {
          if (current.has(f) || !HASHED_CHUNK.test(f)) continue;
          const st = await fs.stat(path.join(archiveDir, f));
          if (st.mtimeMs < cutoff) await fs.rm(path.join(archiveDir, f), { force: true });
        }
      } catch (err) {
        // Serving the current build still works; only pages from before a deploy may miss chunks.
        log.warn('widget chunks not archived', { dir: archiveDir, error: err instanceof Error ? err.message : String(err) });
      }
    },
    async read(file) {
      if (!SERVABLE.test(file) || file.includes('..')) return undefined;
      const bytes = await readIn(distDir, file);
      if (bytes || !archiveDir || !HASHED_CHUNK.test(file)) return bytes;
      return readIn(archiveDir, file);
    },
  };
}
