import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ConfigScope, PLATFORM_APPS, PlatformApp } from '@app/config';
import { K8sObject, renderKustomization } from './kustomize';

export const ROOT = path.resolve(__dirname, '..', '..');
export const OVERLAYS = ['dev', 'production', 'production-hpa'] as const;

export function renderOverlay(name: (typeof OVERLAYS)[number]): K8sObject[] {
  return renderKustomization(path.join(ROOT, 'k8s', 'overlays', name));
}

/** A container's env as the manifests give it: literal values, or where a value comes from. */
export type EnvSource = { value: string } | { configMap: string; key: string } | { secret: string; key: string; optional: boolean };

/** One process a manifest starts: which app (or `migrate`), its command and its environment. */
export interface ProcessSpec {
  name: string;
  scope: ConfigScope;
  command: string[];
  env: Record<string, EnvSource>;
  /** The port its probes or health check target, and the port the app serves them on. */
  probePorts: number[];
}

/** Which app a command starts: `node dist/apps/<app>/main.js [migrate]`. */
export function scopeOf(command: string[]): ConfigScope {
  const match = /^dist\/apps\/([a-z]+)\/main\.js$/.exec(command[1] ?? '');
  if (command[0] !== 'node' || !match || !(PLATFORM_APPS as readonly string[]).includes(match[1])) {
    throw new Error(`not an app command: ${command.join(' ')}`);
  }
  if (command[2] === 'migrate' && match[1] === 'management') return 'migrate';
  if (command.length > 2) throw new Error(`unexpected arguments: ${command.join(' ')}`);
  return match[1] as PlatformApp;
}

interface Container {
  name: string;
  command: string[];
  env?: Array<{
    name: string;
    value?: string;
    valueFrom?: {
      configMapKeyRef?: { name: string; key: string };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }>;
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: { httpGet?: { port: number | string } };
  livenessProbe?: { httpGet?: { port: number | string } };
  readinessProbe?: { httpGet?: { port: number | string } };
}

export function podContainers(o: K8sObject): Container[] {
  const spec = o.spec as { template?: { spec: { containers: Container[] } } } | undefined;
  return spec?.template?.spec.containers ?? [];
}

/** Every app container of a rendered overlay, as processes. */
export function k8sProcesses(objects: K8sObject[]): ProcessSpec[] {
  return objects.flatMap((o) =>
    podContainers(o).map((c) => {
      const env: Record<string, EnvSource> = {};
      for (const e of c.env ?? []) {
        if (e.value !== undefined) env[e.name] = { value: e.value };
        else if (e.valueFrom?.configMapKeyRef)
          env[e.name] = { configMap: e.valueFrom.configMapKeyRef.name, key: e.valueFrom.configMapKeyRef.key };
        else if (e.valueFrom?.secretKeyRef) {
          const ref = e.valueFrom.secretKeyRef;
          env[e.name] = { secret: ref.name, key: ref.key, optional: ref.optional === true };
        } else throw new Error(`${o.metadata.name}: env ${e.name} has no value`);
      }
      const portOf = (port: number | string) =>
        typeof port === 'number' ? port : ((c.ports ?? []).find((p) => p.name === port)?.containerPort ?? -1);
      const probes = [c.startupProbe, c.livenessProbe, c.readinessProbe].filter((p) => p !== undefined);
      return {
        name: o.metadata.name,
        scope: scopeOf(c.command),
        command: c.command,
        env,
        probePorts: probes.map((p) => (p.httpGet ? portOf(p.httpGet.port) : -1)),
      };
    }),
  );
}

export interface ComposeFile {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      ports?: string[];
      healthcheck?: { test: string[] };
      depends_on?: Record<string, { condition: string }>;
      stop_grace_period?: string;
      image?: string;
    }
  >;
}

export function readCompose(): ComposeFile {
  return parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

/** Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?error}` interpolation, from `vars`. */
export function interpolate(value: string, vars: Record<string, string | undefined>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, op?: string, arg?: string) => {
    const set = vars[name];
    if (set !== undefined && set !== '') return set;
    if (op === '?') throw new Error(`${name}: ${arg}`);
    return op === '-' ? (arg ?? '') : '';
  });
}

/** The app services of docker-compose.yml, as processes (`vars` stands in for the .env file). */
export function composeProcesses(compose: ComposeFile, vars: Record<string, string | undefined>): ProcessSpec[] {
  return Object.entries(compose.services)
    .filter(([, service]) => service.command?.[0] === 'node')
    .map(([name, service]) => {
      const env: Record<string, EnvSource> = {};
      for (const [key, raw] of Object.entries(service.environment ?? {})) env[key] = { value: interpolate(String(raw), vars) };
      const check = service.healthcheck?.test.join(' ') ?? '';
      const probePorts = [...check.matchAll(/127\.0\.0\.1:(\d+)\//g)].map((m) => Number(m[1]));
      return { name, scope: scopeOf(service.command!), command: service.command!, env, probePorts };
    });
}

/** The port an app serves /healthz and /readyz on, given its environment. */
export function servedPort(scope: ConfigScope, env: Record<string, string | undefined>): number | undefined {
  if (scope === 'gateway') return Number(env.PORT ?? 3000);
  return env.HEALTH_PORT ? Number(env.HEALTH_PORT) : undefined;
}
