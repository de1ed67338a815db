import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = ReturnType<Storage['getTargetValidationMetadatas']>;
type Grouped = ReturnType<Storage['groupByPropertyName']>;

let remembering = false;

/**
 * class-validator works out anew, for every object it validates, which decorators apply to its
 * class (a filter over the class's metadata plus a walk over every registered class for inherited
 * ones) and groups them by property: the same answer every time once the DTOs are loaded, and
 * about a tenth of the validation's CPU per request. This remembers both answers per class and
 * options in class-validator's one metadata storage; metadata registered later (a class loaded
 * after start) starts the memory over. Its callers only read the arrays (they filter into new ones).
 */
export function rememberValidationMetadata(): void {
  if (remembering) return;
  remembering = true;
  const storage = getMetadataStorage();
  const targetMetadatas = storage.getTargetValidationMetadatas.bind(storage);
  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, TargetMetadatas>>();
  let grouped = new WeakMap<TargetMetadatas, Grouped>();

  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    grouped = new WeakMap();
    addValidationMetadata(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0000') ?? ''}`;
    let forTarget = byTarget.get(target);
    if (forTarget === undefined) byTarget.set(target, (forTarget = new Map()));
    let metadatas = forTarget.get(options);
    if (metadatas === undefined) forTarget.set(options, (metadatas = targetMetadatas(target, schema, always, strictGroups, groups)));
    return metadatas;
  };
  storage.groupByPropertyName = (metadatas) => {
    let byProperty = grouped.get(metadatas);
    if (byProperty === undefined) grouped.set(metadatas, (byProperty = groupByPropertyName(metadatas)));
    return byProperty;
  };
}
