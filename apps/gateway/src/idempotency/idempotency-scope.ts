/** Who sent a request and what it was: a key is claimed per (merchant, key) for one fingerprint. */
export interface IdempotencyScope {
  merchantId: string;
  key: string;
  /** Hash of method, path and body (http/request-fingerprint.ts). */
  fingerprint: string;
}

/** A response as stored with its key: serialized once, so a replay is byte-identical. */
export interface StoredResponse {
  status: number;
  body: string;
  replayed: boolean;
}
