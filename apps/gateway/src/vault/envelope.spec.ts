import { describe, expect, it } from 'vitest';
import { open, seal } from './aead.js';
import { openNumber, rewrapDataKey, sealNumber } from './envelope.js';
import { fingerprintOf } from './fingerprint.js';
import { numberForms } from './test-support/number-forms.js';
import { kekIdOf, type Kek } from './vault-key-ring.js';

const NUMBER = '4242424242424242';
const kek = (byte: number): Kek => ({ id: kekIdOf(Buffer.alloc(32, byte)), key: Buffer.alloc(32, byte) });
const [A, B] = [kek(1), kek(2)];

/** The sealed value with one bit of its bytes flipped at `index` (after the format prefix). */
function flipped(sealed: string, index: number): string {
  const bytes = Buffer.from(sealed.slice(3), 'base64');
  bytes[index]! ^= 1;
  return sealed.slice(0, 3) + bytes.toString('base64');
}

describe('the envelope of a card number', () => {
  it('opens to the number it sealed, with the KEK it names', () => {
    const envelope = sealNumber('vcd_1', NUMBER, A);
    expect(envelope.kekId).toBe(A.id);
    expect(openNumber('vcd_1', envelope, A)).toBe(NUMBER);
  });

  it('gives every card a data key of its own: the same number twice seals to different numbers and data keys', () => {
    const [first, second] = [sealNumber('vcd_1', NUMBER, A), sealNumber('vcd_1', NUMBER, A)];
    expect(first.sealedNumber).not.toBe(second.sealedNumber);
    expect(first.sealedDataKey).not.toBe(second.sealedDataKey);
    const dataKey = (sealed: string) => open(A.key, sealed, 'vault_cards/vcd_1/data_key');
    expect(dataKey(first.sealedDataKey).equals(dataKey(second.sealedDataKey))).toBe(false);
    // Each number opens with its own data key only.
    expect(() => openNumber('vcd_1', { sealedNumber: first.sealedNumber, sealedDataKey: second.sealedDataKey }, A)).toThrow();
  });

  it('opens nothing with a wrong KEK', () => {
    const envelope = sealNumber('vcd_1', NUMBER, A);
    expect(() => openNumber('vcd_1', envelope, B)).toThrow();
  });

  it('opens nothing once altered, anywhere (GCM), nor as another card', () => {
    const envelope = sealNumber('vcd_1', NUMBER, A);
    const length = Buffer.from(envelope.sealedNumber.slice(3), 'base64').length;
    for (const index of [0, 12, 28, length - 1]) {
      expect(() => openNumber('vcd_1', { ...envelope, sealedNumber: flipped(envelope.sealedNumber, index) }, A)).toThrow();
      expect(() => openNumber('vcd_1', { ...envelope, sealedDataKey: flipped(envelope.sealedDataKey, index) }, A)).toThrow();
    }
    // A sealed number and data key copied to another row: bound to their card, they open nothing there.
    expect(() => openNumber('vcd_2', envelope, A)).toThrow();
    expect(() => openNumber('vcd_1', { ...envelope, sealedNumber: 'garbage' }, A)).toThrow('not a value sealed by the vault');
  });

  it('re-wraps the data key under another KEK without touching the sealed number', () => {
    const envelope = sealNumber('vcd_1', NUMBER, A);
    const rewrapped = rewrapDataKey('vcd_1', envelope.sealedDataKey, A, B);
    expect(openNumber('vcd_1', { sealedNumber: envelope.sealedNumber, sealedDataKey: rewrapped }, B)).toBe(NUMBER);
    expect(() => openNumber('vcd_1', { sealedNumber: envelope.sealedNumber, sealedDataKey: rewrapped }, A)).toThrow();
    expect(() => rewrapDataKey('vcd_1', envelope.sealedDataKey, B, A)).toThrow();
  });

  it('the leak detector finds the number however it is encoded and wherever it starts', () => {
    for (const prefix of ['', 'p', 'pa', 'pan=']) {
      const text = `${prefix}${NUMBER}"}`;
      for (const encoded of [text, Buffer.from(text).toString('base64'), Buffer.from(text).toString('base64url'), Buffer.from(text).toString('hex')]) {
        expect(numberForms(NUMBER).some((form) => encoded.includes(form)), encoded).toBe(true);
      }
    }
  });

  it('holds no trace of the number in any encoding', () => {
    const envelope = sealNumber('vcd_1', NUMBER, A);
    for (const stored of [envelope.sealedNumber, envelope.sealedDataKey, Buffer.from(envelope.sealedNumber.slice(3), 'base64').toString('latin1')]) {
      for (const form of numberForms(NUMBER)) expect(stored).not.toContain(form);
    }
  });
});

describe('the AEAD box', () => {
  it('binds the sealed value to its context', () => {
    const sealed = seal(A.key, Buffer.from('secret'), 'vault_keys/fingerprint');
    expect(open(A.key, sealed, 'vault_keys/fingerprint').toString()).toBe('secret');
    expect(() => open(A.key, sealed, 'vault_keys/other')).toThrow();
    expect(() => open(A.key, 'v1.AAAA', 'vault_keys/fingerprint')).toThrow('too short');
  });
});

describe('KEK ids and fingerprints', () => {
  it('names a KEK by 16 hex of a domain-separated hash: stable, distinct, not the key', () => {
    expect(kekIdOf(A.key)).toMatch(/^[0-9a-f]{16}$/);
    expect(kekIdOf(Buffer.alloc(32, 1))).toBe(A.id);
    expect(A.id).not.toBe(B.id);
    expect(A.key.toString('hex')).not.toContain(A.id);
  });

  it('fingerprints the same card of the same merchant alike, and differently for another merchant or key', () => {
    const key = Buffer.alloc(32, 7);
    const fingerprint = fingerprintOf(key, 'mer_1', NUMBER);
    expect(fingerprint).toMatch(/^[\w-]{43}$/);
    expect(fingerprintOf(key, 'mer_1', NUMBER)).toBe(fingerprint);
    expect(fingerprintOf(key, 'mer_2', NUMBER)).not.toBe(fingerprint);
    expect(fingerprintOf(Buffer.alloc(32, 8), 'mer_1', NUMBER)).not.toBe(fingerprint);
    expect(fingerprintOf(key, 'mer_1', '4000000000000002')).not.toBe(fingerprint);
  });
});
