// Structured JSON logs (pino) for every process; secrets are redacted wherever they appear.
import { pino, type Logger } from 'pino';

export function createLogger(opts: { level: string; name: string }): Logger {
  return pino({
    name: opts.name,
    level: opts.level,
    redact: {
      paths: [
        '*.password',
        '*.apiKey',
        '*.token',
        'headers.authorization',
        'headers.cookie',
        'req.headers.cookie',
        'req.headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
