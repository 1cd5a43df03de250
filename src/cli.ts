import cluster from 'node:cluster';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { buildRosterServer, openRoster, type Roster } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { AppError } from './shared/app-error.js';
import { startDemo } from './demo.js';
import { startPrimary } from './workers/primary.js';
import { onPrimaryGone, workerChannel, type WorkerChannel } from './workers/worker-channel.js';

const USAGE = `Usage: roster <command> [options]

Commands:
  serve [--demo]                       Start the HTTP server (migrates first). --demo creates a demo
                                       Enterprise account on an empty database and prints its logins.
  migrate                              Apply database migrations and exit.
  account create --name NAME --plan essentials|professional|enterprise
                 [--seats N] [--owner-email EMAIL] [--json]
  account list [--json]
  account set --account ID [--plan PLAN] [--seats N] [--phone-validation strict|lenient] [--json]
  key create --account ID [--name NAME] [--json]
  key list --account ID [--json]
  key rotate --account ID --key KEY_ID [--grace SECONDS] [--json]
  key revoke --account ID --key KEY_ID [--json]

Environment: ROSTER_DB (SQLite path or postgres:// URL, default ./data/roster.db), PORT (8080),
HOST (127.0.0.1), PUBLIC_URL, ROSTER_WORKERS (default: one per CPU core, at most 4; a number, or auto), ROSTER_DB_POOL, ROSTER_BODY_LIMIT,
LOG_LEVEL, ROSTER_REDIS_URL.`;

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  plan: { type: 'string' },
  seats: { type: 'string' },
  'owner-email': { type: 'string' },
  account: { type: 'string' },
  key: { type: 'string' },
  grace: { type: 'string' },
  'phone-validation': { type: 'string' },
  json: { type: 'boolean', default: false },
  demo: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function required(values: Values, name: 'name' | 'plan' | 'account' | 'key'): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

