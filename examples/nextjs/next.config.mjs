import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** @type {import('next').NextConfig} */
export default {
  // `messagejs` is linked from ../../packages/sdk: let the bundler follow it out of this folder.
  turbopack: { root: path.join(here, '..', '..') },
  outputFileTracingRoot: path.join(here, '..', '..'),
};
