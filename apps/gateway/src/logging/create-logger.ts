import pino, { type Logger } from 'pino';
import type { LogLevelName } from '../config/gateway-config.js';
import { REDACTED, REDACT_PATHS, redactSecretFields, scrubSecrets } from './log-redaction.js';

export interface LoggerOptions {
  level: LogLevelName;
  /** Secrets known at start-up that are masked wherever they appear (the admin token). */
  secrets: readonly string[];
  destination?: pino.DestinationStream;
}

/**
 * The gateway's one pino logger, shared by Fastify (request logs) and Nest (through nestjs-pino).
 * Redaction lives here and only here: secret-named fields at any depth (one pass per line), the
 * request headers by path, free text (messages, error messages and stacks) by pattern, so no call
 * site has to remember to mask anything.
 */
export function createLogger({ level, secrets, destination = process.stdout }: LoggerOptions): Logger {
  const scrub = (value: unknown): unknown => {
    if (typeof value === 'string') return scrubSecrets(value, secrets);
    // Nest's loggers pass a stack or a context as plain string fields of an object.
    if (value && typeof value === 'object' && !(value instanceof Error) && !Array.isArray(value)) {
      // Copied only when a field had something to mask (most lines have nothing).
      let scrubbed: Record<string, unknown> | undefined;
      for (const [key, field] of Object.entries(value)) {
        if (typeof field !== 'string') continue;
        const clean = scrubSecrets(field, secrets);
        if (clean !== field) (scrubbed ??= { ...value })[key] = clean;
      }
      return scrubbed ?? value;
    }
    return value;
  };
  const logger = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      formatters: { log: (object) => redactSecretFields(object) },
      serializers: {
        err: (error: Error) => {
          const serialized = pino.stdSerializers.err(error);
          return { ...serialized, message: scrubSecrets(serialized.message, secrets), stack: scrubSecrets(serialized.stack, secrets) };
        },
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map(scrub) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
  // A child's bindings are written once, at its creation, without the log formatter: redact them
  // there. Children are created from their parent's prototype chain, so this covers all of them.
  const createChild = logger.child;
  logger.child = function (this: Logger, bindings, options) {
    return createChild.call(this, redactSecretFields(bindings), options);
  } as Logger['child'];
  return logger;
}
