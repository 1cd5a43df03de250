import type { FastifyBaseLogger, FastifyServerOptions } from 'fastify';

type Bindings = Parameters<FastifyBaseLogger['child']>[0];
type ChildLoggerOptions = NonNullable<Parameters<FastifyBaseLogger['child']>[1]>;
type ChildLoggerFactory = NonNullable<FastifyServerOptions['childLoggerFactory']>;

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** Fastify's logger is pino, which can say whether a level is on; its disabled logger cannot. */
type LevelAwareLogger = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };

const isLevelAware = (logger: FastifyBaseLogger): logger is LevelAwareLogger => typeof (logger as Partial<LevelAwareLogger>).isLevelEnabled === 'function';

/**
 * A request's logger whose pino child (with the request id) is made on the first line the
 * request actually logs. Fastify makes a child for every request, and pino's `child` serializes
 * the bindings and applies the redaction paths each time: about 2 % of a GET /Users/{id}
 * (bench/README.md, finding 37), spent even at `warn`, where a successful request logs nothing.
 */
class DeferredChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: LevelAwareLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  #made(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  #log(level: Level, args: unknown[]): void {
    if (this.#child === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.#made()[level] as (...args: unknown[]) => void)(...args);
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#made().level = level;
  }

  fatal(...args: unknown[]): void {
    this.#log('fatal', args);
  }

  error(...args: unknown[]): void {
    this.#log('error', args);
  }

  warn(...args: unknown[]): void {
    this.#log('warn', args);
  }

  info(...args: unknown[]): void {
    this.#log('info', args);
  }

  debug(...args: unknown[]): void {
    this.#log('debug', args);
  }

  trace(...args: unknown[]): void {
    this.#log('trace', args);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#made().child(bindings, options);
  }
}

/**
 * Fastify's `childLoggerFactory`: request loggers that cost nothing until they log. A route
 * with its own level or serializers, or a parent that cannot tell its level, gets pino's child
 * at once, as Fastify would make it.
 */
export const deferredChildLoggerFactory: ChildLoggerFactory = (logger, bindings, options) => {
  if (!isLevelAware(logger) || options.level !== undefined || options.serializers !== undefined) return logger.child(bindings, options);
  return new DeferredChildLogger(logger, bindings, options);
};