function wholeNumber(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--${name} must be a whole number, got "${raw}".`);
  return Number(raw);
}

function print(values: Values, json: unknown, text: string): void {
  process.stdout.write(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
}

async function accountCommand(roster: Roster, action: string | undefined, values: Values): Promise<void> {
  if (action === 'create') {
    const created = await roster.accounts.createAccount({
      name: required(values, 'name'),
      plan: required(values, 'plan'),
      seatLimit: wholeNumber(values.seats, 'seats'),
      ownerEmail: values['owner-email'],
    });
    const { account } = created;
    const json = { account: { id: account.id, name: account.name, plan: account.plan, seatLimit: account.seat_limit }, apiKey: created.apiKey, ...(created.owner ? { owner: { email: created.owner.email, password: created.owner.password } } : {}) };
    const ownerText = created.owner ? `\nOwner login: ${created.owner.email} / ${created.owner.password}` : '';
    print(values, json, `Created account ${account.name} (${account.id}) on the ${account.plan} plan, ${account.seat_limit} seats.\nAPI key (shown once): ${created.apiKey}${ownerText}`);
  } else if (action === 'set') {
    const account = await roster.accounts.updateAccountSettings(required(values, 'account'), {
      plan: values.plan,
      seatLimit: wholeNumber(values.seats, 'seats'),
      phoneValidation: values['phone-validation'],
    });
    const json = { id: account.id, name: account.name, plan: account.plan, seatLimit: account.seat_limit, phoneValidation: account.phone_validation };
    print(values, json, `Account ${account.name}: ${account.plan} plan, ${account.seat_limit} seats, ${account.phone_validation} phone validation.`);
  } else if (action === 'list') {
    const accounts = await roster.accounts.listAccounts();
    const rows = accounts.map((a) => ({ id: a.id, name: a.name, plan: a.plan, seatLimit: a.seat_limit }));
    print(values, rows, rows.map((a) => `${a.id}  ${a.plan.padEnd(12)} ${String(a.seatLimit).padStart(6)} seats  ${a.name}`).join('\n') || 'No accounts.');
  } else {
    throw new UsageError(`Unknown account command "${action ?? ''}".`);
  }
}

async function keyCommand(roster: Roster, action: string | undefined, values: Values): Promise<void> {
  const accountId = required(values, 'account');
  if (action === 'create' || action === 'rotate') {
    const created =
      action === 'create'
        ? await roster.accounts.createApiKey(accountId, values.name ? { name: values.name } : {})
        : await roster.accounts.rotateApiKey(accountId, required(values, 'key'), { graceSeconds: wholeNumber(values.grace, 'grace') ?? 3600 });
    print(values, { key: created.summary, apiKey: created.key }, `API key ${created.summary.prefix}…${created.summary.last4} (shown once): ${created.key}`);
  } else if (action === 'list') {
    const keys = await roster.accounts.listApiKeys(accountId);
    print(values, keys, keys.map((k) => `${k.id}  ${k.prefix}…${k.last4}  ${k.status.padEnd(8)} created ${k.createdAt}  last used ${k.lastUsedAt ?? 'never'}  ${k.name}`).join('\n') || 'No keys.');
  } else if (action === 'revoke') {
    const keyId = required(values, 'key');
    await roster.accounts.revokeApiKey(accountId, keyId);
    print(values, { revoked: keyId }, `Revoked key ${keyId}.`);
  } else {
    throw new UsageError(`Unknown key command "${action ?? ''}".`);
  }
}

/** Serves HTTP in this process until SIGTERM or SIGINT, then drains the requests in flight and exits. */
async function serveHere(roster: Roster, config: Config): Promise<{ stop: (signal: string) => Promise<void> }> {
  const app = await buildRosterServer(roster, { ...config, logLevel: config.logLevel });
  let stopping: Promise<void> | undefined;
  const stop = (signal: string) =>
    (stopping ??= (async () => {
      app.log.info({ signal }, 'shutting down: draining in-flight requests');
      await app.close();
      await roster.database.close();
      process.exit(0);
    })());
  process.once('SIGTERM', (s) => void stop(s));
  process.once('SIGINT', (s) => void stop(s));
  await app.listen({ port: config.port, host: config.host });
  return { stop };
}

async function serve(roster: Roster, config: Config, demo: boolean): Promise<void> {
  if (config.workers > 1) return serveWithWorkers(roster, config, demo);
  await serveHere(roster, config);
  process.stdout.write(`Roster is listening on ${config.publicUrl}\n`);
  if (demo) await startDemo(roster, config.publicUrl, (line) => process.stdout.write(`${line}\n`));
}

/**
 * ROSTER_WORKERS > 1: this process (the primary) has migrated the database; it starts the
 * workers, which share the listening port (node:cluster). It keeps its own connection open,
 * serving nothing, for the SQLite file's one checkpointer (the workers run none) and the
 * planner's periodic statistics.
 */
async function serveWithWorkers(roster: Roster, config: Config, demo: boolean): Promise<void> {
  const primary = startPrimary({ workers: config.workers, say: (line) => process.stderr.write(`${line}\n`) });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await primary.stop();
      await roster.database.close();
      process.exit(0);
    })());
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  await primary.listening;
  process.stdout.write(`Roster is listening on ${config.publicUrl} (${config.workers} workers)\n`);
  if (demo) await startDemo(roster, config.publicUrl, (line) => process.stdout.write(`${line}\n`));
}

/** One worker of serveWithWorkers: it exits with the primary. */
async function serveAsWorker(config: Config): Promise<void> {
  const channel = workerChannel();
  const roster = await openRosterOrExplain(config, channel);
  const { stop } = await serveHere(roster, config);
  onPrimaryGone(() => void stop('primary exited'));
}

function openRosterOrExplain(config: Config, worker?: WorkerChannel): Promise<Roster> {
  return openRoster(config, worker).catch((error: unknown) => {
    throw new AppError('unauthorized', `Cannot open the database ${config.databaseUrl.replace(/\/\/[^@/]*@/, '//***@')}: ${error instanceof Error ? error.message : String(error)}`);
  });
}

async function run(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [command, action] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!['serve', 'migrate', 'account', 'key'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  const config = loadConfig();
  if (command === 'serve' && cluster.isWorker) return serveAsWorker(config);
  const roster = await openRosterOrExplain(config);
  if (command === 'serve') return serve(roster, config, values.demo);
  try {
    if (command === 'migrate') process.stdout.write('Database is up to date.\n');
    else if (command === 'account') await accountCommand(roster, action, values);
    else await keyCommand(roster, action, values);
  } finally {
    await roster.database.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`roster: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (error instanceof AppError || error instanceof ConfigError) {
    process.stderr.write(`roster: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`roster: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
