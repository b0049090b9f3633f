#!/usr/bin/env node
'use strict';
// `npm start`: the supervisor in libs/devkit (src/cli/start.ts), built into dist/devkit by `npm run build`.
const fs = require('node:fs');
const path = require('node:path');

const built = path.join(__dirname, '..', 'dist', 'devkit', 'start.js');
if (!fs.existsSync(built)) {
  process.stderr.write('MessageJS could not start: dist/devkit/start.js is missing: run npm run build (npm start does)\n');
  process.exit(1);
}
require(built);
