// Kustomize `images:` entries: replace a base image reference by an environment's.

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImage(reference: string): ImageReference {
  const [rest, digest] = reference.split("@");
  const slash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  const hasTag = colon > slash;
  return { name: hasTag ? rest.slice(0, colon) : rest, tag: hasTag ? rest.slice(colon + 1) : undefined, digest };
}

export function imageOverride(baseImage: string, image: string) {
  const target = parseImage(image);
  return {
    name: parseImage(baseImage).name,
    newName: target.name,
    ...(target.digest ? { digest: target.digest } : { newTag: target.tag ?? "latest" }),
  };
}
