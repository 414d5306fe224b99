/**
 * Import direction of src/ (docs/architecture.md): each layer imports only the layers below it.
 * Data flows cli -> image -> analysis -> detect -> (scan) -> gate -> report; as imports that is
 *
 *   cli  ->  report -> gate -> scan -> detect -> analysis -> image
 *
 * and render sits apart (it shares only errors.ts, option-spec.ts, io/ and version.ts, which are
 * leaves that import no layer). Nothing imports src/cli. Enforced with `no-restricted-imports`
 * patterns per folder; test/architecture/layers.test.ts shows a violating import fails.
 */
const LAYERS = ['image', 'analysis', 'detect', 'scan', 'gate', 'report'];

/** Glob patterns that match a relative import of folder `name` from anywhere under src/. */
const folder = (name) => [`../${name}/*`, `../../${name}/*`, `../../../${name}/*`, `./${name}/*`];

function restrict(files, forbidden, why) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: forbidden.flatMap(folder), message: why }] }],
    },
  };
}

export const layerRules = [
  ...LAYERS.map((layer, i) =>
    restrict(
      [`src/${layer}/**/*.ts`],
      ['cli', 'render', ...LAYERS.slice(i + 1)],
      `src/${layer} may import only ${LAYERS.slice(0, i).join(', ') || 'no other layer'} (and the shared leaves errors, option-spec, io, version): imports point down the layers (eslint.layers.js)`,
    ),
  ),
  restrict(['src/render/**/*.ts'], ['cli', ...LAYERS], 'src/render sits apart: it may not import the scan pipeline or the CLI (eslint.layers.js)'),
  restrict(
    ['src/errors.ts', 'src/option-spec.ts', 'src/version.ts', 'src/io/**/*.ts'],
    ['cli', 'render', ...LAYERS],
    'shared leaves (errors, option-spec, version, io) import no layer (eslint.layers.js)',
  ),
];
