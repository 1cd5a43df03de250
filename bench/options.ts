import { parseArgs } from 'node:util';

/** What one `npm run bench` run does, from its command line. */
export interface BenchOptions {
  readonly quick: boolean;
  /** A PostgreSQL server URL (a fresh database is created on it), or undefined for SQLite. */
  readonly postgresUrl: string | undefined;
  readonly members: number;
  readonly teams: number;
  readonly bigTeamSize: number;
  readonly connections: number;
  /** Before each scenario. */
  readonly warmupSeconds: number;
  /** Once, before the first scenario: the read scenarios in turn (load.ts warmUp). */
  readonly serverWarmupSeconds: number;
  readonly durationSeconds: number;
  /** Scenario names to run (all when empty); the import walk is named "import-walk". */
  readonly only: readonly string[];
  /** Writes a V8 CPU profile of the Roster process to bench/results/profiles/. */
  readonly profile: boolean;
  readonly keepDatabase: boolean;
  /** ROSTER_WORKERS of the Roster under test: a number, or `auto`; undefined leaves it unset, so Roster's default. */
  readonly workers: string | undefined;
}

const USAGE = `Usage: npm run bench -- [--quick] [--db postgres://user@host:5432/postgres] [--duration S] [--warmup S]
                        [--members N] [--workers N|auto] [--only name,name] [--profile] [--keep-db]

  --quick      10,000 members, 5,000 in the big team, shorter runs (a smoke check, < 2 minutes)
  --db URL     run against PostgreSQL: a fresh database is created on that server and dropped after
  --workers    Roster's ROSTER_WORKERS: a number, or auto (one worker per CPU core). Unset by
               default, so Roster runs as roster serve does: one worker per core, at most 4
               (bench/README.md findings 38 and 47 compare them)
  --only       run only these scenarios (see the table for names; "import-walk" for the walk)
  --profile    write a V8 CPU profile of the Roster process (node --cpu-prof) to bench/results/profiles/
  --keep-db    keep the temporary database afterwards (its location is printed)`;

function positiveNumber(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${raw}".\n\n${USAGE}`);
  return value;
}

/** Parses `process.argv`; throws with the usage text on a bad argument. */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      quick: { type: 'boolean', default: false },
      db: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      members: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'keep-db': { type: 'boolean', default: false },
      workers: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return 'help';
  if (values.db !== undefined && !/^postgres(ql)?:\/\//i.test(values.db)) throw new Error(`--db must be a postgres:// URL, got "${values.db}".\n\n${USAGE}`);
  if (values.workers !== undefined && values.workers !== 'auto' && !/^[1-9]\d?$/.test(values.workers)) throw new Error(`--workers must be auto or a number from 1 to 64, got "${values.workers}".\n\n${USAGE}`);
  const quick = values.quick;
  const members = Math.round(positiveNumber(values.members, 'members', quick ? 10_000 : 100_000));
  if (members < 1000) throw new Error('--members must be at least 1000 (the scenarios need distinct users).');
  return {
    quick,
    postgresUrl: values.db,
    members,
    teams: 200,
    bigTeamSize: Math.floor(members / 2),
    connections: 8,
    warmupSeconds: positiveNumber(values.warmup, 'warmup', quick ? 1 : 2),
    serverWarmupSeconds: quick ? 3 : 12,
    durationSeconds: positiveNumber(values.duration, 'duration', quick ? 3 : 10),
    only: values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : [],
    profile: values.profile,
    keepDatabase: values['keep-db'],
    workers: values.workers,
  };
}

export { USAGE };
