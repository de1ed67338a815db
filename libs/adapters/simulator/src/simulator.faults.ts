import type { FaultControl, FaultMode, FaultSpec } from '#gateway-spi';

const FAULT_MODES: readonly FaultMode[] = ['down', 'error', 'timeout', 'slow'];

/** The injected fault of one leaf, and the draw that decides whether a given call is affected. */
export class FaultSwitch implements FaultControl {
  private fault: FaultSpec | null = null;

  /** `random` returns [0, 1); injectable so tests can pin partial rates. */
  constructor(private readonly random: () => number = Math.random) {}

  setFault(fault: FaultSpec): void {
    if (!FAULT_MODES.includes(fault.mode)) throw new RangeError(`fault mode must be one of ${FAULT_MODES.join(', ')}`);
    if (fault.rate !== undefined && !(Number.isFinite(fault.rate) && fault.rate >= 0 && fault.rate <= 1)) {
      throw new RangeError('fault rate must be a number from 0 to 1');
    }
    if (fault.latencyMs !== undefined && !(Number.isSafeInteger(fault.latencyMs) && fault.latencyMs >= 0)) {
      throw new RangeError('fault latencyMs must be a non-negative integer');
    }
    this.fault = { ...fault };
  }

  clearFault(): void {
    this.fault = null;
  }

  currentFault(): FaultSpec | null {
    return this.fault ? { ...this.fault } : null;
  }

  /** The fault affecting this call, if any: rate 1 (the default) always applies, rate 0 never. */
  draw(): FaultSpec | null {
    const fault = this.fault;
    if (!fault) return null;
    const rate = fault.rate ?? 1;
    if (rate >= 1) return fault;
    if (rate <= 0) return null;
    return this.random() < rate ? fault : null;
  }
}
