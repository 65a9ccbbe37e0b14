// Image references (the OCI distribution grammar, lower-case only) and the Kustomize `images:` entries built from them.

const DOMAIN_COMPONENT = "(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])";
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "sha256:[a-f0-9]{64}";

/** name:tag, name@digest or name:tag@digest. An untagged name is refused: it would silently mean :latest. */
export const IMAGE_REFERENCE = new RegExp(`^(${NAME})(?::(${TAG})(?:@(${DIGEST}))?|@(${DIGEST}))$`);

export interface ImageReference {
  name: string;
  tag?: string;
  digest?: string;
}

/** The parts of a reference; undefined when it is not one. */
export function parseImage(reference: string): ImageReference | undefined {
  const match = IMAGE_REFERENCE.exec(reference);
  return match ? { name: match[1], tag: match[2], digest: match[3] ?? match[4] } : undefined;
}

export function imageOverride(baseImage: string, image: string) {
  const base = parseImage(baseImage);
  const target = parseImage(image);
  if (!base || !target) throw new Error(`not a tagged image reference: ${JSON.stringify(target ? baseImage : image)}`);
  return {
    name: base.name,
    newName: target.name,
    ...(target.digest ? { digest: target.digest } : { newTag: target.tag }),
  };
}
