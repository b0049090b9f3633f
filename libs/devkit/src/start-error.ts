/** A reason not to start (or to stop) that fits on one line and needs no stack trace. */
export class StartError extends Error {}
