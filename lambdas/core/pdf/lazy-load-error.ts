// The lazy reader's one signal: "this file is not for me, let pdf-lib's complete parse decide".
// Its own module so that every part of the lazy reader can raise it without importing the others.
export class LazyLoadError extends Error {
  override readonly name = 'LazyLoadError';
}

export function fail(message: string): never {
  throw new LazyLoadError(message);
}
