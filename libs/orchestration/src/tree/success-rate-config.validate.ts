import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../strategies/success-rate/segment.js';
import { DEFAULT_SUCCESS_RATE, type SuccessRateSettings } from '../strategies/success-rate/success-rate.settings.js';
import { checkKeys, isMapping, nonNegativeInteger, positiveInteger, type Report } from './config-fields.js';

const FIELDS = ['window_size', 'window_ms', 'segment_by', 'amount_bands', 'floor', 'min_samples', 'exploration', 'seed'];
/** A window holds at most this many outcomes per child and segment (memory: 9 bytes each). */
const MAX_WINDOW_SIZE = 100_000;

export type SuccessRateConfig = Omit<SuccessRateSettings, 'weights'>;

/** `success_rate:` of a success-rate router; every field is optional (defaults in DEFAULT_SUCCESS_RATE). */
export function validateSuccessRate(raw: unknown, report: Report): SuccessRateConfig {
  const settings: SuccessRateConfig = { ...DEFAULT_SUCCESS_RATE, segmentBy: [...DEFAULT_SUCCESS_RATE.segmentBy], amountBands: [...DEFAULT_SUCCESS_RATE.amountBands] };
  if (raw === undefined) return settings;
  if (!isMapping(raw)) {
    report(`success_rate must be a mapping (fields: ${FIELDS.join(', ')})`);
    return settings;
  }
  checkKeys(raw, FIELDS, 'success_rate.', report);
  const windowSize = positiveInteger(raw.window_size, 'success_rate.window_size', report);
  if (windowSize !== undefined && windowSize > MAX_WINDOW_SIZE) report(`success_rate.window_size must be at most ${MAX_WINDOW_SIZE} (got ${windowSize})`);
  else if (windowSize !== undefined) settings.windowSize = windowSize;
  settings.windowMs = positiveInteger(raw.window_ms, 'success_rate.window_ms', report) ?? settings.windowMs;
  settings.minSamples = nonNegativeInteger(raw.min_samples, 'success_rate.min_samples', report) ?? settings.minSamples;
  settings.seed = nonNegativeInteger(raw.seed, 'success_rate.seed', report) ?? settings.seed;
  if (raw.floor !== undefined) {
    const floor = raw.floor;
    if (typeof floor === 'number' && floor >= 0 && floor < 1) settings.floor = floor;
    else report(`success_rate.floor must be a number from 0 up to (not including) 1 (got ${JSON.stringify(floor)})`);
  }
  if (raw.exploration !== undefined) {
    const exploration = raw.exploration;
    if (typeof exploration === 'number' && exploration > 0 && exploration <= 1) settings.exploration = exploration;
    else report(`success_rate.exploration must be a number above 0 and at most 1 (got ${JSON.stringify(exploration)})`);
  }
  if (raw.segment_by !== undefined) settings.segmentBy = segmentDimensions(raw.segment_by, report) ?? settings.segmentBy;
  if (raw.amount_bands !== undefined) settings.amountBands = amountBands(raw.amount_bands, report) ?? settings.amountBands;
  if (settings.minSamples > settings.windowSize) {
    report(`success_rate.min_samples (${settings.minSamples}) must not exceed window_size (${settings.windowSize}): a window never holds more, so the cold start would never end`);
  }
  return settings;
}

function segmentDimensions(raw: unknown, report: Report): SegmentDimension[] | undefined {
  const list = typeof raw === 'string' ? [raw] : raw;
  const known = SEGMENT_DIMENSIONS as readonly unknown[];
  if (Array.isArray(list) && list.every((item) => known.includes(item)) && new Set(list).size === list.length) return list as SegmentDimension[];
  report(`success_rate.segment_by must be a list of distinct dimensions among ${SEGMENT_DIMENSIONS.join(', ')} (got ${JSON.stringify(raw)})`);
  return undefined;
}

function amountBands(raw: unknown, report: Report): number[] | undefined {
  const ascending = Array.isArray(raw) && raw.length > 0 && raw.every((edge, i) => Number.isSafeInteger(edge) && edge > 0 && (i === 0 || edge > raw[i - 1]));
  if (ascending) return raw as number[];
  report(`success_rate.amount_bands must be a non-empty list of ascending positive integers, upper bounds in minor units (got ${JSON.stringify(raw)})`);
  return undefined;
}
