const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS: Record<number, number> = { 10: 90, 20: 36, 30: 32, 40: 33, 50: 31, 60: 35 };
const LABEL_WIDTH = 11;

interface LogEntry {
  level: number;
  time?: unknown;
  msg?: unknown;
  context?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  err?: { type?: string; message?: string; stack?: string };
}

/**
 * The lines of several processes on one terminal: pino JSON as it is, prefixed with the process's
 * label, when piped; `time LEVEL label msg` (coloured unless NO_COLOR) on a terminal.
 */
export class Output {
  constructor(
    private readonly pretty: boolean,
    private readonly color: boolean,
  ) {}

  static forTerminal(env: NodeJS.ProcessEnv): Output {
    const pretty = Boolean(process.stdout.isTTY);
    return new Output(pretty, pretty && !env.NO_COLOR);
  }

  /** Writes a line; a stream that went away (a closed pipe, a closed terminal) is not an error. */
  write(stream: NodeJS.WriteStream, line: string): void {
    try {
      stream.write(`${line}\n`);
    } catch {
      /* the terminal went away */
    }
  }

  /** A line of the supervisor's own, shaped like the apps' lines; warnings go to stderr. */
  say(label: string, msg: string, level = 30): void {
    const stream = level >= 40 ? process.stderr : process.stdout;
    if (this.pretty) this.write(stream, this.format(label, { level, time: Date.now(), msg }));
    else this.write(stream, `${label.padEnd(LABEL_WIDTH)}| ${level >= 40 ? 'warning: ' : ''}${msg}`);
  }

  /** A line a process printed. */
  line(label: string, line: string): string {
    if (this.pretty && line.startsWith('{')) {
      try {
        const entry = JSON.parse(line) as LogEntry;
        if (entry && typeof entry === 'object' && typeof entry.level === 'number') return this.format(label, entry);
      } catch {
        /* not JSON after all */
      }
    }
    return `${label.padEnd(LABEL_WIDTH)}| ${line}`;
  }

  private paint(code: number, text: string): string {
    return this.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }

  private format(label: string, entry: LogEntry): string {
    const at = new Date(typeof entry.time === 'number' || typeof entry.time === 'string' ? entry.time : Date.now());
    const time = Number.isNaN(at.getTime())
      ? String(entry.time)
      : `${at.toTimeString().slice(0, 8)}.${String(at.getMilliseconds()).padStart(3, '0')}`;
    const levelName = (LEVEL_NAMES[entry.level] ?? String(entry.level)).padEnd(5);
    let msg = typeof entry.msg === 'string' ? entry.msg : entry.msg === undefined ? '' : JSON.stringify(entry.msg);
    if (entry.context) msg = `${this.paint(90, `[${entry.context}]`)} ${msg}`;
    if (entry.req && entry.res) {
      msg += ` ${entry.req.method} ${entry.req.url} ${entry.res.statusCode}`;
      if (typeof entry.responseTime === 'number') msg += ` ${entry.responseTime}ms`;
    }
    if (entry.err && typeof entry.err === 'object') {
      msg += ` ${entry.err.type ?? 'Error'}: ${entry.err.message ?? ''}`;
      if (entry.level >= 50 && typeof entry.err.stack === 'string') msg += `\n${entry.err.stack.split('\n').slice(1).join('\n')}`;
    }
    return `${this.paint(90, time)} ${this.paint(LEVEL_COLORS[entry.level] ?? 0, levelName)} ${this.paint(1, label.padEnd(LABEL_WIDTH))} ${msg}`;
  }
}
