import { buildApp, loggerOptions } from './app.js';
import { systemClock } from './clock.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest, openDatabase } from './db/create-db.js';
import { ensureCurrent } from './services/due.service.js';
import { setUpOrganisation } from './services/organisation.service.js';

/**
 * Starts the service: reads the configuration, migrates the database, creates the demo
 * organisation on an empty database outside production, and listens. Nothing else.
 */

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const database = openDatabase(config.database);
await migrateToLatest(database.db);
const setUp = await setUpOrganisation(database.db, systemClock, {
  demo: config.demo,
  councilName: config.councilName,
});
// The demo's accounts share a published password: a production start refuses a database that holds it.
if (config.mode === 'production' && setUp.kind === 'existing' && setUp.demo) {
  process.stderr.write(
    'DATABASE_URL: this database holds the demo organisation (made-up people with a published password); production never runs on it. Point DATABASE_URL at a new database, or run without NODE_ENV=production.\n',
  );
  await database.close();
  process.exit(2);
}
await ensureCurrent(database.db, systemClock);

const app = await buildApp({ config, database, clock: systemClock, logger: loggerOptions(config) });
const address = await app.listen({ host: config.host, port: config.port });
const where = config.database.kind === 'sqlite' ? config.database.file : 'PostgreSQL';
const lines = [
  `Oversight is running at ${address.replace('127.0.0.1', 'localhost')} (database: ${where})`,
];
if (setUp.kind === 'demo' || (setUp.kind === 'existing' && setUp.demo)) {
  lines.push(
    'DEMO organisation (made-up data). Sign in with the password oversight-demo as:',
    '  admin@demo.example     administrator (then the two-factor code shown on the sign-in page)',
    '  director@demo.example  assistant director',
    '  hos@demo.example       head of service',
    '  tm@demo.example        team manager',
    '  sw@demo.example        social worker supervised by tm@demo.example',
    '  qa@demo.example        quality assurance',
  );
} else if (setUp.kind === 'empty') {
  lines.push(
    'No accounts yet: create the first administrator with `npx oversight user create --admin --email EMAIL`.',
  );
}
process.stdout.write(`${lines.join('\n')}\n`);

// Due dates are for today: when the date changes, recompute before anyone asks.
const timer = setInterval(() => {
  ensureCurrent(database.db, systemClock).catch((error: unknown) => {
    app.log.error(
      { err: { message: error instanceof Error ? error.message : String(error) } },
      'recompute failed',
    );
  });
}, 60_000);
timer.unref();

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  clearInterval(timer);
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
