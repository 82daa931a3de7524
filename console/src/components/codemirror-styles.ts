import { StyleModule } from 'style-mod';

/**
 * CodeMirror styles itself through style-mod, which (outside a shadow root) writes a <style>
 * element: inline CSS, refused by the console's policy (style-src 'self', lib/definitions/console.ts).
 * Constructed stylesheets are CSSOM, which the policy allows, so every module CodeMirror mounts
 * goes into one adopted by the document instead, in mount order (later rules win, as with style-mod).
 * Installed before the first editor mounts anything.
 */
const sheet = new CSSStyleSheet();
const mounted = new Set<StyleModule>();

let installed = false;

export function installCodeMirrorStyles(): void {
  if (installed) return;
  installed = true;
  StyleModule.mount = mount;
}

function mount(root: Document | ShadowRoot | DocumentOrShadowRoot, modules: StyleModule | ReadonlyArray<StyleModule>): void {
  const target = root as Document | ShadowRoot;
  for (const module of [modules].flat() as StyleModule[]) {
    if (mounted.has(module)) continue;
    mounted.add(module);
    for (const rule of (module as unknown as { rules?: string[] }).rules ?? module.getRules().split('\n')) {
      try {
        sheet.insertRule(rule, sheet.cssRules.length);
      } catch {
        // A rule for another engine (::-moz-selection): a <style> element would ignore it too.
      }
    }
  }
  if (!target.adoptedStyleSheets.includes(sheet)) target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
}
