/** The apps that answer Redis-transport requests. */
export type AppName = 'management' | 'dispatcher';

/** Payload shapes shared by every feature's patterns: the caller's user, and the project it acts on. */
export type Owned<T = object> = { userId: string } & T;
export type InProject<T = object> = Owned<{ projectId: string } & T>;
