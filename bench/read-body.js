'use strict';

/** Reads a request body of at most `max` bytes, then calls `done` with its text, or with null when it was larger. */
function readBody(req, max, done) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= max) chunks.push(chunk);
  });
  req.on('end', () => done(size > max ? null : Buffer.concat(chunks).toString('utf8')));
}

module.exports = { readBody };
