import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as the manifests hold it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

interface Kustomization {
  kind?: 'Kustomization' | 'Component';
  namespace?: string;
  resources?: string[];
  components?: string[];
  patches?: Array<{ path: string }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition']);

export function readYamlDocuments(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
      return doc.toJS() as K8sObject | null;
    })
    .filter((doc): doc is K8sObject => doc !== null);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Strategic merge, the part our overlays use: maps merge key by key, lists of named items (containers,
 * env, ports, volumes) merge item by item on `name`, any other list is replaced, as kubectl does.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(patch) && [...target, ...patch].every((item) => isObject(item) && 'name' in item)) {
    const merged = target.map((item) => ({ ...(item as object) })) as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index === -1) merged.push(item);
      else merged[index] = strategicMerge(merged[index], item) as Record<string, unknown>;
    }
    return merged;
  }
  if (!isObject(target) || !isObject(patch)) return patch;
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) merged[key] = value === null ? undefined : strategicMerge(target[key], value);
  return merged;
}

function setImages(object: K8sObject, images: NonNullable<Kustomization['images']>): void {
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isObject(value)) return;
    for (const key of ['containers', 'initContainers']) {
      for (const container of (value[key] as Array<{ image?: string }> | undefined) ?? []) {
        const [name, tag] = (container.image ?? '').split(':');
        const rule = images.find((image) => image.name === name);
        if (rule) container.image = `${rule.newName ?? name}:${rule.newTag ?? tag ?? 'latest'}`;
      }
    }
    Object.values(value).forEach(visit);
  };
  visit(object);
}

function applyPatches(objects: K8sObject[], dir: string, k: Kustomization): K8sObject[] {
  let result = objects;
  for (const { path: file } of k.patches ?? []) {
    for (const patch of readYamlDocuments(path.join(dir, file))) {
      const index = result.findIndex((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (index === -1) throw new Error(`${dir}/${file}: patch for ${patch.kind}/${patch.metadata.name} matches nothing`);
      result = result.map((o, i) => (i === index ? (strategicMerge(o, patch) as K8sObject) : o));
    }
  }
  return result;
}

/**
 * Renders a kustomization directory as `kubectl kustomize` would, for the features our k8s/ tree uses
 * (resources, components, strategic-merge patches, images, namespace), so `npm test` needs no binary.
 */
export function renderKustomization(dir: string): K8sObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml'].map((name) => path.join(dir, name)).find((f) => existsSync(f));
  if (!file) throw new Error(`${dir} has no kustomization.yaml`);
  const [k] = readYamlDocuments(file) as unknown as Kustomization[];
  let objects: K8sObject[] = [];
  for (const resource of k.resources ?? []) {
    const target = path.join(dir, resource);
    objects.push(...(statSync(target).isDirectory() ? renderKustomization(target) : readYamlDocuments(target)));
  }
  for (const component of k.components ?? []) {
    const componentDir = path.join(dir, component);
    const [c] = readYamlDocuments(path.join(componentDir, 'kustomization.yaml')) as unknown as Kustomization[];
    if (c.kind !== 'Component') throw new Error(`${componentDir} is not a kustomize Component`);
    for (const resource of c.resources ?? []) objects.push(...readYamlDocuments(path.join(componentDir, resource)));
    objects = applyPatches(objects, componentDir, c);
    if (c.images) objects.forEach((o) => setImages(o, c.images!));
  }
  objects = applyPatches(objects, dir, k);
  if (k.images) objects.forEach((o) => setImages(o, k.images!));
  if (k.namespace) {
    for (const o of objects) {
      if (o.kind === 'Namespace') o.metadata.name = k.namespace;
      else if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
    }
  }
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
  return JSON.parse(JSON.stringify(objects)) as K8sObject[];
}
