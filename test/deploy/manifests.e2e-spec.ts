import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { QueueKeys } from 'bullmq';
import { AppConfig, envOf } from '@app/config';
import { CONNECTOR_TYPES, connectorQueueName, WEBHOOK_DELIVERIES_QUEUE } from '@app/contracts';
import { bullPrefix } from '@app/transport';
import { K8sObject, readYamlDocuments } from './kustomize';
import {
  composeProcesses,
  k8sProcesses,
  OVERLAYS,
  podContainers,
  ProcessSpec,
  readCompose,
  renderOverlay,
  ROOT,
  servedPort,
} from './manifests';

type Model = new (data: unknown) => { validate(): void };

/** The kubernetes-models (or KEDA models) class for an object's apiVersion and kind. */
function modelOf(o: K8sObject): Model {
  const module = o.apiVersion.startsWith('keda.sh/')
    ? `@kubernetes-models/keda/${o.apiVersion}`
    : `kubernetes-models/${o.apiVersion === 'v1' ? 'v1' : o.apiVersion}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const model = (require(module) as Record<string, Model>)[o.kind];
  if (!model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  return model;
}

const composeVars = { POSTGRES_PASSWORD: 'p', JWT_SECRET: 'j', MESSAGEJS_ENCRYPTION_KEY: 'k' };
const SECRET_TEMPLATE = readYamlDocuments(path.join(ROOT, 'k8s', 'base', 'secret.template.yaml'));

function checkEnvIsRead(processes: ProcessSpec[]): void {
  for (const p of processes) {
    const unread = Object.keys(p.env).filter((name) => !(envOf(p.scope) as string[]).includes(name));
    expect({ process: p.name, unread }).toEqual({ process: p.name, unread: [] });
  }
}

describe('docker-compose.yml', () => {
  const compose = readCompose();
  const processes = composeProcesses(compose, composeVars);

  it('is valid against the Compose Specification schema', () => {
    const schema = JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'compose-spec.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('runs one worker service per connector type, each consuming exactly its own queue', () => {
    const workers = processes.filter((p) => p.scope === 'worker');
    expect(workers.map((w) => (w.env.CONNECTORS as { value: string }).value).sort()).toEqual([...CONNECTOR_TYPES].sort());
    for (const app of ['gateway', 'management', 'dispatcher', 'webhooks', 'migrate'] as const) {
      expect(processes.filter((p) => p.scope === app)).toHaveLength(1);
    }
  });

  it('gives each app only variables it reads, and everything it requires', () => {
    checkEnvIsRead(processes);
    for (const p of processes) {
      const required = (['DATABASE_URL', 'JWT_SECRET', 'MESSAGEJS_ENCRYPTION_KEY'] as const).filter((v) =>
        (envOf(p.scope) as string[]).includes(v),
      );
      expect({ process: p.name, missing: required.filter((v) => !p.env[v]) }).toEqual({ process: p.name, missing: [] });
    }
  });

  it('health-checks every app on the port it serves, publishes only the gateway, and starts apps after migrate', () => {
    for (const p of processes.filter((x) => x.scope !== 'migrate')) {
      const env = Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, 'value' in v ? v.value : undefined]));
      expect({ process: p.name, ports: p.probePorts }).toEqual({ process: p.name, ports: [servedPort(p.scope, env)] });
      const service = compose.services[p.name];
      expect(service.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(Boolean(service.ports)).toBe(p.scope === 'gateway');
      // SIGTERM waits SHUTDOWN_TIMEOUT_MS (default 15 s) and forces an exit 5 s later.
      expect(parseInt(service.stop_grace_period ?? '10s', 10) * 1000).toBeGreaterThan(Number(env.SHUTDOWN_TIMEOUT_MS ?? 15_000) + 5_000);
    }
    expect(
      Object.entries(compose.services)
        .filter(([, s]) => s.ports)
        .map(([name]) => name),
    ).toEqual(['gateway']);
  });
});

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const objects = renderOverlay(overlay);
  const processes = k8sProcesses(objects);
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const configMap = byKind('ConfigMap').find((o) => o.metadata.name === 'messagejs-config')!;
  const configData = configMap.data as Record<string, string>;

  it('renders objects that are valid against the Kubernetes and KEDA schemas', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      const Model = modelOf(o);
      expect(() => new Model(o).validate()).not.toThrow();
    }
    for (const o of SECRET_TEMPLATE) expect(() => new (modelOf(o))(o).validate()).not.toThrow();
  });

  it('runs a Deployment per app and per connector type, every one consuming its own queue', () => {
    const workers = processes.filter((p) => p.scope === 'worker');
    expect(workers.map((w) => (w.env.CONNECTORS as { value: string }).value).sort()).toEqual([...CONNECTOR_TYPES].sort());
    expect(processes.map((p) => p.scope).sort()).toEqual(
      ['dispatcher', 'gateway', 'management', 'migrate', 'webhooks', 'worker', 'worker', 'worker', 'worker'].sort(),
    );
  });

  it('sets only variables the app reads, from ConfigMap keys and Secret keys that exist', () => {
    checkEnvIsRead(processes);
    const secretKeys = new Set(SECRET_TEMPLATE.flatMap((s) => Object.keys(s.stringData as object)));
    for (const p of processes) {
      for (const [name, source] of Object.entries(p.env)) {
        if ('configMap' in source) expect({ name, present: source.key in configData }).toEqual({ name, present: true });
        if ('secret' in source) expect({ name, present: secretKeys.has(source.key) }).toEqual({ name, present: true });
      }
    }
  });

  it('probes every pod (startup, liveness, readiness) on the port its app serves', () => {
    for (const p of processes.filter((x) => x.scope !== 'migrate')) {
      const env = Object.fromEntries(
        Object.entries(p.env).map(([k, v]) => [k, 'value' in v ? v.value : 'configMap' in v ? configData[v.key] : undefined]),
      );
      const port = servedPort(p.scope, env);
      expect({ process: p.name, ports: p.probePorts }).toEqual({ process: p.name, ports: [port, port, port] });
    }
  });

  it('runs every pod non-root on a read-only filesystem with no capabilities, bounded, and outwaits the shutdown timeout', () => {
    const shutdownMs = Number(configData.SHUTDOWN_TIMEOUT_MS ?? 15_000);
    for (const o of [...byKind('Deployment'), ...byKind('Job')]) {
      const pod = (o.spec as { template: { spec: Record<string, any> } }).template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of podContainers(o) as any[]) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources.requests).toBeDefined();
        expect(c.resources.limits).toBeDefined();
      }
      if (o.kind === 'Deployment') {
        expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(shutdownMs + 5_000);
        expect(pod.topologySpreadConstraints.length).toBeGreaterThan(0);
        expect(byKind('PodDisruptionBudget').some((b) => b.metadata.name === o.metadata.name)).toBe(true);
      }
    }
  });

  it('scales each connector worker: KEDA on the BullMQ wait list the workers use, or HPA without KEDA', () => {
    const scaled = byKind('ScaledObject');
    const hpas = byKind('HorizontalPodAutoscaler');
    expect(hpas.some((h) => (h.spec as any).scaleTargetRef.name === 'gateway')).toBe(true);
    const keys = new QueueKeys(bullPrefix({ redisPrefix: configData.REDIS_PREFIX } as AppConfig));
    for (const type of CONNECTOR_TYPES) {
      const target = `worker-${type}`;
      if (overlay === 'production-hpa') {
        expect(hpas.some((h) => (h.spec as any).scaleTargetRef.name === target)).toBe(true);
        continue;
      }
      const so = scaled.find((s) => (s.spec as any).scaleTargetRef.name === target);
      expect(so).toBeDefined();
      const trigger = (so!.spec as any).triggers[0];
      expect(trigger.type).toBe('redis');
      expect(trigger.metadata.listName).toBe(keys.toKey(connectorQueueName(type), 'wait'));
      expect((so!.spec as any).minReplicaCount).toBeGreaterThanOrEqual(0);
    }
    if (overlay !== 'production-hpa') {
      const webhooks = scaled.find((s) => (s.spec as any).scaleTargetRef.name === 'webhooks');
      expect((webhooks!.spec as any).triggers[0].metadata.listName).toBe(keys.toKey(WEBHOOK_DELIVERIES_QUEUE, 'wait'));
    }
  });

  it('lets traffic in only to the gateway, and out to the internet only from workers, management and webhooks', () => {
    const policies = byKind('NetworkPolicy').map((o) => o.spec as any);
    expect(policies.some((p) => Object.keys(p.podSelector).length === 0 && p.policyTypes.includes('Ingress') && !p.ingress)).toBe(true);
    for (const p of policies.filter((x) => x.ingress)) {
      const fromIngress = p.ingress.some((rule: any) => JSON.stringify(rule.from).includes('ingress'));
      if (fromIngress) expect(p.podSelector.matchLabels['app.kubernetes.io/component']).toBe('api');
    }
    for (const p of policies.filter((x) => x.egress)) {
      const ports = p.egress.flatMap((rule: any) => rule.ports.map((port: any) => port.port));
      if (ports.includes(443))
        expect(['worker', 'management', 'webhooks']).toContain(p.podSelector.matchLabels['app.kubernetes.io/component']);
    }
    const ingress = byKind('Ingress');
    expect(ingress.map((i) => (i.spec as any).rules[0].http.paths[0].backend.service.name)).toEqual(['gateway']);
    expect(byKind('Service').map((s) => s.metadata.name)).toEqual(['gateway']);
  });
});
