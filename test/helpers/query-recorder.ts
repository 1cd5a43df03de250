import type { Kysely, PluginTransformQueryArgs } from 'kysely';
import type { Database } from '../../src/db/schema.js';

/**
 * The same database, but every statement run through it is shown to `onQuery` first and then
 * runs unchanged. A db with a plugin also makes preparedQuery build its statement per call
 * (prepared-query.ts), so what is seen is what each call runs.
 */
export function recordingDb(db: Kysely<Database>, onQuery: (args: PluginTransformQueryArgs) => void): Kysely<Database> {
  return db.withPlugin({
    transformQuery: (args) => {
      onQuery(args);
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
}
