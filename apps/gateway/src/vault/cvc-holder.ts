import { Injectable, type OnModuleDestroy } from '@nestjs/common';

interface HeldCvc {
  cvc: string;
  expiresAt: number;
  timer: NodeJS.Timeout;
}

/**
 * The CVCs of tokens, in this process's memory only (never stored, not even encrypted), each until
 * its token is used or expires. A payment on another process than the one that tokenized goes
 * without the CVC.
 */
@Injectable()
export class CvcHolder implements OnModuleDestroy {
  private readonly held = new Map<string, HeldCvc>();

  hold(tokenId: string, cvc: string, expiresAt: Date): void {
    this.drop(tokenId);
    const ttlMs = Math.max(0, expiresAt.getTime() - Date.now());
    const timer = setTimeout(() => this.drop(tokenId), ttlMs);
    timer.unref();
    this.held.set(tokenId, { cvc, expiresAt: expiresAt.getTime(), timer });
  }

  /** The CVC of the token, removed as it is returned: a second take gets nothing. */
  take(tokenId: string): string | undefined {
    const entry = this.held.get(tokenId);
    this.drop(tokenId);
    return entry && entry.expiresAt > Date.now() ? entry.cvc : undefined;
  }

  /** How many CVCs are held (for tests and metrics). */
  get size(): number {
    return this.held.size;
  }

  onModuleDestroy(): void {
    for (const tokenId of [...this.held.keys()]) this.drop(tokenId);
  }

  private drop(tokenId: string): void {
    const entry = this.held.get(tokenId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.held.delete(tokenId);
  }
}
