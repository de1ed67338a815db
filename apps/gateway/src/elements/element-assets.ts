import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPageAssets, type PageAsset } from '../common/page-assets.js';

/** The page templates, filled in per request, and the files served as they are. */
export const TEMPLATES = ['card-form.html', 'card-form-error.html'] as const;
export const STATIC_FILES = ['card-form.js', 'card-form.css'] as const;

export type TemplateName = (typeof TEMPLATES)[number];

export type ElementAsset = PageAsset;

/** Every file of the elements, read once. */
export function loadElementAssets(): Map<string, ElementAsset> {
  return loadPageAssets(path.dirname(fileURLToPath(import.meta.url)), 'apps/gateway/src/elements/public', [...TEMPLATES, ...STATIC_FILES]);
}
