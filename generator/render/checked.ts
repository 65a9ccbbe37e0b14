/** Every rendered object passes its kubernetes-models schema before it is written. */
export function checked<T extends { validate(): void }>(object: T): T {
  object.validate();
  return object;
}
