import { ValidateBy, type ValidationOptions, buildMessage } from 'class-validator';

const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** ISO 4217, any case (normalized to upper case by the DTO's transform). */
export function IsIsoCurrency(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoCurrency',
      validator: {
        validate: (value) => typeof value === 'string' && ISO_CURRENCIES.has(value.toUpperCase()),
        defaultMessage: buildMessage((prefix) => `${prefix}$property must be an ISO 4217 currency code`, options),
      },
    },
    options,
  );
}

export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

/** A flat map of string keys to string values, within the size limits common to payment providers (50 keys, 40 / 500 characters). */
export function IsMetadata(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMetadata',
      validator: {
        validate: (value) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value as Record<string, unknown>);
          return (
            entries.length <= METADATA_LIMITS.keys &&
            entries.every(
              ([k, v]) =>
                k.length > 0 &&
                k.length <= METADATA_LIMITS.keyLength &&
                typeof v === 'string' &&
                v.length <= METADATA_LIMITS.valueLength,
            )
          );
        },
        defaultMessage: buildMessage(
          (prefix) =>
            `${prefix}$property must be an object of at most ${METADATA_LIMITS.keys} string values ` +
            `(keys ≤ ${METADATA_LIMITS.keyLength} characters, values ≤ ${METADATA_LIMITS.valueLength})`,
          options,
        ),
      },
    },
    options,
  );
}
